/** The Deployment controller's look again at the progress deadline (requeueStuckDeployment). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../src/cluster/api/types';
import { ManualClock } from '../../../../src/cluster/clock';
import type { DeploymentContext } from '../../../../src/cluster/controllers/deployment/context';
import { requeueStuck } from '../../../../src/cluster/controllers/deployment/progress';
import { deploymentTimedOut, type DeploymentStatus } from '../../../../src/cluster/controllers/deployment/util';

function stuckDeployment(lastUpdate: number): { d: KubeObject; status: DeploymentStatus } {
  const t = new Date(lastUpdate).toISOString();
  const status: DeploymentStatus = {
    observedGeneration: 1, replicas: 1, updatedReplicas: 1, unavailableReplicas: 1,
    conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'ReplicaSet "web-x" is progressing.', lastUpdateTime: t, lastTransitionTime: t }],
  };
  const d: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', generation: 1 }, spec: { replicas: 1, progressDeadlineSeconds: 10 }, status };
  return { d, status };
}

function requeues(now: number, lastUpdate: number): number[] {
  const clock = new ManualClock(now);
  const delays: number[] = [];
  const queue = { addAfter: (_key: string, ms: number) => delays.push(ms), add: () => delays.push(0) };
  const ctx = { clock, queue } as unknown as DeploymentContext;
  const { d, status } = stuckDeployment(lastUpdate);
  requeueStuck(ctx, d, status);
  return delays;
}

test('a stuck Deployment is looked at again one second after its progress deadline', () => {
  const lastUpdate = Date.parse('2026-01-01T00:00:00Z');
  assert.deepEqual(requeues(lastUpdate + 3_000, lastUpdate), [8_000]);
});

test('under a second before the deadline it is looked at again once the deadline has passed, not at once (no busy loop until then)', () => {
  const lastUpdate = Date.parse('2026-01-01T00:00:00Z');
  const now = lastUpdate + 9_500;
  const [delay] = requeues(now, lastUpdate);
  assert.ok(delay !== undefined && delay > 0, `requeued after ${delay} ms`);
  // When the sync runs again, the deadline has passed: it reports ProgressDeadlineExceeded and stops looking.
  const { d, status } = stuckDeployment(lastUpdate);
  assert.equal(deploymentTimedOut(d, status, now), false);
  assert.equal(deploymentTimedOut(d, status, now + delay!), true);
});
