import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { EVENTS, NODES, PODS, type ResourceClient } from '../../../../src/cluster/client/client';
import type { Node, Pod } from '../../../../src/cluster/api/types';

const MAINTENANCE = { key: 'example.com/maintenance', effect: 'NoExecute' as const };

function podOn(name: string, nodeName: string): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { nodeName, tolerations: [{ ...MAINTENANCE, operator: 'Exists', tolerationSeconds: 60 }], containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
  };
}

const deleted = async (pods: ResourceClient<Pod>, name: string) => {
  const found = await pods.list({ namespace: 'default', fieldSelector: `metadata.name=${name}` });
  return found.items.length === 0 || found.items[0]!.metadata.deletionTimestamp !== undefined;
};

test('a NoExecute taint evicts the pods already there and those that arrive later when their toleration runs out, unless it goes first', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 2 });
  try {
    const nodes = cluster.client().resource<Node>(NODES);
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(podOn('early', 'node-1'));
    await pods.create(podOn('rescued', 'node-2'));
    await clock.advance(10_000);
    for (const name of ['node-1', 'node-2']) await nodes.patch(name, 'merge', { spec: { taints: [MAINTENANCE] } });
    await clock.advance(1_000);
    await pods.create(podOn('late', 'node-1'));
    await clock.advance(30_000);
    assert.equal(await deleted(pods, 'early'), false, 'tolerated for 60 s');
    await nodes.patch('node-2', 'merge', { spec: { taints: null } });
    await clock.advance(40_000);
    assert.equal(await deleted(pods, 'early'), true, 'toleration ran out on a node still tainted');
    assert.equal(await deleted(pods, 'late'), true, 'the same for a pod that came after the taint');
    assert.equal(await deleted(pods, 'rescued'), false, 'the taint went in time');
    const events = (await cluster.client().resource(EVENTS).list({ namespace: 'default' })).items
      .filter((e: any) => e.source?.component === 'taint-eviction-controller').map((e: any) => `${e.involvedObject.name} ${e.message}`).sort();
    assert.deepEqual(events, ['early Marking for deletion Pod default/early', 'late Marking for deletion Pod default/late', 'rescued Cancelling deletion of Pod default/rescued']);
  } finally {
    await cluster.stop();
  }
});

test('as 1.32: a pod being deleted is still evicted when its toleration runs out (a Marking event, DisruptionTarget), and one deleted before that cancels with an event about the pod by name', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const nodes = cluster.client().resource<Node>(NODES);
    const pods = cluster.client().resource<Pod>(PODS);
    // A finalizer keeps a pod being deleted after its containers stop (a pod on a dead node stays so too).
    const kept = (name: string): Pod => ({ ...podOn(name, 'node-1'), metadata: { name, namespace: 'default', finalizers: ['example.com/keep'] } });
    await pods.create(kept('terminating-before'));
    await pods.create(kept('terminating-after'));
    await pods.create(podOn('gone', 'node-1'));
    await clock.advance(10_000);
    await pods.delete('terminating-before', { namespace: 'default' });
    await clock.advance(5_000);
    await nodes.patch('node-1', 'merge', { spec: { taints: [MAINTENANCE] } });
    await clock.advance(10_000);
    await pods.delete('terminating-after', { namespace: 'default' });
    await pods.delete('gone', { namespace: 'default', gracePeriodSeconds: 0 });
    await clock.advance(70_000);
    const events = (await cluster.client().resource(EVENTS).list({ namespace: 'default' })).items
      .filter((e: any) => e.source?.component === 'taint-eviction-controller').map((e: any) => [e.involvedObject, e.message]);
    const about = (name: string) => ({ kind: 'Pod', namespace: 'default', name, apiVersion: 'v1' });
    assert.deepEqual(events.sort((a, b) => String(a[1]).localeCompare(String(b[1]))), [
      [about('gone'), 'Cancelling deletion of Pod default/gone'],
      [about('terminating-after'), 'Marking for deletion Pod default/terminating-after'],
      [about('terminating-before'), 'Marking for deletion Pod default/terminating-before'],
    ]);
    for (const name of ['terminating-before', 'terminating-after']) {
      const pod = await pods.get(name, { namespace: 'default' });
      const target = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
      assert.deepEqual([target?.status, target?.reason], ['True', 'DeletionByTaintManager'], name);
    }
  } finally {
    await cluster.stop();
  }
});

