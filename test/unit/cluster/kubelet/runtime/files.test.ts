import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerFiles, sharedSeedChars } from '../../../../../src/cluster/kubelet/runtime/files';

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

test("a container's files start with /etc/hostname of its pod's name, then its mounts; containers mounting the same files write only their own", () => {
  const mounted: [string, string][] = [['/var/run/secrets/kubernetes.io/serviceaccount/ca.crt', 'CERT'], ['/etc/config/a', '1']];
  const a = ContainerFiles.forHost('web-a', mounted);
  const b = ContainerFiles.forHost('web-b', mounted);
  assert.equal(a.size, 3);
  assert.deepEqual([...a], [['/etc/hostname', 'web-a\n'], ...mounted]);
  a.set('/etc/config/a', 'changed').set('/tmp/x', 'y');
  assert.deepEqual([...b], [['/etc/hostname', 'web-b\n'], ...mounted]);
  assert.equal(a.get('/etc/config/a'), 'changed');
  assert.equal(ContainerFiles.forHost('web-c', []).get('/etc/hostname'), 'web-c\n');
});

test('a mount at /etc/hostname replaces its content and keeps it first, as before', () => {
  const files = ContainerFiles.forHost('web', [['/etc/config/a', '1'], ['/etc/hostname', 'mounted\n']]);
  assert.deepEqual([...files], [['/etc/hostname', 'mounted\n'], ['/etc/config/a', '1']]);
});

test('mounts whose texts join alike but differ are not taken for one another', () => {
  const a = ContainerFiles.forHost('p', [['/a', 'x\0/b'], ['/c', 'y']]);
  const b = ContainerFiles.forHost('p', [['/a', 'x'], ['/b\0/c', 'y']]);
  assert.deepEqual([...a].map(([k]) => k), ['/etc/hostname', '/a', '/c']);
  assert.deepEqual([...b].map(([k]) => k), ['/etc/hostname', '/a', '/b\0/c']);
});

test('the pool of shared mounts is bounded by the text it keeps, not only by count: large mounts of pods long gone are let go', () => {
  // A ConfigMap may hold up to 1 MiB: 1,024 remembered versions of one would keep a gigabyte.
  for (let i = 0; i < 64; i++) ContainerFiles.forHost('web', [['/etc/config/big', `${i}`.padEnd(256 * 1024, 'x')]]);
  assert.ok(sharedSeedChars() <= 4 * 1024 * 1024, `${sharedSeedChars()} characters kept`);
  // Small mounts (a service account's ca.crt) are still shared.
  const a = ContainerFiles.forHost('a', [['/ca.crt', 'CERT']]);
  const b = ContainerFiles.forHost('b', [['/ca.crt', 'CERT']]);
  assert.deepEqual([...a], [['/etc/hostname', 'a\n'], ['/ca.crt', 'CERT']]);
  assert.deepEqual([...b], [['/etc/hostname', 'b\n'], ['/ca.crt', 'CERT']]);
});
