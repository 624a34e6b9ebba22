import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allResources } from '../../../../../src/cluster/apiserver/registry/kinds';

const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

test('discovery data matches kube-apiserver 1.32', () => {
  const rows = allResources.map((r) => [
    `${r.group || 'core'}/${r.version}`,
    r.resource,
    r.singular,
    r.kind,
    r.namespaced,
    (r.shortNames ?? []).join(','),
    (r.categories ?? []).join(','),
    r.verbs.join(','),
  ]);
  assert.deepEqual(rows, [
    ['core/v1', 'bindings', 'binding', 'Binding', true, '', '', 'create'],
    ['core/v1', 'configmaps', 'configmap', 'ConfigMap', true, 'cm', '', ALL.join(',')],
    ['core/v1', 'events', 'event', 'Event', true, 'ev', '', ALL.join(',')],
    ['core/v1', 'namespaces', 'namespace', 'Namespace', false, 'ns', '', 'create,delete,get,list,patch,update,watch'],
    ['core/v1', 'nodes', 'node', 'Node', false, 'no', '', ALL.join(',')],
    ['core/v1', 'pods', 'pod', 'Pod', true, 'po', 'all', ALL.join(',')],
    ['core/v1', 'secrets', 'secret', 'Secret', true, '', '', ALL.join(',')],
    ['core/v1', 'serviceaccounts', 'serviceaccount', 'ServiceAccount', true, 'sa', '', ALL.join(',')],
    ['core/v1', 'services', 'service', 'Service', true, 'svc', 'all', ALL.join(',')],
    ['coordination.k8s.io/v1', 'leases', 'lease', 'Lease', true, '', '', ALL.join(',')],
    ['events.k8s.io/v1', 'events', 'event', 'Event', true, 'ev', '', ALL.join(',')],
    ['authorization.k8s.io/v1', 'selfsubjectaccessreviews', 'selfsubjectaccessreview', 'SelfSubjectAccessReview', false, '', '', 'create'],
    ['authentication.k8s.io/v1', 'selfsubjectreviews', 'selfsubjectreview', 'SelfSubjectReview', false, '', '', 'create'],
    ['scheduling.k8s.io/v1', 'priorityclasses', 'priorityclass', 'PriorityClass', false, 'pc', '', ALL.join(',')],
    ['apps/v1', 'deployments', 'deployment', 'Deployment', true, 'deploy', 'all', ALL.join(',')],
    ['apps/v1', 'replicasets', 'replicaset', 'ReplicaSet', true, 'rs', 'all', ALL.join(',')],
  ]);
  for (const resource of ['deployments', 'replicasets']) {
    assert.deepEqual(
      allResources.find((r) => r.resource === resource)!.subresources.map((s) => `${s.name}:${s.group ?? ''}/${s.version ?? ''}/${s.kind}:${s.verbs.join(',')}`),
      ['scale:autoscaling/v1/Scale:get,patch,update', `status://${resource === 'deployments' ? 'Deployment' : 'ReplicaSet'}:get,patch,update`],
    );
  }
  const pods = allResources.find((r) => r.resource === 'pods')!;
  assert.deepEqual(
    pods.subresources.map((s) => `${s.name}:${s.group ?? ''}/${s.kind}:${s.verbs.join(',')}`),
    ['binding:/Binding:create', 'ephemeralcontainers:/Pod:get,patch,update', 'exec:/PodExecOptions:create,get', 'eviction:policy/Eviction:create', 'log:/Pod:get', 'status:/Pod:get,patch,update'],
  );
});

test('field selectors each kind supports, as kube-apiserver', () => {
  const fields = (resource: string, group = '') => Object.keys(allResources.find((r) => r.resource === resource && r.group === group)!.selectableFields ?? {}).sort();
  assert.deepEqual(fields('pods'), [
    'spec.hostNetwork', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.nominatedNodeName', 'status.phase', 'status.podIP',
  ]);
  assert.deepEqual(fields('events'), [
    'involvedObject.apiVersion', 'involvedObject.fieldPath', 'involvedObject.kind', 'involvedObject.name', 'involvedObject.namespace', 'involvedObject.resourceVersion',
    'involvedObject.uid', 'reason', 'reportingComponent', 'source', 'type',
  ]);
  assert.deepEqual(fields('nodes'), ['spec.unschedulable']);
  assert.deepEqual(fields('secrets'), ['type']);
  assert.deepEqual(fields('namespaces'), ['name', 'status.phase']);
  assert.deepEqual(fields('replicasets', 'apps'), ['status.replicas']);
  assert.deepEqual(fields('deployments', 'apps'), []);
  assert.equal(allResources.find((r) => r.resource === 'replicasets')!.selectableFields!['status.replicas']!({ metadata: { name: 'r' }, status: { replicas: 3 } }), '3');
  assert.equal(allResources.find((r) => r.resource === 'nodes')!.selectableFields!['spec.unschedulable']!({ metadata: { name: 'n' } }), 'false');
  const pods = allResources.find((r) => r.resource === 'pods')!.selectableFields!;
  const pod = { metadata: { name: 'p' }, spec: { containers: [], nodeName: 'node-1' }, status: { phase: 'Running', podIPs: [{ ip: '10.0.0.1' }] } };
  assert.deepEqual(['spec.nodeName', 'spec.hostNetwork', 'status.podIP', 'status.nominatedNodeName'].map((f) => pods[f]!(pod)), ['node-1', 'false', '10.0.0.1', '']);
});

test('every table has as many cells as columns', () => {
  for (const r of allResources) {
    if (!r.table) continue;
    const cells = r.table.cells({ metadata: { name: 'x', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { containers: [] } }, Date.parse('2026-01-02T00:00:00Z'));
    assert.equal(cells.length, r.table.columns.length, r.resource);
  }
});
