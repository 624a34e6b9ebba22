import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calculateNumCandidates, DefaultPreemption, MSG_POLICY_NEVER } from '../../../../../src/cluster/scheduler/plugins/default-preemption';
import { Code, Status } from '../../../../../src/cluster/scheduler/framework/status';
import { frameworkOver, newState, node, nodeInfo, pod, podInfo, snapshotOf } from '../fixtures';
import { seededRandom } from '../../../../../src/cluster/scheduler/schedule-one';

test('calculateNumCandidates: 10% of the nodes, at least 100, at most all', () => {
  for (const [n, want] of [[3, 3], [100, 100], [500, 100], [5000, 500]] as const) assert.equal(calculateNumCandidates(n), want);
});

test('DefaultPreemption picks the node whose victims matter least and words failures as kube-scheduler', () => {
  const nodes = [
    nodeInfo(node('tainted', { cpu: '2', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] })),
    nodeInfo(node('busy-high', { cpu: '2' }), [pod('important', { cpu: '2', priority: 1000 })]),
    nodeInfo(node('busy-low', { cpu: '2' }), [pod('batch-1', { cpu: '1', priority: 0 }), pod('batch-2', { cpu: '1', priority: 10 })]),
  ];
  const fwk = frameworkOver(snapshotOf(nodes));
  const preemption = new DefaultPreemption(fwk, seededRandom(3));
  const filtered = new Map([
    ['tainted', Status.unresolvable('node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }')],
    ['busy-high', Status.unschedulable('Insufficient cpu')],
    ['busy-low', Status.unschedulable('Insufficient cpu')],
  ]);
  const incoming = podInfo(pod('urgent', { cpu: '1', priority: 100 }));
  const out = preemption.postFilter(newState(), incoming, filtered);
  assert.equal(out.status.code, Code.Success);
  assert.equal(out.result?.nominatedNodeName, 'busy-low');
  assert.deepEqual(out.result?.victims.map((v) => v.name), ['batch-1']);

  const low = podInfo(pod('low', { cpu: '1', priority: 0 }));
  const failed = preemption.postFilter(newState(), low, filtered);
  assert.equal(failed.status.message(), 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.');

  const never = podInfo(pod('never', { cpu: '1', priority: 100, preemptionPolicy: 'Never' }));
  assert.equal(preemption.postFilter(newState(), never, filtered).status.message(), MSG_POLICY_NEVER);
});
