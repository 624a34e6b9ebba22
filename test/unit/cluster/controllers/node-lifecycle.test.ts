import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { EVENTS, NODES, PODS } from '../../../../src/cluster/client/client';
import type { Node, Pod } from '../../../../src/cluster/api/types';

const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists' as const, effect: 'NoExecute' as const, tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists' as const, effect: 'NoExecute' as const, tolerationSeconds: 300 },
];

async function setUp() {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 2 });
  const pods = cluster.client().resource<Pod>(PODS);
  await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { nodeName: 'node-1', tolerations: DEFAULT_TOLERATIONS, containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });
  await clock.advance(10_000);
  assert.equal((await pods.get('web', { namespace: 'default' })).status!.phase, 'Running');
  return { clock, cluster, pods, nodes: cluster.client().resource<Node>(NODES) };
}

const ready = (n: Node) => n.status!.conditions!.find((c) => c.type === 'Ready')!;

test('a stopped kubelet: NotReady after 50 s with the unreachable taints, pods evicted after 300 s more', async () => {
  const { clock, cluster, pods, nodes } = await setUp();
  try {
    cluster.nodes.stopKubelet('node-1');
    await clock.advance(45_000);
    assert.equal(ready(await nodes.get('node-1')).status, 'True');
    await clock.advance(15_000);
    const node = await nodes.get('node-1');
    assert.deepEqual({ ...ready(node), lastHeartbeatTime: undefined, lastTransitionTime: undefined }, { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: undefined, lastTransitionTime: undefined });
    assert.deepEqual(node.spec!.taints!.map((t) => `${t.key}:${t.effect}`), ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    assert.ok(node.spec!.taints!.every((t) => t.timeAdded));
    assert.equal(ready(await nodes.get('node-2')).status, 'True');
    const pod = await pods.get('web', { namespace: 'default' });
    assert.equal(pod.status!.conditions!.find((c) => c.type === 'Ready')!.status, 'False');

    await clock.advance(290_000);
    assert.equal((await pods.get('web', { namespace: 'default' })).metadata.deletionTimestamp, undefined);
    await clock.advance(15_000);
    const evicted = await pods.get('web', { namespace: 'default' });
    assert.ok(evicted.metadata.deletionTimestamp, 'marked for deletion');
    assert.deepEqual(evicted.status!.conditions!.filter((c) => c.type === 'DisruptionTarget').map((c) => `${c.status} ${c.reason} ${c.message}`), ['True DeletionByTaintManager Taint manager: deleting due to NoExecute taint']);
    const events = (await cluster.client().resource(EVENTS).list({ namespace: 'default' })).items.filter((e: any) => e.involvedObject.name === 'web').map((e: any) => `${e.source.component} ${e.reason}: ${e.message}`);
    assert.ok(events.includes('node-controller NodeNotReady: Node is not ready'));
    assert.ok(events.includes('taint-eviction-controller TaintManagerEviction: Marking for deletion Pod default/web'));
    // The kubelet is dead: the pod stays Terminating until it comes back.
    await clock.advance(60_000);
    assert.ok(await pods.get('web', { namespace: 'default' }));
    await cluster.nodes.startKubelet('node-1');
    await clock.advance(5_000);
    await assert.rejects(pods.get('web', { namespace: 'default' }), /not found/);
  } finally {
    await cluster.stop();
  }
});

test('a node that comes back in time is Ready again, untainted, and keeps its pods', async () => {
  const { clock, cluster, pods, nodes } = await setUp();
  try {
    cluster.nodes.stopKubelet('node-1');
    await clock.advance(60_000);
    assert.equal(ready(await nodes.get('node-1')).status, 'Unknown');
    await cluster.nodes.startKubelet('node-1');
    await clock.advance(10_000);
    const node = await nodes.get('node-1');
    assert.equal(ready(node).status, 'True');
    assert.equal(node.spec!.taints, undefined);
    const pod = await pods.get('web', { namespace: 'default' });
    assert.equal(pod.metadata.deletionTimestamp, undefined);
    assert.equal(pod.status!.conditions!.find((c) => c.type === 'Ready')!.status, 'True');
    await clock.advance(400_000);
    assert.equal((await pods.get('web', { namespace: 'default' })).metadata.deletionTimestamp, undefined);
  } finally {
    await cluster.stop();
  }
});

test('a pod the scheduler binds (an update of the pod in the shared informer, not an add) is marked NotReady and evicted with its node', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 2 });
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    // No nodeName: the controllers see the pod unbound first, then bound by the scheduler.
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bound', namespace: 'default' }, spec: { nodeSelector: { 'kubernetes.io/hostname': 'node-1' }, tolerations: DEFAULT_TOLERATIONS, containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });
    await clock.advance(10_000);
    const running = await pods.get('bound', { namespace: 'default' });
    assert.equal(running.spec.nodeName, 'node-1');
    assert.equal(running.status!.phase, 'Running');
    cluster.nodes.stopKubelet('node-1');
    await clock.advance(60_000);
    assert.equal((await pods.get('bound', { namespace: 'default' })).status!.conditions!.find((c) => c.type === 'Ready')!.status, 'False');
    await clock.advance(305_000);
    assert.ok((await pods.get('bound', { namespace: 'default' })).metadata.deletionTimestamp, 'evicted by the taint manager');
  } finally {
    await cluster.stop();
  }
});
