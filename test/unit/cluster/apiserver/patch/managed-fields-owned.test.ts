import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordUpdate } from '../../../../../src/cluster/apiserver/patch/server-side-apply';
import type { JsonObject } from '../../../../../src/cluster/apiserver/patch/json-value';
import type { ManagedFieldsEntry } from '../../../../../src/cluster/api/types';
import { nodeMeta, podMeta } from './pod-meta';

const T0 = Date.parse('2026-11-24T10:00:00Z');
const T1 = Date.parse('2026-11-24T10:00:10Z');
const T2 = Date.parse('2026-11-24T10:00:20Z');

/**
 * The same write recorded twice: once with the stored entries in the encoder's canonical shape (the
 * shortcut may answer), once with those entries' keys in another order (the shortcut declines and
 * the general path decodes them). Both must give the same managedFields.
 */
function bothWays(old: JsonObject, updated: JsonObject, manager: string, now: number, subresource?: string): { fast: ManagedFieldsEntry[]; general: ManagedFieldsEntry[] } {
  const base = { apiVersion: 'v1', meta: podMeta, manager, now, ...(subresource ? { subresource } : {}) };
  const sent = structuredClone(updated);
  delete (sent.metadata as JsonObject).managedFields;
  const fast = recordUpdate({ ...base, old, updated: structuredClone(sent) });
  const reordered = structuredClone(old);
  const entries = (old.metadata as JsonObject).managedFields as ManagedFieldsEntry[];
  (reordered.metadata as JsonObject).managedFields = entries.map((e) => Object.fromEntries(Object.entries(e).reverse()));
  const general = recordUpdate({ ...base, old: reordered, updated: structuredClone(sent) });
  return { fast, general };
}

function withManaged(obj: JsonObject, managedFields: ManagedFieldsEntry[]): JsonObject {
  const o = structuredClone(obj);
  (o.metadata as JsonObject).managedFields = managedFields;
  return o;
}

const pod: JsonObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '5', creationTimestamp: '2026-11-24T10:00:00Z', labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
  status: { phase: 'Pending' },
};

function created(): JsonObject {
  const mf = recordUpdate({ apiVersion: 'v1', meta: podMeta, manager: 'kubectl-create', now: T0, updated: structuredClone(pod) });
  return withManaged(pod, mf);
}

test('a writer changing only fields it owns alone: only its time moves, entries re-sorted by time', () => {
  const live = created();
  const first = structuredClone(live);
  (first.metadata as JsonObject).labels = { app: 'web', tier: 'front' };
  (first.metadata as JsonObject).managedFields = recordUpdate({ apiVersion: 'v1', meta: podMeta, manager: 'labeller', now: T1, old: live, updated: structuredClone(first) });
  const second = structuredClone(first);
  (second.metadata as JsonObject).labels = { app: 'web', tier: 'back' };
  const { fast, general } = bothWays(first, second, 'labeller', T2);
  assert.deepEqual(fast, general);
  assert.equal(fast.find((e) => e.manager === 'labeller')?.time, '2026-11-24T10:00:20Z');
  assert.equal(fast.find((e) => e.manager === 'kubectl-create')?.time, '2026-11-24T10:00:00Z');
});

test('a writer changing a field another manager owns takes it over (general path, same answer)', () => {
  const live = created();
  const next = structuredClone(live);
  (next.spec as JsonObject).containers = [{ name: 'web', image: 'nginx:1.28' }];
  const { fast, general } = bothWays(live, next, 'kubectl-edit', T1);
  assert.deepEqual(fast, general);
  assert.ok(fast.some((e) => e.manager === 'kubectl-edit'));
});

test('status writes through the status subresource: repeated kubelet writes of its own conditions', () => {
  const live = created();
  const withStatus = structuredClone(live);
  withStatus.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], podIP: '10.0.0.2' };
  (withStatus.metadata as JsonObject).managedFields = recordUpdate({ apiVersion: 'v1', meta: podMeta, manager: 'kubelet', now: T1, old: live, updated: structuredClone(withStatus), subresource: 'status' });
  const again = structuredClone(withStatus);
  again.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], podIP: '10.0.0.2' };
  const { fast, general } = bothWays(withStatus, again, 'kubelet', T2, 'status');
  assert.deepEqual(fast, general);
  const added = structuredClone(withStatus);
  added.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }], podIP: '10.0.0.2' };
  const both = bothWays(withStatus, added, 'kubelet', T2, 'status');
  assert.deepEqual(both.fast, both.general);
});

