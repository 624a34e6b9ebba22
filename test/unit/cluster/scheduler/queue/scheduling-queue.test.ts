import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../../../src/cluster/clock';
import { backoffDuration, MAX_IN_UNSCHEDULABLE_PODS_MS, SchedulingQueue } from '../../../../../src/cluster/scheduler/queue/scheduling-queue';
import { PrioritySort } from '../../../../../src/cluster/scheduler/plugins/priority-sort';
import { SchedulingGates } from '../../../../../src/cluster/scheduler/plugins/scheduling-gates';
import { pod } from '../fixtures';

function newQueue(clock = new ManualClock()) {
  const gates = new SchedulingGates();
  return { clock, q: new SchedulingQueue(clock, new PrioritySort(), (p) => gates.preEnqueue(p)) };
}

test('back-off is 1 s doubling per attempt, capped at 10 s', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(backoffDuration), [1000, 2000, 4000, 8000, 10000, 10000]);
});

test('activeQ pops the highest priority first, then first come first served', () => {
  const { q } = newQueue();
  q.add(pod('low', { priority: 0 }));
  q.add(pod('high', { priority: 100 }));
  q.add(pod('low-2', { priority: 0 }));
  assert.deepEqual([q.popNow(), q.popNow(), q.popNow()].map((x) => x?.podInfo.pod.metadata.name), ['high', 'low', 'low-2']);
});

test('an unschedulable pod waits in the pool until an event that may help, then its back-off', async () => {
  const { q, clock } = newQueue();
  q.add(pod('web'));
  const qp = q.popNow()!;
  q.requeue(qp, q.schedulingCycle, true);
  qp.unschedulablePlugins = new Set(['NodeResourcesFit']);
  assert.deepEqual(q.counts, { active: 0, backoff: 0, unschedulable: 1, inFlight: 0 });
  q.moveAllToActiveOrBackoffQueue('AssignedPodAdd'); // cannot free resources
  assert.equal(q.counts.unschedulable, 1);
  q.moveAllToActiveOrBackoffQueue('AssignedPodDelete');
  assert.deepEqual(q.counts, { active: 0, backoff: 1, unschedulable: 0, inFlight: 0 });
  await clock.advance(999);
  assert.equal(q.counts.active, 0);
  await clock.advance(1);
  assert.equal(q.counts.active, 1);
});

test('a failure during a cycle in which the cluster changed goes to back-off, not the pool', () => {
  const { q } = newQueue();
  q.add(pod('web'));
  const qp = q.popNow()!;
  const cycle = q.schedulingCycle;
  q.moveAllToActiveOrBackoffQueue('NodeAdd');
  q.requeue(qp, cycle, true);
  assert.equal(q.counts.backoff, 1);
});

test('parked pods return after 5 minutes; gated pods wait for their gates to go', async () => {
  const { q, clock } = newQueue();
  q.add(pod('web'));
  q.requeue(q.popNow()!, q.schedulingCycle, true);
  const gated = pod('gated', { gates: ['example.com/wait'] });
  q.add(gated);
  assert.equal(q.counts.unschedulable, 2);
  await clock.advance(MAX_IN_UNSCHEDULABLE_PODS_MS);
  assert.equal(q.counts.active, 1);
  assert.equal(q.counts.unschedulable, 1);
  q.update({ ...gated, spec: { ...gated.spec, schedulingGates: [] } });
  assert.equal(q.counts.active, 2);
});
