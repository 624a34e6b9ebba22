import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarize } from '../../../../../src/cluster/scheduler/explain/summary';
import { explanationAnnotations, readExplanation, FILTER_RESULT } from '../../../../../src/cluster/scheduler/explain/annotations';
import type { AttemptExplanation } from '../../../../../src/cluster/scheduler/explain/types';
import { pod } from '../fixtures';

const base: AttemptExplanation = {
  attempt: 1, time: '2026-01-01T00:00:00Z', outcome: 'Unschedulable', message: '', numAllNodes: 3, numEvaluated: 3, numFeasible: 0,
  skippedFilters: [], skippedScores: [], filterHistogram: [], nodes: [], truncated: false, podRequests: { cpu: 2000, memory: 0 },
};

test('the summary names what blocks the pod and the field to change', () => {
  const cases: { a: Partial<AttemptExplanation>; want: RegExp }[] = [
    {
      a: {
        filterHistogram: [{ plugin: 'NodeResourcesFit', reason: 'Insufficient cpu', count: 2 }],
        nodes: [
          { node: 'node-3', feasible: false, filters: [], free: { cpu: 500 } },
          { node: 'node-2', feasible: false, filters: [], free: { cpu: 1500 } },
        ],
      },
      want: /^Pending: no node has 2 CPUs free; node-2 has 1\.5, node-3 has 0\.5\. Lower spec\.containers\[0\]\.resources\.requests\.cpu or add a node\.$/,
    },
    { a: { filterHistogram: [{ plugin: 'NodeUnschedulable', reason: 'node(s) were unschedulable', count: 3 }] }, want: /3 nodes are cordoned/ },
    { a: { numAllNodes: 0 }, want: /^Pending: the cluster has no nodes\. Add a node\.$/ },
    { a: { outcome: 'Nominated', nominatedNode: 'node-1', victims: ['default/batch'] }, want: /preempting pod default\/batch on node-1/ },
  ];
  for (const c of cases) assert.match(summarize({ ...base, ...c.a }, pod('p', { cpu: '2' })), c.want);
});

test('explanations round-trip through the annotations', () => {
  const a: AttemptExplanation = { ...base, nodes: [{ node: 'node-1', feasible: false, filters: [{ plugin: 'NodeResourcesFit', verdict: 'rejected', reason: 'Insufficient cpu', code: 'Unschedulable' }, { plugin: 'PodTopologySpread', verdict: 'not-run' }] }] };
  const annotations = explanationAnnotations({ latest: a, history: [{ attempt: 1, time: a.time, outcome: a.outcome, message: 'm' }], summary: 's' });
  assert.deepEqual(JSON.parse(annotations[FILTER_RESULT]!), { 'node-1': { NodeResourcesFit: 'Insufficient cpu' } });
  const back = readExplanation(annotations)!;
  assert.deepEqual(back.latest, a);
  assert.equal(back.summary, 's');
});