test('a status write that gains fields and changes its own (the kubelet\'s terminal status) gets the general path\'s entries', () => {
  const live = created();
  const running = structuredClone(live);
  running.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }], podIP: '10.0.0.2' };
  (running.metadata as JsonObject).managedFields = recordUpdate({ apiVersion: 'v1', meta: podMeta, manager: 'kubelet', now: T1, old: live, updated: structuredClone(running), subresource: 'status' });
  const terminal = structuredClone(running);
  terminal.status = { phase: 'Succeeded', conditions: [{ type: 'Ready', status: 'False', reason: 'PodCompleted' }, { type: 'Initialized', status: 'True', reason: 'PodCompleted' }], podIP: '10.0.0.2' };
  const { fast, general } = bothWays(running, terminal, 'kubelet', T2, 'status');
  assert.deepEqual(fast, general);
  const kubelet = fast.find((e) => e.manager === 'kubelet')!;
  assert.equal(kubelet.time, '2026-11-24T10:00:20Z');
  const conditions = ((kubelet.fieldsV1 as JsonObject)['f:status'] as JsonObject)['f:conditions'] as JsonObject;
  assert.deepEqual(conditions['k:{"type":"Ready"}'], { '.': {}, 'f:reason': {}, 'f:status': {}, 'f:type': {} });
});

test('managedFields a status write sends along are neither changes nor owned: the same entries as without them', () => {
  const live = created();
  const next = structuredClone(live);
  next.status = { phase: 'Running', podIP: '10.0.0.2' };
  const base = { apiVersion: 'v1', meta: podMeta, manager: 'kubelet', now: T1, subresource: 'status', old: live };
  const without = recordUpdate({ ...base, updated: structuredClone(next) });
  const sent = structuredClone(next);
  (sent.metadata as JsonObject).managedFields = [{ manager: 'x', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }];
  assert.deepEqual(recordUpdate({ ...base, updated: sent }), without);
  assert.ok(!JSON.stringify(without).includes('managedFields'));
  assert.deepEqual(without.map((e) => e.manager), ['kubectl-create', 'kubelet']);
});

test('a write that changes nothing keeps the stored entries as they are', () => {
  const live = created();
  const mf = recordUpdate({ apiVersion: 'v1', meta: podMeta, manager: 'kubectl-create', now: T2, old: live, updated: structuredClone(live) });
  assert.deepEqual(mf, (live.metadata as JsonObject).managedFields);
});

/**
 * A create's entry, recorded twice: as the create sends it (no managedFields: the one-walk builder
 * answers) and with an unreadable entry sent along (decoded to nothing: the general path).
 */
function createdBothWays(obj: JsonObject, meta = podMeta): { fast: ManagedFieldsEntry[]; general: ManagedFieldsEntry[] } {
  const base = { apiVersion: 'v1', meta, manager: 'creator', now: T0 };
  const fast = recordUpdate({ ...base, updated: structuredClone(obj) });
  const sent = structuredClone(obj);
  (sent.metadata as JsonObject).managedFields = [{ operation: 'Unknown' }];
  const general = recordUpdate({ ...base, updated: sent });
  return { fast, general };
}

test('a create owns what it sets beyond the zero value: one walk gives the general path\'s entry', () => {
  const rich: JsonObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u', resourceVersion: '1', creationTimestamp: 'x', generation: 1, labels: { app: 'web', 'a.b/c': '' }, annotations: {}, finalizers: ['x/y', 'x/z'], ownerReferences: [{ uid: 'o-1', name: 'rs', kind: 'ReplicaSet', apiVersion: 'apps/v1' }] },
    spec: {
      containers: [
        { name: 'web', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 80, protocol: 'UDP' }, { containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }], resources: {}, args: ['a', 'b'] },
        { name: 'side', image: 'busybox', command: null },
      ],
      tolerations: [{ key: 'k', operator: 'Exists' }],
      nodeSelector: { zone: 'a' },
      affinity: null,
    },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] },
  };
  for (const obj of [rich, pod, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare' } }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: {} }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [] } }]) {
    const { fast, general } = createdBothWays(obj as JsonObject);
    assert.deepEqual(fast, general);
  }
  const event: JsonObject = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e.1', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'web' }, reason: 'Pulled', message: 'm', source: { component: 'kubelet', host: 'node-1' }, count: 1, type: 'Normal' };
  const both = createdBothWays(event);
  assert.deepEqual(both.fast, both.general);
  const node: JsonObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } }, spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], taints: [] }, status: { addresses: [{ type: 'Hostname', address: 'node-1' }] } };
  const nodes = createdBothWays(node, nodeMeta);
  assert.deepEqual(nodes.fast, nodes.general);
  assert.ok(JSON.stringify(both.fast).includes('f:reason'));
});
