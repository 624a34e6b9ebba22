/**
 * The pod garbage collector force-deletes what no kubelet will finish: the pods of a deleted node
 * (after a 40 s quarantine and a last GET of the node), terminating pods on an out-of-service node
 * that is down. What a user sees, as on a 1.32 cluster: the orphan turns Failed with
 * DisruptionTarget (DeletionByPodGC), then is gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { EVENTS, NODES, PODS } from '../../../../src/cluster/client/client';
import type { KubeObject, Node, Pod, WatchEvent } from '../../../../src/cluster/api/types';

function podOn(name: string, nodeName: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName, containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };
}

test('the pods of a node that is gone (kubelet dead, Node deleted) are marked Failed (DeletionByPodGC) and force-deleted once its 40 s quarantine is over', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 2 });
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(podOn('orphan', 'node-1'));
    await pods.create(podOn('kept', 'node-2'));
    await clock.advance(10_000);
    const running = await pods.get('orphan', { namespace: 'default' });
    assert.equal(running.status?.phase, 'Running');
    const seen: WatchEvent<Pod>[] = [];
    const watch = pods.watch({ namespace: 'default', resourceVersion: running.metadata.resourceVersion, fieldSelector: 'metadata.name=orphan' }, (e) => seen.push(e), () => undefined);

    cluster.nodes.stopKubelet('node-1');
    await cluster.client().resource<Node>(NODES).delete('node-1');
    await clock.advance(40_000);
    assert.equal((await pods.get('orphan', { namespace: 'default' })).status?.phase, 'Running', 'still in quarantine');
    await clock.advance(40_000);
    await assert.rejects(pods.get('orphan', { namespace: 'default' }), /not found/);
    assert.equal((await pods.get('kept', { namespace: 'default' })).status?.phase, 'Running');
    watch.stop();

    const forOrphan = seen.filter((e) => e.type !== "BOOKMARK");
    // Failed, then the delete's mark (grace 0), then gone.
    assert.deepEqual(forOrphan.map((e) => e.type), ['MODIFIED', 'MODIFIED', 'DELETED']);
    const marked = forOrphan[0]!.object;
    assert.equal(forOrphan[1]!.object.metadata.deletionGracePeriodSeconds, 0);
    assert.equal(marked.status?.phase, 'Failed');
    const disruption = marked.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    assert.deepEqual({ ...disruption, lastTransitionTime: undefined }, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists', lastProbeTime: null, lastTransitionTime: undefined });
    assert.equal(marked.metadata.deletionTimestamp, undefined, 'marked Failed before the delete');

    const events = (await cluster.client().resource(EVENTS).list({})).items as (KubeObject & { reason?: string; message?: string })[];
    assert.ok(events.some((e) => e.reason === 'RemovingNode' && e.message === 'Node node-1 event: Removing Node node-1 from Controller'));
  } finally {
    await cluster.stop();
  }
});

test('a pod bound to a node that never existed stays Pending until the pod GC deletes it', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(podOn('nowhere', 'node-9'));
    await clock.advance(20_000);
    assert.equal((await pods.get('nowhere', { namespace: 'default' })).status?.phase, 'Pending');
    await clock.advance(60_000);
    await assert.rejects(pods.get('nowhere', { namespace: 'default' }), /not found/);
  } finally {
    await cluster.stop();
  }
});

test('a pod stuck Terminating on a dead node is force-deleted once the node is tainted out-of-service, not before', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(podOn('stuck', 'node-1'));
    await clock.advance(10_000);
    cluster.nodes.stopKubelet('node-1');
    await clock.advance(60_000);
    const node = await cluster.client().resource<Node>(NODES).get('node-1');
    assert.equal(node.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'Unknown');
    await pods.delete('stuck', { namespace: 'default' });
    await clock.advance(120_000);
    assert.ok((await pods.get('stuck', { namespace: 'default' })).metadata.deletionTimestamp, 'no kubelet to finish it');
    await cluster.client().resource<Node>(NODES).patch('node-1', 'merge', { spec: { taints: [...(node.spec?.taints ?? []), { key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] } });
    await clock.advance(20_000);
    await assert.rejects(pods.get('stuck', { namespace: 'default' }), /not found/);
  } finally {
    await cluster.stop();
  }
});

test('a live kubelet whose Node was deleted keeps the Failed phase the pod GC set: its pod never shows Running again', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(podOn('orphan', 'node-1'));
    await clock.advance(10_000);
    const running = await pods.get('orphan', { namespace: 'default' });
    const seen: WatchEvent<Pod>[] = [];
    const watch = pods.watch({ namespace: 'default', resourceVersion: running.metadata.resourceVersion }, (e) => seen.push(e), () => undefined);
    await cluster.client().resource<Node>(NODES).delete('node-1');
    await clock.advance(80_000);
    await assert.rejects(pods.get('orphan', { namespace: 'default' }), /not found/);
    watch.stop();
    const phases = seen.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.object.status?.phase}`);
    assert.equal(phases[0], 'MODIFIED Failed');
    assert.equal(phases.at(-1), 'DELETED Failed');
    assert.deepEqual(phases.filter((p) => !p.endsWith('Failed')), []);
  } finally {
    await cluster.stop();
  }
});

test('finished pods beyond --terminated-pod-gc-threshold are deleted: evicted ones first, then the oldest; Running pods never', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1, terminatedPodGCThreshold: 2 });
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const finishing = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox:1.36', command: ['true'] }] } });
    await pods.create(podOn('server', 'node-1'));
    for (const name of ['done-1', 'done-2', 'done-3']) {
      await pods.create(finishing(name));
      await clock.advance(2_000);
    }
    const evicted = await pods.create(podOn('evicted', 'node-1'));
    await clock.advance(5_000);
    await pods.patch('evicted', 'merge', { metadata: { uid: evicted.metadata.uid }, status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' } }, { namespace: 'default', subresource: 'status' });
    const phases = async () => Object.fromEntries((await pods.list({ namespace: 'default' })).items.map((p) => [p.metadata.name, p.status?.phase]));
    assert.deepEqual(await phases(), { server: 'Running', 'done-1': 'Succeeded', 'done-2': 'Succeeded', 'done-3': 'Succeeded', evicted: 'Failed' });

    // Four finished, threshold 2: the evicted pod (the newest) and the oldest finished one go.
    await clock.advance(30_000);
    assert.deepEqual(await phases(), { server: 'Running', 'done-2': 'Succeeded', 'done-3': 'Succeeded' });
  } finally {
    await cluster.stop();
  }
});
