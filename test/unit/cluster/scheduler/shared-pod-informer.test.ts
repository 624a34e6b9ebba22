import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { PODS } from '../../../../src/cluster/client/client';
import type { Pod } from '../../../../src/cluster/api/types';
import { eventually } from '../controllers/eventually';

const SCHEDULER_USER = 'system:kube-scheduler';

/** The node the pod is bound to, once it is (fails after 20 s of cluster time). */
async function boundNode(c: Cluster, clock: ManualClock, name: string): Promise<string | undefined> {
  const get = () => c.client().resource<Pod>(PODS).get(name, { namespace: 'default' });
  await eventually(clock, async () => !!(await get()).spec.nodeName, `${name} bound`, 200);
  return (await get()).spec.nodeName;
}

test("the cluster's scheduler reads the controller manager's pod informer: the audit log shows its own pod list and watch (pods not finished), and it still binds as itself", async () => {
  const clock = new ManualClock();
  const c = await Cluster.start({ clock, nodes: 2 });
  try {
    await c.client().resource<Pod>(PODS).create({ metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } as Pod, { namespace: 'default' });
    assert.match((await boundNode(c, clock, 'web')) ?? '', /^node-[12]$/);
    const podReads = (user: string) => c.audit.query({ user, resource: 'pods' }).filter((r) => r.verb === 'list' || r.verb === 'watch').map((r) => r.verb);
    assert.deepEqual(podReads(SCHEDULER_USER), ['list', 'watch'], 'as kube-scheduler lists and watches');
    const [list, watch] = c.audit.query({ user: SCHEDULER_USER, resource: 'pods' }).filter((r) => r.verb === 'list' || r.verb === 'watch');
    assert.equal(list!.requestURI, '/api/v1/pods?fieldSelector=status.phase%21%3DSucceeded%2Cstatus.phase%21%3DFailed');
    assert.match(watch!.requestURI, /^\/api\/v1\/pods\?fieldSelector=status\.phase%21%3DSucceeded%2Cstatus\.phase%21%3DFailed&resourceVersion=\d+&allowWatchBookmarks=true&watch=true$/);
    assert.equal(list!.userAgent, 'kube-scheduler/v1.32.4 (linux/amd64) kubernetes/kube-sim');
    // The pods are listed and watched once, by the controller manager, whose informer it reads.
    assert.deepEqual(podReads('system:kube-controller-manager'), ['list', 'watch']);
    // Its writes keep its identity: the binding, and its nodes and namespaces it still watches itself.
    const binding = c.audit.query({ resource: 'pods', name: 'web' }).find((r) => r.subresource === 'binding');
    assert.equal(binding?.user, SCHEDULER_USER);
    assert.ok(c.audit.query({ user: SCHEDULER_USER, resource: 'nodes' }).some((r) => r.verb === 'watch'));
  } finally {
    await c.stop();
  }
});

test('a stopped scheduler takes its handlers off the shared pod informer: new pods stay unbound while the controllers go on', async () => {
  const clock = new ManualClock();
  const c = await Cluster.start({ clock, nodes: 1 });
  try {
    await c.scheduler.stop();
    await c.client().resource<Pod>(PODS).create({ metadata: { name: 'late', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } as Pod, { namespace: 'default' });
    for (let i = 0; i < 20; i++) { await clock.advance(100); await new Promise((resolve) => setImmediate(resolve)); }
    const pod = await c.client().resource<Pod>(PODS).get('late', { namespace: 'default' });
    assert.equal(pod.spec.nodeName, undefined);
    assert.equal(c.scheduler.cache.nodeCount, 1);
    assert.equal(c.scheduler.queue.has(pod), false, 'the stopped scheduler no longer hears of pods');
  } finally {
    await c.stop();
  }
});
