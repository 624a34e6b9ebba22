import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldAt } from '../../../src/schema/yaml-location';
import { loadFieldIndex } from '../../../src/schema/field-index';

const manifest = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: web',
  '  labels:',
  '    app.kubernetes.io/name: web',
  'spec:',
  '  containers:',
  '  - name: nginx',
  '    image: nginx:1.27',
  '    resources:',
  '      requests:',
  '        cpu: 100m',
  '---',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'spec:',
  '  replicas: 3',
  '',
].join('\n');

const at = (needle: string, delta = 0) => fieldAt(manifest, manifest.indexOf(needle) + delta);

test('a key in a list item resolves to its path, with the kind of its document', () => {
  const image = at('image:', 2)!;
  assert.deepEqual(image.path, ['spec', 'containers', 0, 'image']);
  assert.equal(image.onKey, true);
  assert.deepEqual(image.gvk, { group: '', version: 'v1', kind: 'Pod' });
  assert.equal(manifest.slice(image.range[0], image.range[1]), 'image');
});

test('a value resolves to the field it is the value of', () => {
  const cpu = at('100m', 1)!;
  assert.deepEqual(cpu.path, ['spec', 'containers', 0, 'resources', 'requests', 'cpu']);
  assert.equal(cpu.onKey, false);
  assert.equal(loadFieldIndex().resolve(cpu.gvk!, cpu.path)?.type, 'Quantity');
});

test('map keys with dots stay one segment; later documents carry their own kind', () => {
  assert.deepEqual(at('app.kubernetes.io/name')!.path, ['metadata', 'labels', 'app.kubernetes.io/name']);
  const replicas = at('replicas')!;
  assert.equal(replicas.document, 1);
  assert.deepEqual(replicas.gvk, { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.deepEqual(replicas.path, ['spec', 'replicas']);
});
