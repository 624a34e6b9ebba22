/** The ReplicaSet controller against a cluster on the ManualClock (nodes run the pods). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { EVENTS, PODS } from '../../../../src/cluster/client/client';
import type { KubeObject, Pod } from '../../../../src/cluster/api/types';
import { REPLICASETS } from '../../../../src/cluster/controllers/workload-informers';
import { podsToDelete } from '../../../../src/cluster/controllers/replicaset/pod-ranking';
import { eventually } from './eventually';

function replicaSet(name: string, replicas: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name, tier: 'web' }, annotations: { note: 'x' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } }, ...extra },
  };
}

async function setUp(nodes = 2) {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes });
  const client = cluster.client();
  const rss = client.resource(REPLICASETS);
  const pods = client.resource<Pod>(PODS);
  const podsOf = async (app: string) => (await pods.list({ namespace: 'default', labelSelector: `app=${app}` })).items.filter((p) => !p.metadata.deletionTimestamp);
  const status = async (name: string) => (await rss.get(name, { namespace: 'default' })).status as Record<string, number>;
  const events = async (name: string) => (await client.resource(EVENTS).list({ namespace: 'default' })).items
    .filter((e: any) => e.involvedObject.kind === 'ReplicaSet' && e.involvedObject.name === name).map((e: any) => `${e.type} ${e.reason} ${e.source.component}: ${e.message}`);
  return { clock, cluster, rss, pods, podsOf, status, events };
}

test('creates pods from the template (generateName, labels, annotations, controller reference), records events, reports status', async () => {
  const { clock, cluster, rss, podsOf, status, events } = await setUp();
  try {
    const rs = await rss.create(replicaSet('web', 3));
    await eventually(clock, async () => (await status('web')).availableReplicas === 3, 'three available');
    const pods = await podsOf('web');
    assert.equal(pods.length, 3);
    for (const pod of pods) {
      assert.match(pod.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.equal(pod.metadata.generateName, 'web-');
      assert.deepEqual(pod.metadata.labels, { app: 'web', tier: 'web' });
      assert.equal(pod.metadata.annotations?.note, 'x');
      assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      assert.equal(pod.metadata.managedFields?.[0]?.manager, 'kube-controller-manager');
    }
    assert.deepEqual(await status('web'), { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    assert.deepEqual((await events('web')).sort(), pods.map((p) => `Normal SuccessfulCreate replicaset-controller: Created pod: ${p.metadata.name}`).sort());
  } finally {
    await cluster.stop();
  }
});

test('scale down deletes the surplus with SuccessfulDelete events; a deleted pod is replaced', async () => {
  const { clock, cluster, rss, pods, podsOf, status, events } = await setUp();
  try {
    await rss.create(replicaSet('web', 3));
    await eventually(clock, async () => (await status('web')).readyReplicas === 3, 'three ready');
    await rss.patch('web', 'merge', { spec: { replicas: 1 } }, { namespace: 'default' });
    await eventually(clock, async () => (await podsOf('web')).length === 1 && (await status('web')).replicas === 1, 'one left');
    assert.equal((await events('web')).filter((e) => e.startsWith('Normal SuccessfulDelete replicaset-controller: Deleted pod: web-')).length, 2);
    assert.equal((await status('web')).observedGeneration, 2);
    const [survivor] = await podsOf('web');
    await pods.delete(survivor!.metadata.name!, { namespace: 'default', gracePeriodSeconds: 0 });
    await eventually(clock, async () => (await podsOf('web')).some((p) => p.metadata.name !== survivor!.metadata.name), 'replacement created');
  } finally {
    await cluster.stop();
  }
});

test('adopts a matching orphan instead of creating, and releases a pod whose labels stop matching', async () => {
  const { clock, cluster, rss, pods, podsOf, status } = await setUp();
  try {
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });
    const rs = await rss.create(replicaSet('web', 2));
    await eventually(clock, async () => (await status('web')).replicas === 2, 'two claimed');
    const stray = await pods.get('stray', { namespace: 'default' });
    assert.equal(stray.metadata.ownerReferences?.[0]?.uid, rs.metadata.uid);
    assert.equal((await podsOf('web')).length, 2, 'only one pod created');
    await pods.patch('stray', 'merge', { metadata: { labels: { app: 'other' } } }, { namespace: 'default' });
    await eventually(clock, async () => (await pods.get('stray', { namespace: 'default' })).metadata.ownerReferences === undefined, 'released (no empty list left behind)');
    await eventually(clock, async () => (await podsOf('web')).length === 2, 'a replacement for the released pod');
  } finally {
    await cluster.stop();
  }
});

test('minReadySeconds: pods count as available only after being ready that long', async () => {
  const { clock, cluster, rss, status } = await setUp();
  try {
    await rss.create(replicaSet('slow', 2, { minReadySeconds: 30 }));
    await eventually(clock, async () => (await status('slow')).readyReplicas === 2, 'ready');
    assert.equal((await status('slow')).availableReplicas, undefined);
    await clock.advance(35_000);
    await eventually(clock, async () => (await status('slow')).availableReplicas === 2, 'available after 30 s');
  } finally {
    await cluster.stop();
  }
});

test('deleting a ReplicaSet deletes its pods (garbage collector, background)', async () => {
  const { clock, cluster, rss, podsOf } = await setUp();
  try {
    await rss.create(replicaSet('web', 2));
    await eventually(clock, async () => (await podsOf('web')).length === 2, 'two pods');
    await rss.delete('web', { namespace: 'default', propagationPolicy: 'Background' });
    await eventually(clock, async () => (await podsOf('web')).length === 0, 'pods deleted');
  } finally {
    await cluster.stop();
  }
});

// ---- ranking -------------------------------------------------------------------------------------

const NOW = Date.parse('2026-01-01T01:00:00Z');
function p(name: string, o: { node?: string; phase?: 'Pending' | 'Running'; readySince?: number; cost?: number; restarts?: number; created?: number } = {}): Pod {
  const pod: Pod = { metadata: { name, uid: name, creationTimestamp: new Date(o.created ?? NOW - 3_600_000).toISOString() }, spec: { containers: [] }, status: { phase: o.phase ?? 'Running' } };
  if (o.node) pod.spec.nodeName = o.node;
  if (o.readySince !== undefined) pod.status!.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(o.readySince).toISOString() }];
  if (o.cost !== undefined) pod.metadata.annotations = { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) };
  if (o.restarts) pod.status!.containerStatuses = [{ name: 'c', image: 'i', imageID: '', ready: true, restartCount: o.restarts }];
  return pod;
}

test('scale-down order: unscheduled, pending, not ready, lower deletion cost, doubled-up node, ready for less time, more restarts, newer', () => {
  const names = (pods: Pod[], n: number, related = pods) => podsToDelete(pods, related, n, NOW).map((x) => x.metadata.name);
  const ready = NOW - 3_600_000;
  assert.deepEqual(names([p('run', { node: 'a', readySince: ready }), p('unscheduled', { phase: 'Pending' })], 1), ['unscheduled']);
  assert.deepEqual(names([p('run', { node: 'a', readySince: ready }), p('pending', { node: 'b', phase: 'Pending' })], 1), ['pending']);
  assert.deepEqual(names([p('ready', { node: 'a', readySince: ready }), p('unready', { node: 'b' })], 1), ['unready']);
  assert.deepEqual(names([p('cheap', { node: 'a', readySince: ready, cost: -5 }), p('dear', { node: 'b', readySince: ready, cost: 10 })], 1), ['cheap']);
  assert.deepEqual(names([p('alone', { node: 'a', readySince: ready }), p('crowded', { node: 'b', readySince: ready }), p('crowd2', { node: 'b', readySince: ready + 1 })], 1).length, 1);
  assert.ok(['crowded', 'crowd2'].includes(names([p('alone', { node: 'a', readySince: ready }), p('crowded', { node: 'b', readySince: ready }), p('crowd2', { node: 'b', readySince: ready })], 1)[0]!));
  assert.deepEqual(names([p('old', { node: 'a', readySince: NOW - 3_600_000 }), p('fresh', { node: 'b', readySince: NOW - 10_000 })], 1), ['fresh']);
  // Ready times in the same power of two of nanoseconds tie; the uid decides.
  assert.deepEqual(names([p('b', { node: 'a', readySince: NOW - 1_100_000 }), p('a', { node: 'b', readySince: NOW - 1_000_000 })], 1), ['a']);
  assert.deepEqual(names([p('calm', { node: 'a', readySince: ready }), p('crashy', { node: 'b', readySince: ready, restarts: 4 })], 1), ['crashy']);
  assert.deepEqual(names([p('older', { node: 'a', created: NOW - 7_200_000 }), p('newer', { node: 'b', created: NOW - 60_000 })], 1), ['newer']);
});
