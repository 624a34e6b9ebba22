import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../../../src/cluster/api/types';
import { isUnschedulable, podStatusView } from '../../../../src/ui/tree/nodes/pod-status';

function pod(fields: Partial<Pod> = {}): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] }, ...fields };
}

const withContainer = (phase: 'Running' | 'Pending' | 'Succeeded', state: object, extra: object = {}) =>
  pod({ spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }] }, status: { phase, containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 3, state, ...extra }] } });

test('a new pod with no node is Pending, as kubectl prints it', () => {
  const view = podStatusView(pod({ status: { phase: 'Pending' } }));
  assert.equal(view.status, 'Pending');
  assert.equal(view.kind, 'pending');
  assert.equal(view.ready, '0/1');
});

test('an unschedulable pod still reads Pending; the condition tells it apart', () => {
  const p = pod({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }] } });
  assert.equal(podStatusView(p).status, 'Pending');
  assert.equal(isUnschedulable(p), true);
});

test("a waiting container's reason wins over the phase, as in kubectl's STATUS", () => {
  assert.deepEqual([podStatusView(withContainer('Running', { waiting: { reason: 'CrashLoopBackOff' } })).status, podStatusView(withContainer('Running', { waiting: { reason: 'CrashLoopBackOff' } })).kind], ['CrashLoopBackOff', 'failing']);
  assert.deepEqual([podStatusView(withContainer('Pending', { waiting: { reason: 'ContainerCreating' } })).status, podStatusView(withContainer('Pending', { waiting: { reason: 'ContainerCreating' } })).kind], ['ContainerCreating', 'creating']);
  assert.equal(podStatusView(withContainer('Running', { terminated: { exitCode: 1, reason: 'Error' } })).kind, 'failing');
  assert.equal(podStatusView(withContainer('Succeeded', { terminated: { exitCode: 0, reason: 'Completed' } })).kind, 'completed');
});

test('a running ready pod is running; a deleted one is Terminating', () => {
  const running = withContainer('Running', { running: { startedAt: '2026-01-01T00:00:00Z' } }, { ready: true });
  assert.deepEqual([podStatusView(running).status, podStatusView(running).ready, podStatusView(running).kind], ['Running', '1/1', 'running']);
  const deleted = { ...running, metadata: { ...running.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
  assert.deepEqual([podStatusView(deleted).status, podStatusView(deleted).kind], ['Terminating', 'terminating']);
  const notReady = withContainer('Running', { running: { startedAt: '2026-01-01T00:00:00Z' } });
  assert.equal(podStatusView(notReady).kind, 'notReady');
});

test('a running pod whose Ready condition is False (its node stopped reporting) is not ready, though kubectl still prints 1/1', () => {
  const running = withContainer('Running', { running: { startedAt: '2026-01-01T00:00:00Z' } }, { ready: true });
  const unreachable = { ...running, status: { ...running.status, conditions: [{ type: 'Ready', status: 'False' as const }, { type: 'ContainersReady', status: 'True' as const }] } };
  assert.deepEqual([podStatusView(unreachable).status, podStatusView(unreachable).ready, podStatusView(unreachable).kind], ['Running', '1/1', 'notReady']);
  const ready = { ...running, status: { ...running.status, conditions: [{ type: 'Ready', status: 'True' as const }] } };
  assert.equal(podStatusView(ready).kind, 'running');
});
