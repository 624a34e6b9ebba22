import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerFiles } from '../../../../../src/cluster/kubelet/runtime/files';

test('container files behave as the Map they replace: order, overwrite in place, writes and deletes', () => {
  const files = ContainerFiles.of([['/etc/hostname', 'web\n'], ['/etc/config/a', '1'], ['/etc/config/a', '2'], ['/etc/config/b', '3']]);
  assert.equal(files.size, 3);
  assert.deepEqual([...files], [['/etc/hostname', 'web\n'], ['/etc/config/a', '2'], ['/etc/config/b', '3']]);
  files.set('/tmp/x', 'saved\n').set('/etc/hostname', 'other\n');
  assert.equal(files.delete('/etc/config/b'), true);
  assert.equal(files.has('/etc/config/b'), false);
  assert.deepEqual([...files.keys()], ['/etc/hostname', '/etc/config/a', '/tmp/x']);
  assert.equal(files.get('/etc/hostname'), 'other\n');
  assert.deepEqual(new Map(files), new Map([['/etc/hostname', 'other\n'], ['/etc/config/a', '2'], ['/tmp/x', 'saved\n']]));
  const seen: string[] = [];
  files.forEach((content, path, map) => { assert.equal(map, files); seen.push(`${path}=${content}`); });
  assert.deepEqual(seen, ['/etc/hostname=other\n', '/etc/config/a=2', '/tmp/x=saved\n']);
  assert.equal(Object.prototype.toString.call(files), '[object Map]');
});
