/**
 * The collector's dependency graph keeps a node only for what the collector reads: objects with
 * owners, objects named as owners, and objects deleting with foregroundDeletion or orphan.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DependencyGraph } from '../../../../../src/cluster/controllers/garbage-collector/graph';
import { CONFIGMAPS } from '../../../../../src/cluster/client/client';
import type { KubeObject, OwnerReference } from '../../../../../src/cluster/api/types';

function object(name: string, owners: KubeObject[] = [], extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  const ownerReferences: OwnerReference[] = owners.map((o) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name!, uid: o.metadata.uid! }));
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', uid: `uid-${name}`, ...(ownerReferences.length ? { ownerReferences } : {}), ...extra } };
}

test('an object without owners that nothing names has no node', () => {
  const graph = new DependencyGraph();
  assert.equal(graph.upsert(CONFIGMAPS, object('alone')).node, undefined);
  assert.equal(graph.get('uid-alone'), undefined);
  assert.equal(graph.isOwner('uid-alone'), false);
});

test('an owner gets a node once a dependent names it, and loses it with its last dependent', () => {
  const graph = new DependencyGraph();
  const owner = object('owner');
  graph.upsert(CONFIGMAPS, owner);
  const dep = object('dep', [owner]);
  assert.equal(graph.upsert(CONFIGMAPS, dep).node?.uid, 'uid-dep');
  assert.equal(graph.isOwner('uid-owner'), true);
  assert.deepEqual(graph.dependentsOf('uid-owner').map((n) => n.name), ['dep'], 'found without a node of the owner');
  assert.equal(graph.upsert(CONFIGMAPS, owner).node?.name, 'owner');
  // An update of the dependent that keeps its owners keeps the owner's node.
  graph.upsert(CONFIGMAPS, { ...dep, metadata: { ...dep.metadata, resourceVersion: '7' } });
  assert.ok(graph.get('uid-owner'));
  graph.remove('uid-dep');
  assert.equal(graph.get('uid-owner'), undefined);
  assert.equal(graph.isOwner('uid-owner'), false);
});

test('a dependent moving to another owner unlinks the first one', () => {
  const graph = new DependencyGraph();
  const a = object('a');
  const b = object('b');
  graph.upsert(CONFIGMAPS, object('dep', [a]));
  graph.upsert(CONFIGMAPS, a);
  graph.upsert(CONFIGMAPS, object('dep', [b]));
  assert.equal(graph.get('uid-a'), undefined);
  assert.deepEqual(graph.dependentsOf('uid-a'), []);
  assert.deepEqual(graph.dependentsOf('uid-b').map((n) => n.name), ['dep']);
});

test('an object deleting with foregroundDeletion or orphan has a node, and an owner keeps it after its dependents go', () => {
  const graph = new DependencyGraph();
  const deleting = { deletionTimestamp: '2025-01-01T00:00:00Z' };
  assert.equal(graph.upsert(CONFIGMAPS, object('fg', [], { ...deleting, finalizers: ['foregroundDeletion'] })).node?.deletingDependents, true);
  assert.equal(graph.upsert(CONFIGMAPS, object('orphan', [], { ...deleting, finalizers: ['orphan'] })).node?.orphaning, true);
  assert.equal(graph.upsert(CONFIGMAPS, object('plain', [], deleting)).node, undefined);
  const fg = object('fg');
  graph.upsert(CONFIGMAPS, object('dep', [fg]));
  graph.remove('uid-dep');
  assert.equal(graph.get('uid-fg')?.deletingDependents, true);
  // Its finalizer removed, nothing is left to read.
  graph.upsert(CONFIGMAPS, object('fg', [], deleting));
  assert.equal(graph.get('uid-fg'), undefined);
});

test('an object that loses its owner references loses its node unless something names it', () => {
  const graph = new DependencyGraph();
  const owner = object('owner');
  graph.upsert(CONFIGMAPS, object('mid', [owner]));
  graph.upsert(CONFIGMAPS, object('leaf', [object('mid')]));
  graph.upsert(CONFIGMAPS, object('mid'));
  assert.ok(graph.get('uid-mid'), 'still named by leaf');
  assert.equal(graph.isOwner('uid-owner'), false);
  graph.remove('uid-leaf');
  assert.equal(graph.get('uid-mid'), undefined);
});
