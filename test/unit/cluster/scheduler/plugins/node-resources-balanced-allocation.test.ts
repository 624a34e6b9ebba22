import { test } from 'node:test';
import assert from 'node:assert/strict';
import { balancedResourceScore, NodeResourcesBalancedAllocation } from '../../../../../src/cluster/scheduler/plugins/node-resources-balanced-allocation';
import { newState, node, nodeInfo, pod, podInfo } from '../fixtures';

test('NodeResourcesBalancedAllocation prefers nodes whose cpu and memory fractions stay close', () => {
  const cases = [
    { requested: [2, 4], allocatable: [4, 8], want: 100 },
    { requested: [4, 0], allocatable: [4, 8], want: 50 },
    { requested: [1, 3], allocatable: [4, 4], want: 75 },
    { requested: [8, 8], allocatable: [4, 8], want: 100 },
  ];
  for (const c of cases) assert.equal(balancedResourceScore(c.requested, c.allocatable), c.want, JSON.stringify(c));
  const n = nodeInfo(node('n', { cpu: '4', memory: '4Gi' }));
  assert.equal(new NodeResourcesBalancedAllocation().score(newState(), podInfo(pod('p', { cpu: '2', memory: '2Gi' })), n), 100);
  assert.equal(new NodeResourcesBalancedAllocation().score(newState(), podInfo(pod('p', { cpu: '4', memory: '1Gi' })), n), 62);
});
