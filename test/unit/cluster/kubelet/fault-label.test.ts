import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { LEASES, NODES } from '../../../../src/cluster/client/client';
import type { KubeObject, Node } from '../../../../src/cluster/api/types';

const renewTime = async (cluster: Cluster) => ((await cluster.client().resource<KubeObject>(LEASES).get('node-1', { namespace: 'kube-node-lease' })).spec as { renewTime: string }).renewTime;

test('the label fault.kube-sim.io/kubelet=stopped stops a node\'s kubelet; removing it starts the kubelet again', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const nodes = cluster.client().resource<Node>(NODES);
    await nodes.patch('node-1', 'merge', { metadata: { labels: { 'fault.kube-sim.io/kubelet': 'stopped' } } });
    await clock.advance(100);
    assert.equal(cluster.nodes.kubelet('node-1')!.isAlive, false);
    const before = await renewTime(cluster);
    await clock.advance(60_000);
    assert.equal(await renewTime(cluster), before, 'a stopped kubelet renews no lease');
    assert.equal((await nodes.get('node-1')).status!.conditions!.find((c) => c.type === 'Ready')!.status, 'Unknown');

    await nodes.patch('node-1', 'merge', { metadata: { labels: { 'fault.kube-sim.io/kubelet': null } } });
    await clock.advance(11_000);
    assert.equal(cluster.nodes.kubelet('node-1')!.isAlive, true);
    assert.notEqual(await renewTime(cluster), before);
    assert.equal((await nodes.get('node-1')).status!.conditions!.find((c) => c.type === 'Ready')!.status, 'True');
  } finally {
    await cluster.stop();
  }
});
