import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { LEASES, NODES, PODS } from '../../../../src/cluster/client/client';
import type { Node, Pod } from '../../../../src/cluster/api/types';

test('nodes as configured: sizes, labels, taints and zones', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({
    clock,
    nodeConfigs: [
      { name: 'control-plane', labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
      { name: 'big', cpu: '16', memory: '64Gi', pods: 250, zone: 'eu-west-1a' },
    ],
  });
  try {
    const nodes = cluster.client().resource<Node>(NODES);
    const cp = await nodes.get('control-plane');
    assert.deepEqual(cp.spec!.taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    assert.equal(cp.metadata.labels!['node-role.kubernetes.io/control-plane'], '');
    const big = await nodes.get('big');
    assert.equal(big.status!.capacity!.cpu, '16');
    assert.equal(big.status!.capacity!.pods, '250');
    assert.equal(big.metadata.labels!['topology.kubernetes.io/zone'], 'eu-west-1a');
    assert.equal(big.metadata.labels!['topology.kubernetes.io/region'], 'eu-west-1');
  } finally {
    await cluster.stop();
  }
});

test('add, cordon, drain, uncordon and remove nodes at run time', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const nodes = cluster.client().resource<Node>(NODES);
    const pods = cluster.client().resource<Pod>(PODS);
    await cluster.nodes.add({ name: 'node-2' });
    assert.equal((await nodes.get('node-2')).spec!.podCIDR, '10.244.2.0/24');

    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { nodeName: 'node-2', containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });
    await clock.advance(10_000);
    assert.equal((await pods.get('web', { namespace: 'default' })).status!.phase, 'Running');

    await cluster.nodes.cordon('node-2');
    assert.equal((await nodes.get('node-2')).spec!.unschedulable, true);
    // As kubectl drain: done once the evicted pods are gone, which takes the kubelet's graceful stop.
    const terminating: number[] = [];
    let drained = false;
    const drain = cluster.nodes.drain('node-2', { progress: (n) => terminating.push(n) }).then(() => { drained = true; });
    await clock.advance(0);
    assert.equal(drained, false);
    assert.equal((await pods.get('web', { namespace: 'default' })).metadata.deletionTimestamp !== undefined, true);
    await clock.advance(5_000);
    await drain;
    assert.deepEqual(terminating, [1, 0]);
    await assert.rejects(pods.get('web', { namespace: 'default' }), /not found/);
    await cluster.nodes.uncordon('node-2');
    assert.equal((await nodes.get('node-2')).spec!.unschedulable, undefined);

    await cluster.nodes.remove('node-2');
    await assert.rejects(nodes.get('node-2'), /not found/);
    await assert.rejects(cluster.client().resource(LEASES).get('node-2', { namespace: 'kube-node-lease' }), /not found/);
  } finally {
    await cluster.stop();
  }
});

test('kubectl logs through pods/log: tail, timestamps and the previous container', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'crash', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo starting; echo "boom" ; exit 1'] }] } });
    await clock.advance(15_000);
    const pod = await pods.get('crash', { namespace: 'default' });
    assert.ok(pod.status!.containerStatuses![0]!.restartCount >= 1);
    assert.equal(await pods.getText('crash', 'log', { namespace: 'default' }), 'starting\nboom\n');
    assert.equal(await pods.getText('crash', 'log', { namespace: 'default', query: { tailLines: 1 } }), 'boom\n');
    assert.equal(await pods.getText('crash', 'log', { namespace: 'default', query: { previous: true } }), 'starting\nboom\n');
    assert.match(await pods.getText('crash', 'log', { namespace: 'default', query: { timestamps: true, tailLines: 1 } }), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z boom\n$/);

    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'fresh', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    await clock.advance(5_000);
    await assert.rejects(pods.getText('fresh', 'log', { namespace: 'default', query: { previous: true } }), /previous terminated container "app" in pod "fresh" not found/);
  } finally {
    await cluster.stop();
  }
});

test('a pod bound past the scheduler to a node without room is rejected: OutOfcpu', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'huge', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '8' } } }] } });
    await clock.advance(2_000);
    const pod = await pods.get('huge', { namespace: 'default' });
    assert.equal(pod.status!.phase, 'Failed');
    assert.equal(pod.status!.reason, 'OutOfcpu');
    assert.equal(pod.status!.message, "Pod was rejected: Node didn't have enough resource: cpu, requested: 8000, used: 0, capacity: 4000");
  } finally {
    await cluster.stop();
  }
});

test('what the pods running on the node request counts as used: a third pod of 1500m on a 4-CPU node with two is rejected', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '1500m', memory: '1Gi' } } }] } });
    await pods.create(pod('one'));
    await pods.create(pod('two'));
    await clock.advance(10_000);
    assert.equal((await pods.get('two', { namespace: 'default' })).status!.phase, 'Running');
    await pods.create(pod('three'));
    await clock.advance(2_000);
    const third = await pods.get('three', { namespace: 'default' });
    assert.equal(third.status!.reason, 'OutOfcpu');
    assert.equal(third.status!.message, "Pod was rejected: Node didn't have enough resource: cpu, requested: 1500, used: 3000, capacity: 4000");
  } finally {
    await cluster.stop();
  }
});

test('the kubelet reads quantities as the scheduler does: memory: 1e10 is ten gigabytes, too much for an 8Gi node', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'greedy', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { memory: '1e10' } } }] } });
    await clock.advance(2_000);
    const pod = await pods.get('greedy', { namespace: 'default' });
    assert.equal(pod.status!.phase, 'Failed');
    assert.equal(pod.status!.reason, 'OutOfmemory');
    assert.equal(pod.status!.message, "Pod was rejected: Node didn't have enough resource: memory, requested: 10000000000, used: 0, capacity: 8589934592");
  } finally {
    await cluster.stop();
  }
});

test('a pod given to the kubelet under the name of one it runs, with another uid, replaces it: the old one is gone from the API (a relist after a delete and re-create reports it as an update)', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });
    await clock.advance(10_000);
    const kubelet = cluster.nodes.kubelet('node-1')!;
    const old = kubelet.worker('default', 'web')!;
    assert.ok(old.runningContainer('nginx'));
    const running = await pods.get('web', { namespace: 'default' });
    const recreated: Pod = { ...running, metadata: { ...running.metadata, uid: '5f0c8a8e-9c1d-4b7a-8e2f-3a4b5c6d7e8f' }, status: { phase: 'Pending' } };
    kubelet.syncPod(recreated);
    assert.equal(old.isFinished, true);
    assert.equal(old.runningContainer('nginx'), undefined);
    assert.equal(kubelet.worker('default', 'web')?.uid, recreated.metadata.uid);
  } finally {
    await cluster.stop();
  }
});
