import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeUnschedulable, ERR_REASON_UNSCHEDULABLE } from '../../../../../src/cluster/scheduler/plugins/node-unschedulable';
import { Code } from '../../../../../src/cluster/scheduler/framework/status';
import { newState, node, nodeInfo, pod, podInfo } from '../fixtures';

test('NodeUnschedulable keeps pods off cordoned nodes unless they tolerate the unschedulable taint', () => {
  const cases = [
    { name: 'schedulable node', unschedulable: false, tolerations: [], code: Code.Success },
    { name: 'cordoned node', unschedulable: true, tolerations: [], code: Code.UnschedulableAndUnresolvable },
    { name: 'cordoned, tolerated', unschedulable: true, tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists' as const, effect: 'NoSchedule' as const }], code: Code.Success },
    { name: 'cordoned, tolerate everything', unschedulable: true, tolerations: [{ operator: 'Exists' as const }], code: Code.Success },
  ];
  for (const c of cases) {
    const s = new NodeUnschedulable().filter(newState(), podInfo(pod('p', { tolerations: c.tolerations })), nodeInfo(node('n', { unschedulable: c.unschedulable })));
    assert.equal(s.code, c.code, c.name);
    if (c.code !== Code.Success) assert.deepEqual(s.reasons, [ERR_REASON_UNSCHEDULABLE]);
  }
});
