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

test("the cluster's kubelets read the controller manager's pod informer: the audit log shows each kubelet's own pod list and watch (its node's pods), and each kubelet still runs its node's pods and writes as its node", async () => {
  const clock = new ManualClock();
  const c = await Cluster.start({ clock, nodes: 2 });
  try {
    await c.client().resource<Pod>(PODS).create({ metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } as Pod, { namespace: 'default' });
    const pod = await running(c, clock, 'web');
    const podReads = (user: string) => c.audit.query({ user, resource: 'pods' }).filter((r) => r.verb === 'list' || r.verb === 'watch');
    for (const node of ['node-1', 'node-2']) {
      const reads = podReads(`system:node:${node}`);
      assert.deepEqual(reads.map((r) => [r.verb, r.code]), [['list', 200], ['watch', 200]], node);
      assert.equal(reads[0]!.requestURI, `/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`);
      assert.match(reads[1]!.requestURI, new RegExp(`^/api/v1/pods\\?fieldSelector=spec\\.nodeName%3D${node}&resourceVersion=\\d+&allowWatchBookmarks=true&watch=true$`));
      assert.match(reads[0]!.userAgent, /^kubelet\/v1\.32/);
    }
    // One list and one watch of every pod in the cluster: the controller manager's, which they read.
    assert.deepEqual(podReads('system:kube-controller-manager').map((r) => r.verb), ['list', 'watch']);
    const statusWriters = c.audit.query({ resource: 'pods', name: 'web' }).filter((r) => r.subresource === 'status').map((r) => r.user);
    assert.ok(statusWriters.length > 0);
    assert.deepEqual([...new Set(statusWriters)], [`system:node:${pod.spec.nodeName}`]);
    // A node added later gets the pods bound to it from the shared informer.
    const added = await c.nodes.add({ name: 'node-9' });
    await c.client().resource<Pod>(PODS).create({ metadata: { name: 'late', namespace: 'default' }, spec: { nodeName: 'node-9', containers: [{ name: 'web', image: 'nginx:1.27' }] } } as Pod, { namespace: 'default' });
    assert.equal((await running(c, clock, 'late')).spec.nodeName, added.nodeName);
    assert.deepEqual(podReads('system:node:node-9').map((r) => r.verb), ['list', 'watch'], 'a node added later lists and watches as it starts');
    // A kubelet stopped reads nothing more; started again (a new process), it lists and watches again.
    c.nodes.stopKubelet('node-9');
    await clock.advance(1_000);
    assert.equal(podReads('system:node:node-9').length, 2);
    await c.nodes.startKubelet('node-9');
    await clock.advance(1_000);
    assert.deepEqual(podReads('system:node:node-9').map((r) => r.verb), ['list', 'watch', 'list', 'watch']);
  } finally {
    await c.stop();
  }
});
