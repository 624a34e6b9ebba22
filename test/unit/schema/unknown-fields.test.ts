import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFieldIndex } from '../../../src/schema/field-index';
import { findUnknownFields } from '../../../src/schema/unknown-fields';

const pod = { group: '', version: 'v1', kind: 'Pod' };
const index = loadFieldIndex();

test('unknown fields are worded as strict decoding words them, in document order', () => {
  const manifest = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', labels: { app: 'web', 'app.kubernetes.io/part-of': 'shop' }, annotations: { a: 'b' } },
    spec: {
      foo: 1,
      containers: [
        { name: 'nginx', image: 'nginx', resources: { requests: { cpu: '100m' } } },
        { name: 'sidecar', image: 'busybox', volumeMount: [{ name: 'x' }], ports: [{ containerPort: 80, hostPorts: 1 }] },
      ],
      Volumes: [],
    },
    status: { phase: 'Pending' },
  };
  assert.deepEqual(findUnknownFields(index, pod, manifest), [
    'spec.foo',
    'spec.containers[1].volumeMount',
    'spec.containers[1].ports[0].hostPorts',
    'spec.Volumes',
  ]);
});

test('a known object has no unknown fields; nothing under an unknown field is reported', () => {
  assert.deepEqual(
    findUnknownFields(index, pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [] } }),
    [],
  );
  assert.deepEqual(findUnknownFields(index, pod, { extra: { deeper: { stillUnknown: true } } }), ['extra']);
});

test('free-form values (managedFields, RawExtension) accept anything; map values of objects are walked', () => {
  const withManagedFields = {
    metadata: { managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': { 'f:anything': {} } } }] },
  };
  assert.deepEqual(findUnknownFields(index, pod, withManagedFields), []);
  const configMap = { group: '', version: 'v1', kind: 'ConfigMap' };
  assert.deepEqual(findUnknownFields(index, configMap, { data: { key: 'value' }, datas: {} }), ['datas']);
  const list = { group: '', version: 'v1', kind: 'List' };
  assert.deepEqual(findUnknownFields(index, list, { items: [{ kind: 'Pod', whatever: 1 }] }), []);
});

test('values of the wrong shape are left to the decoder: no unknown-field report', () => {
  assert.deepEqual(findUnknownFields(index, pod, { spec: { containers: { name: 'x' } } }), []);
  assert.deepEqual(findUnknownFields(index, { group: 'x', version: 'v1', kind: 'Nope' }, { a: 1 }), []);
});
