import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordUpdate } from '../../../../../src/cluster/apiserver/patch/server-side-apply';
import type { JsonObject } from '../../../../../src/cluster/apiserver/patch/json-value';
import type { ManagedFieldsEntry } from '../../../../../src/cluster/api/types';
import { podMeta } from './pod-meta';

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

test('a write that changes nothing keeps the stored entries as they are', () => {
  const live = created();
  const mf = recordUpdate({ apiVersion: 'v1', meta: podMeta, manager: 'kubectl-create', now: T2, old: live, updated: structuredClone(live) });
  assert.deepEqual(mf, (live.metadata as JsonObject).managedFields);
});