test('pod updates that change neither the node nor the tolerations are not looked at (as PodUpdated): a pod\'s status writes leave its eviction as it was', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const nodes = cluster.client().resource<Node>(NODES);
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(podOn('web', 'node-1'));
    await clock.advance(10_000);
    await nodes.patch('node-1', 'merge', { spec: { taints: [MAINTENANCE] } });
    await clock.advance(30_000);
    await pods.patch('web', 'merge', { metadata: { labels: { touched: 'yes' } } }, { namespace: 'default' });
    await clock.advance(10_000);
    assert.equal(await deleted(pods, 'web'), false, 'tolerated for 60 s');
    await clock.advance(25_000);
    assert.equal(await deleted(pods, 'web'), true);
  } finally {
    await cluster.stop();
  }
});

test('as 1.32: a taint the pod does not tolerate evicts it at once even with an eviction already scheduled (that one cancelled, with its event), and a pod evicted once is not scheduled again while its key stays', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const nodes = cluster.client().resource<Node>(NODES);
    const pods = cluster.client().resource<Pod>(PODS);
    const kept: Pod = { ...podOn('kept', 'node-1'), metadata: { name: 'kept', namespace: 'default', finalizers: ['example.com/keep'] } };
    await pods.create(podOn('web', 'node-1'));
    await pods.create(kept);
    await clock.advance(10_000);
    await nodes.patch('node-1', 'merge', { spec: { taints: [MAINTENANCE] } });
    await clock.advance(10_000);
    // A second NoExecute taint, which neither pod tolerates.
    await nodes.patch('node-1', 'merge', { spec: { taints: [MAINTENANCE, { key: 'example.com/other', effect: 'NoExecute' }] } });
    await clock.advance(1_000);
    assert.equal(await deleted(pods, 'web'), true, 'evicted at once, not when the first toleration runs out');
    // `kept`, evicted too, stays (its finalizer): a later change of the node's taints does not schedule it again.
    await nodes.patch('node-1', 'merge', { spec: { taints: [MAINTENANCE] } });
    await clock.advance(120_000);
    const events = (await cluster.client().resource(EVENTS).list({ namespace: 'default' })).items
      .filter((e: any) => e.source?.component === 'taint-eviction-controller').map((e: any) => `${e.message} x${e.count}`).sort();
    assert.deepEqual(events, [
      'Cancelling deletion of Pod default/kept x1',
      'Cancelling deletion of Pod default/web x1',
      'Marking for deletion Pod default/kept x1',
      'Marking for deletion Pod default/web x1',
    ]);
  } finally {
    await cluster.stop();
  }
});

test('as 1.32 (processPodOnNode): a toleration counts from when the controller sees the pod on the tainted node, not from the taint\'s timeAdded; of the tolerations matching a taint the first one counts', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const nodes = cluster.client().resource<Node>(NODES);
    const pods = cluster.client().resource<Pod>(PODS);
    await nodes.patch('node-1', 'merge', { spec: { taints: [MAINTENANCE] } });
    await clock.advance(40_000);
    await pods.create(podOn('late', 'node-1'));
    // Tolerated for good by its first matching toleration; a later one would give 10 s.
    const forever = podOn('forever', 'node-1');
    forever.spec.tolerations = [{ ...MAINTENANCE, operator: 'Exists' }, { ...MAINTENANCE, operator: 'Exists', tolerationSeconds: 10 }];
    await pods.create(forever);
    await clock.advance(50_000);
    assert.equal(await deleted(pods, 'late'), false, '60 s from its arrival, 40 s after the taint');
    await clock.advance(15_000);
    assert.equal(await deleted(pods, 'late'), true);
    assert.equal(await deleted(pods, 'forever'), false);
  } finally {
    await cluster.stop();
  }
});

