import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numFeasibleNodesToFind, SchedulingAlgorithm, seededRandom, statusesForPostFilter } from '../../../../src/cluster/scheduler/schedule-one';
import { SchedulerCache } from '../../../../src/cluster/scheduler/cache/cache';
import { ManualClock } from '../../../../src/cluster/clock';
import { CycleState } from '../../../../src/cluster/scheduler/framework/cycle-state';
import { fitErrorMessage, newDiagnosis } from '../../../../src/cluster/scheduler/framework/fit-error';
import { Framework } from '../../../../src/cluster/scheduler/framework/runtime';
import { Status } from '../../../../src/cluster/scheduler/framework/status';
import { defaultPlugins } from '../../../../src/cluster/scheduler/plugins/registry';
import { node, pod, podInfo } from './fixtures';

test('numFeasibleNodesToFind: all nodes below 100, then 50% minus 1% per 125 nodes, at least 5% and 100 nodes', () => {
  const cases: [number, number][] = [[3, 3], [99, 99], [100, 100], [200, 100], [500, 230], [1000, 420], [5000, 500], [6000, 300], [10000, 500]];
  for (const [n, want] of cases) assert.equal(numFeasibleNodesToFind(n), want, `${n} nodes`);
  assert.equal(numFeasibleNodesToFind(1000, 20), 200);
  assert.equal(numFeasibleNodesToFind(300, 10), 100);
});

test('schedulePod stops after enough feasible nodes and the next pod starts where it stopped', () => {
  const cache = new SchedulerCache(new ManualClock());
  for (let i = 0; i < 300; i++) cache.addNode(node(`n-${i}`, { cpu: '64' }));
  const fwk = new Framework((h) => defaultPlugins(h, { rand: seededRandom(1) }));
  const algorithm = new SchedulingAlgorithm(fwk, seededRandom(1));
  const first = algorithm.schedulePod(new CycleState(), podInfo(pod('a', { cpu: '1' })), cache.snapshot());
  assert.equal(first.filterStatuses.size, 144); // 300 nodes: 48%
  assert.equal(first.feasible.length, 144);
  assert.equal(algorithm.nextStartNodeIndex, 144);
  const second = algorithm.schedulePod(new CycleState(), podInfo(pod('b', { cpu: '1' })), cache.snapshot());
  assert.equal([...second.filterStatuses.keys()][0], 'n-144');
  assert.equal(algorithm.nextStartNodeIndex, 288);
});

test('the framework stamps plugin names and the FitError histogram is assembled, sorted as strings', () => {
  const cache = new SchedulerCache(new ManualClock());
  cache.addNode(node('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }));
  cache.addNode(node('small-1', { cpu: '1' }));
  cache.addNode(node('small-2', { cpu: '1', memory: '1Gi' }));
  const fwk = new Framework((h) => defaultPlugins(h, { rand: seededRandom(1) }));
  const result = new SchedulingAlgorithm(fwk).schedulePod(new CycleState(), podInfo(pod('big', { cpu: '2', memory: '2Gi' })), cache.snapshot());
  assert.equal(result.suggestedHost, undefined);
  assert.deepEqual([...result.diagnosis.nodeToStatus].map(([n, s]) => [n, s.plugin]), [['cp', 'TaintToleration'], ['small-1', 'NodeResourcesFit'], ['small-2', 'NodeResourcesFit']]);
  assert.deepEqual([...result.diagnosis.unschedulablePlugins].sort(), ['NodeResourcesFit', 'TaintToleration']);
  assert.equal(fitErrorMessage(3, result.diagnosis), '0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.');
});

test('FitError: a PreFilter rejection prints only its message; the PostFilter message follows with one period', () => {
  const d = newDiagnosis();
  d.preFilterMsg = 'pod has unbound immediate PersistentVolumeClaims';
  for (const n of ['a', 'b', 'c']) d.nodeToStatus.set(n, Status.unresolvable(d.preFilterMsg));
  d.postFilterMsg = 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
  assert.equal(fitErrorMessage(3, d), '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
  const none = newDiagnosis();
  none.postFilterMsg = 'preemption: not eligible due to preemptionPolicy=Never.';
  none.nodeToStatus.set('a', Status.unschedulable('Insufficient cpu'));
  assert.equal(fitErrorMessage(1, none), '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
});

test('a PreFilter that narrows the nodes (matchFields metadata.name) counts the others as absent, and preemption skips them', () => {
  const cache = new SchedulerCache(new ManualClock());
  for (const n of ['node-1', 'node-2', 'node-3']) cache.addNode(node(n, { cpu: '1' }));
  const fwk = new Framework((h) => defaultPlugins(h, { rand: seededRandom(1) }));
  const p = podInfo(pod('pinned', { cpu: '2', affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] }] } } } }));
  const state = new CycleState();
  const snapshot = cache.snapshot();
  const result = new SchedulingAlgorithm(fwk).schedulePod(state, p, snapshot);
  assert.deepEqual([...result.filterStatuses.keys()], ['node-2']);
  const pf = fwk.runPostFilterPlugins(state, p, statusesForPostFilter(result, snapshot));
  result.diagnosis.postFilterMsg = pf.status.message();
  assert.equal(fitErrorMessage(3, result.diagnosis), "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.");
});
