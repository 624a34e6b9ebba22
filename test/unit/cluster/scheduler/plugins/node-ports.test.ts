import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodePorts, ERR_REASON_PORTS } from '../../../../../src/cluster/scheduler/plugins/node-ports';
import { Code } from '../../../../../src/cluster/scheduler/framework/status';
import { newState, node, nodeInfo, pod, podInfo } from '../fixtures';

test('NodePorts rejects a node whose host port is taken', () => {
  const cases = [
    { used: [], want: [80], code: Code.Success },
    { used: [80], want: [80], code: Code.Unschedulable },
    { used: [80], want: [8080], code: Code.Success },
  ];
  for (const c of cases) {
    const n = nodeInfo(node('n'), c.used.length ? [pod('web', { hostPorts: c.used })] : []);
    const s = new NodePorts().filter(newState(), podInfo(pod('p', { hostPorts: c.want })), n);
    assert.equal(s.code, c.code);
    if (!s.isSuccess()) assert.equal(s.message(), ERR_REASON_PORTS);
  }
  assert.equal(new NodePorts().preFilter(newState(), podInfo(pod('p'))).status.code, Code.Skip);
});
