import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../../../src/cluster/api/types';
import { podHealth, podStatusText } from '../../../../src/ui/tree/nodes/pod-status';

function pod(fields: Partial<Pod> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] }, ...fields };
}

test('a new pod with no status is Pending, still progressing', () => {
  assert.equal(podStatusText(pod()), 'Pending');
  assert.equal(podHealth(pod()), 'progressing');
});

test('a pod the scheduler cannot place says Unschedulable', () => {
  const p = pod({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }] } });
  assert.equal(podStatusText(p), 'Unschedulable');
  assert.equal(podHealth(p), 'failing');
});

test("a waiting container's reason wins over the phase, as in kubectl's STATUS", () => {
  const waiting = (reason: string) => pod({ spec: { nodeName: 'node-1', containers: [] }, status: { phase: 'Running', containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 3, state: { waiting: { reason } } }] } });
  assert.equal(podStatusText(waiting('CrashLoopBackOff')), 'CrashLoopBackOff');
  assert.equal(podHealth(waiting('CrashLoopBackOff')), 'failing');
  assert.equal(podStatusText(waiting('ContainerCreating')), 'ContainerCreating');
  assert.equal(podHealth(waiting('ContainerCreating')), 'progressing');
});

test('a running pod is ok; a terminating one says Terminating', () => {
  const running = pod({ spec: { nodeName: 'node-1', containers: [] }, status: { phase: 'Running' } });
  assert.equal(podStatusText(running), 'Running');
  assert.equal(podHealth(running), 'ok');
  assert.equal(podStatusText({ ...running, metadata: { ...running.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }), 'Terminating');
});
