import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFieldIndex } from '../../../src/schema/field-index';
import { findUndeclaredFields } from '../../../src/schema/undeclared-fields';

const index = loadFieldIndex();
const pod = { group: '', version: 'v1', kind: 'Pod' };

test('an apply patch names undeclared fields by structured-merge-diff paths, list items by their keys', () => {
  const patch = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a'] },
    spec: {
      foo: true,
      containers: [
        { name: 'nginx', image: 'nginx', volumeMount: [], ports: [{ containerPort: 80, hostPorts: 1 }] },
        { name: 'sidecar', ports: [{ containerPort: 53, protocol: 'UDP', extra: 1 }] },
      ],
      tolerations: [{ key: 'k', effects: 'NoSchedule' }],
    },
  };
  assert.deepEqual(findUndeclaredFields(index, pod, patch), [
    '.spec.foo',
    '.spec.containers[name="nginx"].volumeMount',
    '.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"].hostPorts',
    '.spec.containers[name="sidecar"].ports[containerPort=53,protocol="UDP"].extra',
    '.spec.tolerations[0].effects',
  ]);
});

test('an atomic list names items by index, as for a NetworkPolicy ingress rule', () => {
  const policy = { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' };
  assert.deepEqual(findUndeclaredFields(index, policy, { spec: { ingress: [{ _from: [] }] } }), ['.spec.ingress[0]._from']);
});

test('a declared object has nothing to report', () => {
  assert.deepEqual(findUndeclaredFields(index, pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }), []);
});
