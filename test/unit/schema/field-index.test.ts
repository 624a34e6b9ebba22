import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFieldIndex } from '../../../src/schema/field-index';
import { formatFieldPath, parseFieldPath } from '../../../src/schema/field-path';

const pod = { group: '', version: 'v1', kind: 'Pod' };
const deployment = { group: 'apps', version: 'v1', kind: 'Deployment' };
const index = loadFieldIndex();

test('a kind maps to its definition', () => {
  assert.equal(index.schemaForKind(pod)?.name, 'io.k8s.api.core.v1.Pod');
  assert.equal(index.schemaForKind(deployment)?.name, 'io.k8s.api.apps.v1.Deployment');
  assert.equal(index.schemaForKind({ group: 'apps', version: 'v1', kind: 'Pod' }), undefined);
});

test('container resource requests are a map of quantities', () => {
  const requests = index.resolve(pod, ['spec', 'containers', 0, 'resources', 'requests'])!;
  assert.equal(requests.type, 'map[string]Quantity');
  assert.equal(requests.schemaType, 'map');
  assert.equal(requests.path, 'spec.containers[0].resources.requests');
  assert.equal(requests.parentDefinition, 'io.k8s.api.core.v1.ResourceRequirements');
  assert.match(requests.description, /minimum amount of compute resources/);
  const cpu = index.resolve(pod, 'spec.containers[0].resources.requests.cpu')!;
  assert.equal(cpu.type, 'Quantity');
  assert.equal(cpu.schemaType, 'quantity');
});

test('fields show their types as the API reference does', () => {
  const types = (path: string) => index.resolve(pod, path)?.type;
  assert.equal(types('spec.containers'), '[]Container');
  assert.equal(types('spec.nodeSelector'), 'map[string]string');
  assert.equal(types('spec.activeDeadlineSeconds'), 'int64');
  assert.equal(types('spec.containers[0].ports[0].containerPort'), 'int32');
  assert.equal(types('spec.containers[0].livenessProbe.httpGet.port'), 'IntOrString');
  assert.equal(types('metadata'), 'ObjectMeta');
  assert.equal(types('metadata.creationTimestamp'), 'Time');
  assert.equal(index.resolve({ group: '', version: 'v1', kind: 'Secret' }, 'data')?.type, 'map[string][]byte');
});

test('containers merge by name; the path without an index finds the same field', () => {
  const containers = index.resolve(pod, ['spec', 'containers'])!;
  assert.equal(containers.required, true);
  assert.equal(containers.patchMergeKey, 'name');
  assert.equal(containers.patchStrategy, 'merge');
  assert.deepEqual(index.patchMeta(pod, ['spec', 'containers']), {
    patchStrategy: 'merge',
    patchMergeKey: 'name',
    listType: 'map',
    listMapKeys: ['name'],
  });
  assert.deepEqual(index.patchMeta(deployment, 'spec.template.spec.containers.ports'), {
    patchStrategy: 'merge',
    patchMergeKey: 'containerPort',
    listType: 'map',
    listMapKeys: ['containerPort', 'protocol'],
  });
  assert.equal(index.patchMeta(pod, 'spec.volumes').patchStrategy, 'merge,retainKeys');
  assert.deepEqual(index.patchMeta(pod, 'spec.containers.ports.protocol'), { default: 'TCP' });
  assert.deepEqual(index.patchMeta(pod, ['metadata', 'ownerReferences']), {
    patchStrategy: 'merge',
    patchMergeKey: 'uid',
    listType: 'map',
    listMapKeys: ['uid'],
    // OwnerReference is `x-kubernetes-map-type: atomic`: a list's items share its path, and its meta.
    mapType: 'atomic',
  });
  assert.equal(index.patchMeta(pod, 'spec.containers').mapType, undefined);
  assert.deepEqual(index.patchMeta(deployment, 'spec.selector'), { mapType: 'atomic' });
  assert.deepEqual(index.patchMeta(pod, 'metadata.finalizers'), { patchStrategy: 'merge', listType: 'set' });
  assert.deepEqual(index.patchMeta(pod, 'spec.nope'), {});
});

test('restartPolicy lists its enum values and its API default', () => {
  const restartPolicy = index.resolve(pod, 'spec.restartPolicy')!;
  assert.deepEqual(restartPolicy.enum, ['Always', 'Never', 'OnFailure']);
  assert.equal(restartPolicy.default, 'Always');
  assert.equal(restartPolicy.required, false);
  assert.equal(restartPolicy.type, 'string');
});

test('map keys resolve to the map value, unknown fields to nothing', () => {
  assert.equal(index.resolve(pod, ['metadata', 'labels', 'app.kubernetes.io/name'])?.type, 'string');
  assert.equal(index.resolve(pod, 'spec.foo'), undefined);
  assert.equal(index.resolve(pod, 'spec.containers[0].image')?.parentDefinition, 'io.k8s.api.core.v1.Container');
  assert.equal(index.resolve(pod, [])?.definition, 'io.k8s.api.core.v1.Pod');
});

test('field paths print and parse the way kube-apiserver writes them', () => {
  assert.equal(formatFieldPath(['spec', 'containers', 0, 'volumeMounts', 1, 'name']), 'spec.containers[0].volumeMounts[1].name');
  assert.deepEqual(parseFieldPath('spec.containers[0].ports[12].name'), ['spec', 'containers', 0, 'ports', 12, 'name']);
});
