import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchedulingGates } from '../../../../../src/cluster/scheduler/plugins/scheduling-gates';
import { PrioritySort } from '../../../../../src/cluster/scheduler/plugins/priority-sort';
import { Code } from '../../../../../src/cluster/scheduler/framework/status';
import { pod, podInfo } from '../fixtures';

test('SchedulingGates holds gated pods out of the queue', () => {
  const cases = [
    { gates: undefined, code: Code.Success, msg: '' },
    { gates: ['example.com/quota'], code: Code.UnschedulableAndUnresolvable, msg: 'waiting for scheduling gates: [example.com/quota]' },
  ];
  for (const c of cases) {
    const s = new SchedulingGates().preEnqueue(pod('p', c.gates ? { gates: c.gates } : {}));
    assert.equal(s.code, c.code);
    assert.equal(s.message(), c.msg);
  }
});

test('PrioritySort orders by priority, then by queue time', () => {
  const q = (name: string, priority: number, timestamp: number) => ({ podInfo: podInfo(pod(name, { priority })), timestamp, initialAttemptTimestamp: timestamp, attempts: 0, unschedulablePlugins: new Set<string>(), gated: false });
  const sort = new PrioritySort();
  const cases = [
    { a: q('hi', 100, 2), b: q('lo', 0, 1), want: true },
    { a: q('lo', 0, 1), b: q('hi', 100, 2), want: false },
    { a: q('first', 0, 1), b: q('second', 0, 2), want: true },
  ];
  for (const c of cases) assert.equal(sort.less(c.a, c.b), c.want);
});
