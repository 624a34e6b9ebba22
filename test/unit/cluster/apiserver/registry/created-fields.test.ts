import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreatedFields, snapshot } from '../../../../../src/cluster/apiserver/registry/created-fields';
import type { ManagedFieldsEntry } from '../../../../../src/cluster/api/types';

const entries: readonly ManagedFieldsEntry[] = Object.freeze([{ manager: 'kubelet', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }]);

function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    metadata: { name: 'web.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' },
    reason: 'Pulled', message: 'pulled', count: 1, type: 'Normal',
    ...overrides,
  };
}

function remembered(object: Record<string, unknown>, manager = 'kubelet', subresource = ''): CreatedFields {
  const cache = new CreatedFields();
  cache.set(snapshot(object), manager, subresource, entries);
  return cache;
}

test('a create of the same shape by the same writer gets the remembered entries, whatever its names, messages and other scalars', () => {
  const cache = remembered(event());
  assert.equal(cache.get(event({ metadata: { name: 'db.2', namespace: 'other' }, reason: 'Created', message: 'x', count: 7 }), 'kubelet', ''), entries);
  assert.equal(cache.get(event(), 'scheduler', ''), undefined);
  assert.equal(cache.get(event(), 'kubelet', 'status'), undefined);
});

test('a different shape misses: another member, order, kind of value, or an undefined member', () => {
  const cache = remembered(event());
  assert.equal(cache.get(event({ extra: 'x' }), 'kubelet', ''), undefined);
  assert.equal(cache.get(event({ count: '1' }), 'kubelet', ''), undefined);
  assert.equal(cache.get(event({ count: null }), 'kubelet', ''), undefined);
  assert.equal(cache.get(event({ type: undefined }), 'kubelet', ''), undefined);
  assert.equal(cache.get(event({ involvedObject: ['Pod'] }), 'kubelet', ''), undefined);
  const { reason, ...rest } = event();
  assert.equal(cache.get({ ...rest, reason }, 'kubelet', ''), undefined);
  assert.equal(cache.get(event({ involvedObject: { kind: 'Pod', name: 'web' } }), 'kubelet', ''), undefined);
});

test('list scalars and the scalar members of list items count by value (key fields are among them); deeper ones by kind', () => {
  const pod = (containers: unknown[], finalizers: unknown[]) => ({ metadata: { name: 'p', finalizers }, spec: { containers } });
  const cache = remembered(pod([{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }], ['a']));
  assert.equal(cache.get(pod([{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '2' } } }], ['a']), 'kubelet', ''), entries);
  assert.equal(cache.get(pod([{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }], ['a']), 'kubelet', ''), undefined);
  assert.equal(cache.get(pod([{ name: 'app', image: 'redis', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }], ['a']), 'kubelet', ''), undefined);
  assert.equal(cache.get(pod([{ name: 'app', image: 'nginx', ports: [{ containerPort: 81 }], resources: { limits: { cpu: '1' } } }], ['a']), 'kubelet', ''), undefined);
  assert.equal(cache.get(pod([{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }], ['b']), 'kubelet', ''), undefined);
  assert.equal(cache.get(pod([{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }], ['a', 'b']), 'kubelet', ''), undefined);
  assert.equal(cache.get(pod([{ name: 'app', image: 'nginx', ports: [{ containerPort: '80' }], resources: { limits: { cpu: '1' } } }], ['a']), 'kubelet', ''), undefined);
});

test('the exemplar is the shape the object had when remembered, not what it became', () => {
  const object = event();
  const cache = new CreatedFields();
  cache.set(snapshot(object), 'kubelet', '', entries);
  object.added = { by: 'admission' };
  delete object.count;
  assert.equal(cache.get(event(), 'kubelet', ''), entries);
  assert.equal(cache.get(object, 'kubelet', ''), undefined);
});

test('a writer keeps several shapes, the most recently used found first, and at most sixteen', () => {
  const cache = new CreatedFields();
  const other: readonly ManagedFieldsEntry[] = Object.freeze([]);
  cache.set(snapshot(event({ a: 1 })), 'kubelet', '', other);
  cache.set(snapshot(event()), 'kubelet', '', entries);
  assert.equal(cache.get(event({ a: 2 }), 'kubelet', ''), other);
  assert.equal(cache.get(event(), 'kubelet', ''), entries);
  for (let i = 0; i < 16; i++) cache.set(snapshot(event({ [`k${i}`]: i })), 'kubelet', '', other);
  assert.equal(cache.get(event(), 'kubelet', ''), undefined);
  assert.equal(cache.get(event({ k15: 0 }), 'kubelet', ''), other);
});
