import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeName, ERR_REASON_NODE_NAME } from '../../../../../src/cluster/scheduler/plugins/node-name';
import { Code } from '../../../../../src/cluster/scheduler/framework/status';
import { newState, node, nodeInfo, pod, podInfo } from '../fixtures';

test('NodeName fits a pod only on the node it names', () => {
  const cases = [
    { nodeName: undefined, node: 'node-1', code: Code.Success },
    { nodeName: 'node-1', node: 'node-1', code: Code.Success },
    { nodeName: 'node-2', node: 'node-1', code: Code.UnschedulableAndUnresolvable },
  ];
  for (const c of cases) {
    const s = new NodeName().filter(newState(), podInfo(pod('p', c.nodeName ? { nodeName: c.nodeName } : {})), nodeInfo(node(c.node)));
    assert.equal(s.code, c.code);
    if (!s.isSuccess()) assert.equal(s.message(), ERR_REASON_NODE_NAME);
  }
});
