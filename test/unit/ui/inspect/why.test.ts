import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditRecord } from '../../../../src/cluster/apiserver/audit';
import { stepOf, timeline } from '../../../../src/ui/inspect/why';

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
