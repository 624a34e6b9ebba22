import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditRecord } from '../../../../src/cluster/apiserver/audit';
import type { Pod } from '../../../../src/cluster/api/types';
import { explanationAnnotations } from '../../../../src/cluster/scheduler/explain/annotations';
import { stepOf, timeline, whyDocument } from '../../../../src/ui/inspect/why';

function record(fields: Partial<AuditRecord>): AuditRecord {
  return {
    id: 1, time: '2026-01-01T00:00:01.000Z', user: 'kube-sim-admin', groups: [], userAgent: 'kube-sim', verb: 'patch', method: 'PATCH',
    requestURI: '/api/v1/namespaces/default/pods/web', apiGroup: '', apiVersion: 'v1', resource: 'pods', subresource: '', namespace: 'default', name: 'web', code: 200,
    ...fields,
  };
}

test("each request of a pod's life is named as a step of the flow", () => {
  assert.match(stepOf(record({ requestURI: '/api/v1/namespaces/default/pods/web?dryRun=All&fieldManager=x' })), /dry run/);
  assert.match(stepOf(record({ code: 201 })), /^kube-sim-admin created the pod \(server-side apply\)/);
  assert.equal(stepOf(record({ user: 'system:kube-scheduler', verb: 'create', method: 'POST', subresource: 'binding', code: 201 })), 'the scheduler bound the pod to its node (system:kube-scheduler)');
  assert.equal(stepOf(record({ user: 'system:node:node-2', subresource: 'status' })), "the kubelet on node-2 reported the pod's status");
  assert.match(stepOf(record({ verb: 'delete', method: 'DELETE' })), /deleted the pod/);
});

test('reads are left out of the timeline; writes are listed with their request and code', () => {
  const text = timeline([record({ verb: 'get', method: 'GET' }), record({ code: 201 })]);
  assert.equal(text.split('\n').length, 2);
  assert.match(text, /PATCH \/api\/v1\/namespaces\/default\/pods\/web\s+201$/);
});

test('node tables list nodes by name (node-2 before node-10), whatever order the scheduler evaluated them in', () => {
  const node = (name: string) => ({
    node: name, feasible: true,
    filters: [{ plugin: 'NodeResourcesFit', verdict: 'passed' as const }],
    scores: [{ plugin: 'NodeResourcesFit', raw: 50, normalized: 50, weight: 1, weighted: 50 }],
    final: 50,
  });
  const latest = {
    attempt: 1, time: '2026-01-01T00:00:00Z', outcome: 'Scheduled' as const, selectedNode: 'node-2', message: 'Successfully assigned default/web to node-2',
    numAllNodes: 3, numEvaluated: 3, numFeasible: 3, skippedFilters: [], skippedScores: [], filterHistogram: [],
    nodes: [node('node-10'), node('node-2'), node('node-1')], truncated: false, podRequests: {},
  };
  const annotations = explanationAnnotations({ latest, history: [{ attempt: 1, time: latest.time, outcome: 'Scheduled', selectedNode: 'node-2', message: latest.message }], summary: 'Placed on node-2.' });
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', annotations }, spec: { nodeName: 'node-2', containers: [] } } as Pod;
  const rows = whyDocument(pod, []).split('\n').filter((line) => /^\s+node-\d+\s/.test(line)).map((line) => line.trim().split(/\s+/)[0]);
  // Filter table, then Score table: each in name order.
  assert.deepEqual(rows, ['node-1', 'node-2', 'node-10', 'node-1', 'node-2', 'node-10']);
});
