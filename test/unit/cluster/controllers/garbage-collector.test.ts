/**
 * The garbage collector with DELETE's propagationPolicy, as kube-apiserver and
 * kube-controller-manager 1.32 do it: Background deletes dependents after the owner, Foreground
 * keeps the owner (finalizer foregroundDeletion) until its blocking dependents are gone, Orphan
 * keeps the dependents and removes their references.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { CONFIGMAPS, LEASES, NAMESPACES, NODES } from '../../../../src/cluster/client/client';
import { Informer } from '../../../../src/cluster/client/informer';
import { GarbageCollector } from '../../../../src/cluster/controllers/garbage-collector/collector';
import { KindMapper } from '../../../../src/cluster/controllers/garbage-collector/kinds';
import { allResources } from '../../../../src/cluster/apiserver/registry/kinds';
import type { KubeObject, OwnerReference } from '../../../../src/cluster/api/types';
import { eventually } from './eventually';

async function setUp() {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 0 });
  const cms = cluster.client().resource(CONFIGMAPS);
  const make = (name: string, owners: OwnerReference[] = [], finalizers?: string[]) => {
    const metadata: KubeObject['metadata'] = { name, namespace: 'default' };
    if (owners.length) metadata.ownerReferences = owners;
    if (finalizers) metadata.finalizers = finalizers;
    return cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata });
  };
  const ref = (owner: KubeObject, block = false): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name!, uid: owner.metadata.uid!, ...(block ? { blockOwnerDeletion: true } : {}) });
  const exists = async (name: string) => (await cms.list({ namespace: 'default' })).items.some((c) => c.metadata.name === name);
  const get = (name: string) => cms.get(name, { namespace: 'default' });
  return { clock, cluster, cms, make, ref, exists, get };
}

test('background: dependents of a deleted owner are deleted; one with another owner left only loses the reference', async () => {
  const { clock, cluster, cms, make, ref, exists, get } = await setUp();
  try {
    const owner = await make('owner');
    const other = await make('other');
    await make('dep', [ref(owner)]);
    await make('shared', [ref(owner), ref(other)]);
    await clock.advance(1000);
    assert.ok(await exists('dep'), 'an owned object with its owner present stays');
    await cms.delete('owner', { namespace: 'default', propagationPolicy: 'Background' });
    await eventually(clock, async () => !(await exists('dep')), 'dep deleted');
    await eventually(clock, async () => (await get('shared')).metadata.ownerReferences?.length === 1, 'shared keeps one owner');
    assert.deepEqual((await get('shared')).metadata.ownerReferences!.map((r) => r.name), ['other']);
  } finally {
    await cluster.stop();
  }
});

test('background: an object created with an owner that does not exist (or has another uid) is deleted', async () => {
  const { clock, cluster, make, exists } = await setUp();
  try {
    const owner = await make('owner');
    await make('wrong-uid', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'not-' + owner.metadata.uid }]);
    await make('missing', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'nobody', uid: '1234' }]);
    await make('unknown-kind', [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: '99' }]);
    await eventually(clock, async () => !(await exists('wrong-uid')) && !(await exists('missing')), 'dangling dependents deleted');
    assert.ok(await exists('unknown-kind'), 'an owner of a kind not served cannot be checked, so the dependent stays');
    assert.ok(await exists('owner'));
  } finally {
    await cluster.stop();
  }
});

test('foreground: the owner waits (foregroundDeletion) until its blocking dependents are gone, then goes', async () => {
  const { clock, cluster, cms, make, ref, exists, get } = await setUp();
  try {
    const owner = await make('owner');
    await make('blocker', [ref(owner, true)], ['example.com/hold']);
    await make('plain', [ref(owner)]);
    await clock.advance(1000);
    const marked = (await cms.delete('owner', { namespace: 'default', propagationPolicy: 'Foreground' })) as KubeObject;
    assert.deepEqual(marked.metadata.finalizers, ['foregroundDeletion']);
    assert.ok(marked.metadata.deletionTimestamp);
    await eventually(clock, async () => !(await exists('plain')), 'plain deleted');
    await eventually(clock, async () => !!(await get('blocker')).metadata.deletionTimestamp, 'blocker marked');
    await clock.advance(5000);
    assert.ok(await exists('owner'), 'the owner waits for the blocking dependent');
    const blocker = await get('blocker');
    await cms.update({ ...blocker, metadata: { ...blocker.metadata, finalizers: [] } }, { namespace: 'default' });
    await eventually(clock, async () => !(await exists('owner')), 'owner deleted once the blocker is gone');
  } finally {
    await cluster.stop();
  }
});

test('orphan: the owner goes, its dependents stay without the reference', async () => {
  const { clock, cluster, cms, make, ref, exists, get } = await setUp();
  try {
    const owner = await make('owner');
    await make('dep', [ref(owner, true)]);
    await clock.advance(1000);
    const marked = (await cms.delete('owner', { namespace: 'default', propagationPolicy: 'Orphan' })) as KubeObject;
    assert.deepEqual(marked.metadata.finalizers, ['orphan']);
    await eventually(clock, async () => !(await exists('owner')), 'owner deleted');
    assert.equal((await get('dep')).metadata.ownerReferences, undefined);
    await clock.advance(5000);
    assert.ok(await exists('dep'));
  } finally {
    await cluster.stop();
  }
});

test('delete options: Background clears a pending orphan finalizer; no policy keeps the finalizer already there', async () => {
  const { clock, cluster, cms, make, exists, get } = await setUp();
  try {
    await make('kept', [], ['example.com/hold']);
    const first = (await cms.delete('kept', { namespace: 'default', propagationPolicy: 'Orphan' })) as KubeObject;
    assert.deepEqual(first.metadata.finalizers, ['example.com/hold', 'orphan']);
    const again = (await cms.delete('kept', { namespace: 'default' })) as KubeObject;
    assert.deepEqual(again.metadata.finalizers, ['example.com/hold', 'orphan']);
    const cleared = (await cms.delete('kept', { namespace: 'default', propagationPolicy: 'Background' })) as KubeObject;
    assert.deepEqual(cleared.metadata.finalizers, ['example.com/hold']);
    const held = await get('kept');
    await cms.update({ ...held, metadata: { ...held.metadata, finalizers: [] } }, { namespace: 'default' });
    await eventually(clock, async () => !(await exists('kept')), 'gone with its last finalizer');
  } finally {
    await cluster.stop();
  }
});

test('an object nothing depended on becomes an owner later: deleting it in the foreground waits for its new blocking dependent', async () => {
  const { clock, cluster, cms, make, ref, exists, get } = await setUp();
  try {
    const owner = await make('owner');
    await clock.advance(1000);
    await make('late', [ref(owner, true)], ['example.com/hold']);
    await clock.advance(1000);
    assert.ok(await exists('late'), 'its owner is there');
    await cms.delete('owner', { namespace: 'default', propagationPolicy: 'Foreground' });
    await eventually(clock, async () => !!(await get('late')).metadata.deletionTimestamp, 'the dependent marked');
    await clock.advance(5000);
    assert.ok(await exists('owner'), 'the owner waits for it');
    const late = await get('late');
    await cms.update({ ...late, metadata: { ...late.metadata, finalizers: [] } }, { namespace: 'default' });
    await eventually(clock, async () => !(await exists('owner')), 'owner deleted once the dependent is gone');
  } finally {
    await cluster.stop();
  }
});

test('an object nothing depended on becomes an owner later: deleting it with Orphan leaves the dependent without the reference', async () => {
  const { clock, cluster, cms, make, ref, exists, get } = await setUp();
  try {
    const owner = await make('owner');
    await clock.advance(1000);
    await make('late', [ref(owner, true)]);
    await clock.advance(1000);
    await cms.delete('owner', { namespace: 'default', propagationPolicy: 'Orphan' });
    await eventually(clock, async () => !(await exists('owner')), 'owner deleted');
    assert.equal((await get('late')).metadata.ownerReferences, undefined);
    await clock.advance(5000);
    assert.ok(await exists('late'));
  } finally {
    await cluster.stop();
  }
});

test('an owner whose dependents all went and that gets a new one: deleting it still deletes the new dependent', async () => {
  const { clock, cluster, cms, make, ref, exists } = await setUp();
  try {
    const owner = await make('owner');
    await make('first', [ref(owner)]);
    await clock.advance(1000);
    await cms.delete('first', { namespace: 'default' });
    await clock.advance(1000);
    await make('second', [ref(owner)]);
    await clock.advance(1000);
    assert.ok(await exists('second'));
    await cms.delete('owner', { namespace: 'default', propagationPolicy: 'Background' });
    await eventually(clock, async () => !(await exists('second')), 'second deleted');
  } finally {
    await cluster.stop();
  }
});

test('foreground and orphan deletion of objects nothing depends on: the finalizer is removed and they go', async () => {
  const { clock, cluster, cms, make, exists } = await setUp();
  try {
    await make('alone-fg');
    await make('alone-orphan');
    await clock.advance(1000);
    await cms.delete('alone-fg', { namespace: 'default', propagationPolicy: 'Foreground' });
    await cms.delete('alone-orphan', { namespace: 'default', propagationPolicy: 'Orphan' });
    await eventually(clock, async () => !(await exists('alone-fg')) && !(await exists('alone-orphan')), 'both gone');
  } finally {
    await cluster.stop();
  }
});

test('a dependent whose owner the collector does not watch is checked with the API server: kept when the owner is there, deleted when not', async () => {
  const { clock, cluster, make, exists } = await setUp();
  try {
    const namespaces = cluster.client().resource({ group: '', version: 'v1', resource: 'namespaces' });
    const team = await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await make('by-namespace', [{ apiVersion: 'v1', kind: 'Namespace', name: 'team', uid: team.metadata.uid! }]);
    await make('by-old-namespace', [{ apiVersion: 'v1', kind: 'Namespace', name: 'team', uid: 'not-' + team.metadata.uid }]);
    await eventually(clock, async () => !(await exists('by-old-namespace')), 'the one naming another uid deleted');
    await clock.advance(5000);
    assert.ok(await exists('by-namespace'), 'its owner exists');
  } finally {
    await cluster.stop();
  }
});

test('kubectl delete node: the Node\'s Lease (owned by the Node) is deleted, and its still-running kubelet does not make a new one', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 2 });
  try {
    const leases = cluster.client().resource(LEASES);
    const leaseNames = async () => (await leases.list({ namespace: 'kube-node-lease' })).items.map((l) => l.metadata.name).sort();
    await clock.advance(10_000);
    assert.deepEqual(await leaseNames(), ['node-1', 'node-2']);
    const lease = await leases.get('node-1', { namespace: 'kube-node-lease' });
    const node = await cluster.client().resource(NODES).get('node-1');
    assert.deepEqual(lease.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid]), [['Node', 'node-1', node.metadata.uid]]);

    const seen: string[] = [];
    const watch = leases.watch({ namespace: 'kube-node-lease', resourceVersion: lease.metadata.resourceVersion, fieldSelector: 'metadata.name=node-1' }, (e) => seen.push(e.type), () => undefined);
    await cluster.client().resource(NODES).delete('node-1');
    await eventually(clock, async () => (await leaseNames()).length === 1, 'the Lease of node-1 deleted');
    // Several renew intervals later the kubelet of node-1 (still running) has not made it again.
    await clock.advance(60_000);
    watch.stop();
    assert.deepEqual(await leaseNames(), ['node-2']);
    assert.deepEqual(seen.filter((t) => t !== 'BOOKMARK' && t !== 'MODIFIED'), ['DELETED']);
  } finally {
    await cluster.stop();
  }
});

test('deleting every Node deletes their Leases (one named otherwise too) without reading every Lease once per Node', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 0 });
  // Every list() of a Lease informer's cache from here on: the collector scanned them all per deleted Node.
  const leaseScans: number[] = [];
  const list = Informer.prototype.list;
  Informer.prototype.list = function (this: Informer<KubeObject>) {
    const items = list.call(this);
    if ((this as unknown as { resource: { gvr: { resource: string } } }).resource.gvr.resource === 'leases') leaseScans.push(items.length);
    return items;
  };
  try {
    const nodes = cluster.client().resource(NODES);
    const leases = cluster.client().resource(LEASES);
    const leaseOf = (name: string, node: KubeObject) => leases.create({
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata.name!, uid: node.metadata.uid! }] },
      spec: { holderIdentity: node.metadata.name },
    });
    const leaseNames = async () => (await leases.list({ namespace: 'kube-node-lease' })).items.map((l) => l.metadata.name).sort();
    const names = Array.from({ length: 30 }, (_, i) => `worker-${i}`);
    for (const name of names) await leaseOf(name, await nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name } }));
    await leaseOf('extra', await nodes.get('worker-0'));
    await leaseOf('kept', await nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'kept' } }));
    await clock.advance(1000);
    leaseScans.length = 0;
    for (const name of names) await nodes.delete(name);
    await eventually(clock, async () => (await leaseNames()).length === 1, 'the Leases of the deleted Nodes deleted');
    assert.deepEqual(await leaseNames(), ['kept']);
    assert.deepEqual(leaseScans, [], 'no scan of every Lease');
  } finally {
    Informer.prototype.list = list;
    await cluster.stop();
  }
});

test('a namespaced object owned by a cluster-scoped one (a Namespace, a Node) is deleted once that owner is gone', async () => {
  const { clock, cluster, make, exists } = await setUp();
  try {
    const namespaces = cluster.client().resource({ group: '', version: 'v1', resource: 'namespaces' });
    const team = await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    const node = await cluster.client().resource(NODES).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker' } });
    await make('by-namespace', [{ apiVersion: 'v1', kind: 'Namespace', name: 'team', uid: team.metadata.uid! }]);
    await make('by-node', [{ apiVersion: 'v1', kind: 'Node', name: 'worker', uid: node.metadata.uid! }]);
    await clock.advance(5000);
    assert.ok(await exists('by-namespace') && await exists('by-node'), 'their owners exist');

    await cluster.client().resource(NODES).delete('worker');
    await eventually(clock, async () => !(await exists('by-node')), 'the Node\'s dependent deleted');
    assert.ok(await exists('by-namespace'));
    await namespaces.delete('team');
    await eventually(clock, async () => !(await exists('by-namespace')), 'the Namespace\'s dependent deleted once the Namespace is gone');
  } finally {
    await cluster.stop();
  }
});

test('an owner reference to a namespaced object of another namespace: OwnerRefInvalidNamespace on the dependent, which is deleted', async () => {
  const { clock, cluster, make, exists } = await setUp();
  try {
    const namespaces = cluster.client().resource({ group: '', version: 'v1', resource: 'namespaces' });
    await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    const owner = await make('owner');
    const cms = cluster.client().resource(CONFIGMAPS);
    const ownerRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid! };
    const dep = await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dep', namespace: 'team', ownerReferences: [ownerRef] } });
    const gone = async () => !(await cms.list({ namespace: 'team' })).items.some((c) => c.metadata.name === 'dep');
    await eventually(clock, gone, 'the dependent deleted: its owner is not in its namespace');
    assert.ok(await exists('owner'));
    const events = (await cluster.client().resource({ group: '', version: 'v1', resource: 'events' }).list({ namespace: 'team' })).items as any[];
    const invalid = events.filter((e) => e.reason === 'OwnerRefInvalidNamespace');
    assert.equal(invalid.length, 1);
    assert.equal(invalid[0].type, 'Warning');
    assert.equal(invalid[0].source.component, 'garbage-collector-controller');
    // The graph node's identity (graph_builder.go reportInvalidNamespaceOwnerRef): no resourceVersion.
    assert.deepEqual(invalid[0].involvedObject, { kind: 'ConfigMap', namespace: 'team', name: 'dep', uid: dep.metadata.uid, apiVersion: 'v1' });
    assert.equal(invalid[0].message, `ownerRef [v1/ConfigMap, namespace: team, name: owner, uid: ${owner.metadata.uid}] does not exist in namespace "team"`);
  } finally {
    await cluster.stop();
  }
});

test('a cluster-scoped dependent naming a namespaced owner is never collected, and gets OwnerRefInvalidNamespace when that owner is known', async () => {
  const { clock, cluster, make } = await setUp();
  // The cluster's collector watches no cluster-scoped dependents: one here watches PriorityClasses (as
  // kube-controller-manager's watches every kind) beside the ConfigMaps and Namespaces it looks owners up in.
  const PRIORITYCLASSES = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' };
  const kinds = [PRIORITYCLASSES, CONFIGMAPS].map((gvr) => ({ gvr, informer: new Informer<KubeObject>(cluster.client().resource(gvr), {}, clock) }));
  const namespaces = { gvr: NAMESPACES, informer: new Informer<KubeObject>(cluster.client().resource(NAMESPACES), {}, clock) };
  const collector = new GarbageCollector(cluster.client(), clock, new KindMapper(allResources), kinds, [], [namespaces]);
  try {
    const owner = await make('owner');
    for (const k of [...kinds, namespaces]) k.informer.start();
    collector.start();
    const roles = cluster.client().resource(PRIORITYCLASSES);
    const role = (name: string, ref: OwnerReference) => roles.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name, ownerReferences: [ref] }, value: 1000 } as KubeObject);
    const known = await role('by-configmap', { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid! });
    await role('by-missing-configmap', { apiVersion: 'v1', kind: 'ConfigMap', name: 'nobody', uid: '1234' });
    await clock.advance(10_000);
    await collector.idle();
    const names = (await roles.list()).items.map((r) => r.metadata.name);
    assert.ok(names.includes('by-configmap') && names.includes('by-missing-configmap'), 'neither is collected');
    const events = ((await cluster.client().resource({ group: '', version: 'v1', resource: 'events' }).list({ namespace: 'default' })).items as any[]).filter((e) => e.reason === 'OwnerRefInvalidNamespace');
    assert.deepEqual(events.map((e) => [e.involvedObject, e.type]), [[{ kind: 'PriorityClass', name: 'by-configmap', uid: known.metadata.uid, apiVersion: 'scheduling.k8s.io/v1' }, 'Warning']]);
    assert.equal(events[0].message, `ownerRef [v1/ConfigMap, namespace: , name: owner, uid: ${owner.metadata.uid}] does not exist in namespace ""`);
  } finally {
    collector.stop();
    for (const k of [...kinds, namespaces]) k.informer.stop();
    await cluster.stop();
  }
});