test('a taint the controller learns of after the clock moved on (a stepped clock) counts from its timeAdded, as a real controller that saw it at once would', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const nodes = cluster.client().resource<Node>(NODES);
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(podOn('there', 'node-1'));
    await clock.advance(30_000);
    // The taint was added 20 s ago (after the pod came); the controller hears of it only now.
    const timeAdded = new Date(clock.now() - 20_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await nodes.patch('node-1', 'merge', { spec: { taints: [{ ...MAINTENANCE, timeAdded }] } });
    await clock.advance(39_000);
    assert.equal(await deleted(pods, 'there'), false, '59 s after timeAdded: still tolerated');
    await clock.advance(1_000);
    assert.equal(await deleted(pods, 'there'), true, '60 s after timeAdded, not 60 s after the controller heard of it');
  } finally {
    await cluster.stop();
  }
});

test('as 1.32 (addConditionAndDeletePod, UpdatePodCondition): a DisruptionTarget condition already True keeps its lastTransitionTime, its reason and message updated', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const nodes = cluster.client().resource<Node>(NODES);
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create({ ...podOn('web', 'node-1'), metadata: { name: 'web', namespace: 'default', finalizers: ['example.com/keep'] } });
    await clock.advance(10_000);
    // Another disruption marked the pod first (the scheduler's preemption).
    const since = '2026-01-01T00:00:05Z';
    const preempted = { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: since, reason: 'PreemptionByScheduler', message: 'preempted' };
    const running = await pods.get('web', { namespace: 'default' });
    await pods.patch('web', 'merge', { status: { conditions: [...(running.status?.conditions ?? []), preempted] } }, { namespace: 'default', subresource: 'status' });
    await clock.advance(1_000);
    await nodes.patch('node-1', 'merge', { spec: { taints: [{ key: 'example.com/other', effect: 'NoExecute' }] } });
    await clock.advance(1_000);
    const pod = await pods.get('web', { namespace: 'default' });
    assert.ok(pod.metadata.deletionTimestamp, 'evicted');
    const targets = (pod.status?.conditions ?? []).filter((c) => c.type === 'DisruptionTarget');
    assert.deepEqual(targets, [{ ...preempted, reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }]);
  } finally {
    await cluster.stop();
  }
});

test('as 1.32 (NodeUpdated): a change of a node\'s taints other than NoExecute ones is not looked at: a pod evicted already is not evicted again', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const nodes = cluster.client().resource<Node>(NODES);
    const pods = cluster.client().resource<Pod>(PODS);
    const kept: Pod = { ...podOn('kept', 'node-1'), metadata: { name: 'kept', namespace: 'default', finalizers: ['example.com/keep'] } };
    kept.spec.tolerations = [];
    await pods.create(kept);
    await clock.advance(10_000);
    const other = { key: 'example.com/other', effect: 'NoExecute' as const };
    await nodes.patch('node-1', 'merge', { spec: { taints: [other] } });
    await clock.advance(1_000);
    assert.equal(await deleted(pods, 'kept'), true);
    // Only a NoSchedule taint comes and goes; the NoExecute one stays as it was.
    await nodes.patch('node-1', 'merge', { spec: { taints: [other, { key: 'example.com/cordon', effect: 'NoSchedule' }] } });
    await clock.advance(1_000);
    await nodes.patch('node-1', 'merge', { spec: { taints: [other] } });
    await clock.advance(1_000);
    const events = (await cluster.client().resource(EVENTS).list({ namespace: 'default' })).items
      .filter((e: any) => e.source?.component === 'taint-eviction-controller').map((e: any) => `${e.message} x${e.count}`);
    assert.deepEqual(events, ['Marking for deletion Pod default/kept x1']);
  } finally {
    await cluster.stop();
  }
});
