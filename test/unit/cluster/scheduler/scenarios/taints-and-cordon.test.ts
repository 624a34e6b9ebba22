import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NODES } from '../../../../../src/cluster/client/client';
import { startHarness } from './harness';

test('taints keep pods away unless tolerated', async () => {
  const h = await startHarness();
  try {
    await h.addNode('gpu-1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    await h.addPod('web');
    let p = await h.getPod('web');
    const msg = '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
    assert.equal(h.condition(p)?.message, msg);
    assert.deepEqual((await h.events('web')).map((e) => [e.type, e.reason, e.note]), [['Warning', 'FailedScheduling', msg]]);
    assert.deepEqual(h.explanation(p).latest.nodes[0]!.filters.find((f) => f.plugin === 'TaintToleration'), { plugin: 'TaintToleration', verdict: 'rejected', reason: 'node(s) had untolerated taint {dedicated: gpu}', code: 'UnschedulableAndUnresolvable' });
    assert.match(h.explanation(p).summary, /^Pending: 1 node has the taint dedicated=gpu that the pod does not tolerate\. Add a toleration for it to spec\.tolerations, or remove it \(kubectl taint node gpu-1 dedicated-\)\./);
    await h.addPod('trainer', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] });
    p = await h.getPod('trainer');
    assert.equal(p.spec.nodeName, 'gpu-1');
    assert.deepEqual((await h.events('trainer')).map((e) => e.note), ['Successfully assigned default/trainer to gpu-1']);
  } finally {
    await h.stop();
  }
});

test('a cordoned node takes no pods; uncordoning it moves the pending pod back and it is scheduled', async () => {
  const h = await startHarness();
  try {
    await h.addNode('node-1', { unschedulable: true });
    await h.addPod('web');
    let p = await h.getPod('web');
    assert.equal(h.condition(p)?.message, '0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.');
    assert.match(h.explanation(p).summary, /cordoned \(spec\.unschedulable\)/);
    await h.client.resource(NODES).patch('node-1', 'merge', { spec: { unschedulable: null } });
    await h.settle();
    await h.advance(1000); // the first back-off (1 s) runs out
    p = await h.getPod('web');
    assert.equal(p.spec.nodeName, 'node-1');
    const history = h.explanation(p).history;
    assert.deepEqual(history.map((a) => a.outcome), ['Unschedulable', 'Scheduled']);
  } finally {
    await h.stop();
  }
});

test('a pending pod becomes schedulable when a node is added', async () => {
  const h = await startHarness();
  try {
    await h.addNode('small', { cpu: '1' });
    await h.addPod('big', { cpu: '3' });
    let p = await h.getPod('big');
    assert.equal(h.condition(p)?.reason, 'Unschedulable');
    await h.addNode('large', { cpu: '8' });
    await h.advance(1000);
    p = await h.getPod('big');
    assert.equal(p.spec.nodeName, 'large');
    const events = await h.events('big');
    assert.deepEqual(events.map((e) => e.reason), ['FailedScheduling', 'Scheduled']);
  } finally {
    await h.stop();
  }
});
