/** apps/v1 deployments and replicasets as served: defaults, validation, generation, /status, /scale, tables. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../../../../src/cluster/api/errors';
import type { KubeObject } from '../../../../../src/cluster/api/types';
import type { ResourceDefinition, StrategyContext } from '../../../../../src/cluster/apiserver/registry/resource';
import { allResources } from '../../../../../src/cluster/apiserver/registry/kinds';
import { deploymentTable, replicaSetTable } from '../../../../../src/cluster/apiserver/printers/apps';
import { startCluster } from '../fixture';

const ctx = (subresource = ''): StrategyContext => ({ now: Date.parse('2026-01-01T00:00:00Z'), user: { name: 'admin', groups: [] }, subresource });
const def = (resource: string): ResourceDefinition => allResources.find((r) => r.resource === resource && r.group === 'apps')!;

function create(resource: string, object: KubeObject): string[] {
  const d = def(resource);
  d.strategy.prepareForCreate(object, ctx());
  return d.strategy.validate(object, ctx()).map(String);
}

function update(resource: string, object: KubeObject, old: KubeObject, subresource = ''): string[] {
  const d = def(resource);
  d.strategy.prepareForUpdate(object, old, ctx(subresource));
  return d.strategy.validateUpdate(object, old, ctx(subresource)).map(String);
}

function deployment(name = 'web', labels: Record<string, string> = { app: 'web' }): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
  };
}

function replicaSet(name = 'web'): KubeObject {
  const d = deployment(name);
  return { ...d, kind: 'ReplicaSet' };
}

test('deployments: 1.32 defaults, the template defaulted as a pod template (no pod-only defaults), generation 1, empty status', () => {
  const d = deployment();
  d.status = { replicas: 5 };
  assert.deepEqual(create('deployments', d), []);
  const spec = d.spec as Record<string, any>;
  assert.equal(spec.replicas, 1);
  assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(spec.revisionHistoryLimit, 10);
  assert.equal(spec.progressDeadlineSeconds, 600);
  assert.equal(spec.template.metadata.creationTimestamp, null);
  assert.equal(spec.template.spec.restartPolicy, 'Always');
  assert.equal(spec.template.spec.dnsPolicy, 'ClusterFirst');
  assert.equal(spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.equal('enableServiceLinks' in spec.template.spec, false);
  assert.equal(d.metadata.generation, 1);
  assert.deepEqual(d.status, {});
  const rs = replicaSet();
  assert.deepEqual(create('replicasets', rs), []);
  assert.deepEqual([(rs.spec as any).replicas, rs.status, rs.metadata.generation], [1, { replicas: 0 }, 1]);
});

test('deployments: Recreate gets no rollingUpdate; limits are not copied to requests in a template', () => {
  const d = deployment();
  (d.spec as any).strategy = { type: 'Recreate' };
  (d.spec as any).template.spec.containers[0].resources = { limits: { cpu: '1' } };
  assert.deepEqual(create('deployments', d), []);
  assert.deepEqual((d.spec as any).strategy, { type: 'Recreate' });
  assert.equal((d.spec as any).template.spec.containers[0].resources.requests, undefined);
});

test('validation: selector required, must match the template labels, restartPolicy Always, no activeDeadlineSeconds', () => {
  const noSelector = deployment();
  delete (noSelector.spec as any).selector;
  // As in kube-apiserver: a nil selector converts to Nothing, which no template matches either.
  assert.deepEqual(create('deployments', noSelector), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
  ]);
  assert.deepEqual(create('deployments', deployment('web', { app: 'other' })), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
  ]);
  const never = deployment();
  (never.spec as any).template.spec.restartPolicy = 'Never';
  (never.spec as any).template.spec.activeDeadlineSeconds = 5;
  assert.deepEqual(create('deployments', never), [
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
  ]);
  const empty = replicaSet();
  (empty.spec as any).selector = {};
  assert.deepEqual(create('replicasets', empty), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
  ]);
  const negative = deployment();
  (negative.spec as any).replicas = -1;
  (negative.spec as any).strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } };
  (negative.spec as any).progressDeadlineSeconds = 5;
  (negative.spec as any).minReadySeconds = 10;
  assert.deepEqual(create('deployments', negative), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0',
    'spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds',
  ]);
  const badContainer = deployment();
  (badContainer.spec as any).template.spec.containers[0].image = '';
  assert.deepEqual(create('deployments', badContainer), ['spec.template.spec.containers[0].image: Required value']);
});

test('updates: the selector is immutable; spec and annotation changes bump the generation, /status keeps spec and labels', () => {
  const old = deployment();
  create('deployments', old);
  old.metadata.resourceVersion = '7';
  const moved = structuredClone(old);
  (moved.spec as any).selector = { matchLabels: { app: 'x' } };
  (moved.spec as any).template.metadata.labels = { app: 'x' };
  assert.deepEqual(update('deployments', moved, old), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
  const scaled = structuredClone(old);
  (scaled.spec as any).replicas = 3;
  scaled.metadata.generation = 42;
  assert.deepEqual(update('deployments', scaled, old), []);
  assert.equal(scaled.metadata.generation, 2);
  const annotated = structuredClone(old);
  annotated.metadata.annotations = { note: 'x' };
  update('deployments', annotated, old);
  assert.equal(annotated.metadata.generation, 2);
  const relabelled = structuredClone(old);
  relabelled.metadata.labels = { team: 'a' };
  update('deployments', relabelled, old);
  assert.equal(relabelled.metadata.generation, 1, 'labels do not count');
  const status = structuredClone(old);
  status.status = { replicas: 1, readyReplicas: 2, observedGeneration: 1 };
  status.metadata.labels = { sneaky: 'yes' };
  (status.spec as any).replicas = 9;
  assert.deepEqual(update('deployments', status, old, 'status'), ['status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas']);
  assert.deepEqual([(status.spec as any).replicas, status.metadata.labels, status.metadata.generation], [1, undefined, 1]);
  const rsOld = replicaSet();
  create('replicasets', rsOld);
  rsOld.metadata.resourceVersion = '7';
  const rsAnnotated = structuredClone(rsOld);
  rsAnnotated.metadata.annotations = { note: 'x' };
  update('replicasets', rsAnnotated, rsOld);
  assert.equal(rsAnnotated.metadata.generation, 1, 'a ReplicaSet counts spec changes only');
});

test('tables: deployments READY ready/desired, UP-TO-DATE, AVAILABLE; replicasets DESIRED CURRENT READY; wide columns', () => {
  const d = deployment();
  create('deployments', d);
  d.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
  (d.spec as any).replicas = 3;
  d.status = { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 };
  assert.deepEqual(deploymentTable.columns.map((c) => `${c.name}/${c.priority}`), ['Name/0', 'Ready/0', 'Up-to-date/0', 'Available/0', 'Age/0', 'Containers/1', 'Images/1', 'Selector/1']);
  assert.deepEqual(deploymentTable.cells(d, Date.parse('2026-01-01T00:05:00Z')), ['web', '2/3', 3, 2, '5m', 'nginx', 'nginx:1.27', 'app=web']);
  const rs = replicaSet('web-abc');
  create('replicasets', rs);
  rs.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
  rs.status = { replicas: 1, readyReplicas: 0 };
  assert.deepEqual(replicaSetTable.columns.map((c) => c.name), ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector']);
  assert.deepEqual(replicaSetTable.cells(rs, Date.parse('2026-01-01T00:00:30Z')), ['web-abc', 1, 1, 0, '30s', 'nginx', 'nginx:1.27', 'app=web']);
});

test('served: discovery, /scale reads and writes spec.replicas (generation moves), negative replicas are invalid', async () => {
  const cluster = await startCluster();
  try {
    const client = cluster.client();
    const list = (await client.request<any>('GET', '/apis/apps/v1')).object;
    const names = list.resources.map((r: any) => `${r.name}${r.shortNames ? ':' + r.shortNames.join(',') : ''}${r.group ? ' ' + r.group + '/' + r.version : ''}`);
    assert.deepEqual(names, ['deployments:deploy', 'deployments/scale autoscaling/v1', 'deployments/status', 'replicasets:rs', 'replicasets/scale autoscaling/v1', 'replicasets/status']);
    const created = (await client.request<KubeObject>('POST', '/apis/apps/v1/namespaces/default/deployments', { body: deployment() })).object;
    const path = '/apis/apps/v1/namespaces/default/deployments/web/scale';
    const scale = (await client.request<any>('GET', path)).object;
    assert.deepEqual(scale, {
      kind: 'Scale', apiVersion: 'autoscaling/v1',
      metadata: { name: 'web', namespace: 'default', uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion, creationTimestamp: created.metadata.creationTimestamp },
      spec: { replicas: 1 }, status: { replicas: 0, selector: 'app=web' },
    });
    const patched = (await client.request<any>('PATCH', path, { body: { spec: { replicas: 4 } }, headers: { 'content-type': 'application/merge-patch+json' } })).object;
    assert.equal(patched.spec.replicas, 4);
    const after = (await client.request<any>('GET', '/apis/apps/v1/namespaces/default/deployments/web')).object;
    assert.deepEqual([after.spec.replicas, after.metadata.generation], [4, 2]);
    const put = (await client.request<any>('PUT', path, { body: { ...patched, spec: { replicas: 2 } } })).object;
    assert.equal(put.spec.replicas, 2);
    await assert.rejects(client.request('PUT', path, { body: { ...patched, spec: { replicas: 5 } } }), (err: StatusError) => err.code === 409);
    await assert.rejects(
      client.request('PUT', path, { body: { metadata: { name: 'web' }, spec: { replicas: -1 } } }),
      (err: StatusError) => err.code === 422 && err.status.message === 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
    await assert.rejects(client.request('GET', '/apis/apps/v1/namespaces/default/replicasets/nope/scale'), (err: StatusError) => err.code === 404 && err.status.message === 'replicasets.apps "nope" not found');
  } finally {
    await cluster.stop();
  }
});

test('a body Go cannot decode is a 400 naming the version alone, as transformDecodeError words it: Deployment in version "v1"', async () => {
  const cluster = await startCluster();
  try {
    const client = cluster.client();
    const body = deployment();
    (body.spec as any).selector.matchLabels.tier = true;
    await assert.rejects(
      client.request('POST', '/apis/apps/v1/namespaces/default/deployments', { body }),
      (err: StatusError) => err.code === 400 && err.status.message === 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal bool into Go struct field LabelSelector.spec.selector.matchLabels of type string',
    );
    await assert.rejects(
      client.request('POST', '/apis/apps/v1/namespaces/default/replicasets', { query: new URLSearchParams({ fieldValidation: 'Strict' }), body: { ...replicaSet(), color: 'blue' } }),
      (err: StatusError) => err.code === 400 && err.status.message === 'ReplicaSet in version "v1" cannot be handled as a ReplicaSet: strict decoding error: unknown field "color"',
    );
  } finally {
    await cluster.stop();
  }
});
