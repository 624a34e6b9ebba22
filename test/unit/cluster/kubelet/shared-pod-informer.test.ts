import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { PODS } from '../../../../src/cluster/client/client';
import type { Pod } from '../../../../src/cluster/api/types';
import { eventually } from '../controllers/eventually';

/** The pod once it is Running (fails after 30 s of cluster time). */
async function running(c: Cluster, clock: ManualClock, name: string): Promise<Pod> {
  const get = () => c.client().resource<Pod>(PODS).get(name, { namespace: 'default' });
  await eventually(clock, async () => (await get()).status?.phase === 'Running', `${name} Running`, 300);
  return get();
}

test("the cluster's kubelets read the controller manager's pod informer: the only pod list and watch is its, and each kubelet still runs its node's pods and writes as its node", async () => {
  const clock = new ManualClock();
  const c = await Cluster.start({ clock, nodes: 2 });
  try {
    await c.client().resource<Pod>(PODS).create({ metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } as Pod, { namespace: 'default' });
    const pod = await running(c, clock, 'web');
    const readers = c.audit.query({ resource: 'pods' }).filter((r) => r.verb === 'list' || r.verb === 'watch').map((r) => r.user);
    assert.deepEqual([...new Set(readers)], ['system:kube-controller-manager']);
    const statusWriters = c.audit.query({ resource: 'pods', name: 'web' }).filter((r) => r.subresource === 'status').map((r) => r.user);
    assert.ok(statusWriters.length > 0);
    assert.deepEqual([...new Set(statusWriters)], [`system:node:${pod.spec.nodeName}`]);
    // A node added later gets the pods bound to it from the shared informer.
    const added = await c.nodes.add({ name: 'node-9' });
    await c.client().resource<Pod>(PODS).create({ metadata: { name: 'late', namespace: 'default' }, spec: { nodeName: 'node-9', containers: [{ name: 'web', image: 'nginx:1.27' }] } } as Pod, { namespace: 'default' });
    assert.equal((await running(c, clock, 'late')).spec.nodeName, added.nodeName);
  } finally {
    await c.stop();
  }
});
