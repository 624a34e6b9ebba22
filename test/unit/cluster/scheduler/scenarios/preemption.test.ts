import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PODS } from '../../../../../src/cluster/client/client';
import { PRIORITY_CLASSES } from '../../../../../src/cluster/scheduler/scheduler';
import { startHarness } from './harness';

test('a high-priority pod preempts a lower-priority one, is nominated, and lands once the victim is gone', async () => {
  const h = await startHarness();
  try {
    await h.client.resource(PRIORITY_CLASSES).create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 } as never);
    await h.settle();
    await h.addNode('node-1', { cpu: '2' });
    await h.addPod('batch', { cpu: '2' });
    assert.equal((await h.getPod('batch')).spec.nodeName, 'node-1');
    const urgent = (await import('../fixtures')).pod('urgent', { cpu: '2' });
    delete (urgent.metadata as { uid?: string }).uid;
    delete urgent.status;
    urgent.spec.priorityClassName = 'high';
    await h.client.resource(PODS).create(urgent);
    await h.settle();

    let p = await h.getPod('urgent');
    assert.equal(p.status?.nominatedNodeName, 'node-1');
    assert.equal(h.condition(p)?.message, '0/1 nodes are available: 1 Insufficient cpu.');
    const e = h.explanation(p);
    assert.equal(e.latest.outcome, 'Nominated');
    assert.deepEqual(e.latest.victims, ['default/batch']);
    assert.match(e.summary, /preempting pod default\/batch on node-1/);

    const victim = await h.getPod('batch');
    assert.ok(victim.metadata.deletionTimestamp, 'the victim is deleted gracefully');
    assert.deepEqual(victim.status?.conditions?.filter((c) => c.type === 'DisruptionTarget').map((c) => [c.reason, c.message]), [['PreemptionByScheduler', 'default-scheduler: preempting to accommodate a higher priority pod']]);
    const preempted = (await h.events('batch')).filter((ev) => ev.reason === 'Preempted');
    assert.deepEqual(preempted.map((ev) => [ev.type, ev.action, ev.note]), [['Normal', 'Preempting', `Preempted by pod ${p.metadata.uid} on node node-1`]]);

    // The kubelet would finish the graceful deletion; here the test does.
    await h.client.resource(PODS).delete('batch', { namespace: 'default', gracePeriodSeconds: 0 });
    await h.settle();
    await h.advance(1000);
    p = await h.getPod('urgent');
    assert.equal(p.spec.nodeName, 'node-1');
  } finally {
    await h.stop();
  }
});
