/**
 * The two strategies (rolling.go, recreate.go) and the cleanup of old ReplicaSets past
 * revisionHistoryLimit (sync.go cleanupDeployment).
 */
import { isStatusError } from '../../api/errors';
import type { KubeObject, Pod } from '../../api/types';
import { PODS_BY_CONTROLLER, REPLICASETS } from '../workload-informers';
import type { DeploymentContext } from './context';
import { actualReplicas, availableReplicas, byCreation, deploymentComplete, isActive, maxUnavailable, replicasOf, revisionOf, rsStatusOf, specOf, specReplicas, type DeploymentStatus } from './util';
import { syncRolloutStatus } from './progress';
import { allReplicaSets, newRSNewReplicas } from './new-replicaset';
import { scaleReplicaSetAndRecordEvent } from './scale';

export async function rolloutRolling(ctx: DeploymentContext, d: KubeObject, rsList: KubeObject[]): Promise<void> {
  const { newRS, oldRSs } = await allReplicaSets(ctx, d, rsList, true);
  const allRSs = [...oldRSs, newRS!];
  if (await reconcileNewReplicaSet(ctx, allRSs, newRS!, d)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (await reconcileOldReplicaSets(ctx, allRSs, oldRSs.filter(isActive), newRS!, d)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (deploymentComplete(d, (d.status ?? {}) as DeploymentStatus)) await cleanup(ctx, d, oldRSs);
  return syncRolloutStatus(ctx, allRSs, newRS, d);
}

export async function reconcileNewReplicaSet(ctx: DeploymentContext, allRSs: KubeObject[], newRS: KubeObject, d: KubeObject): Promise<boolean> {
  const desired = specOf(d).replicas ?? 0;
  if (replicasOf(newRS) === desired) return false;
  if (replicasOf(newRS) > desired) return (await scaleReplicaSetAndRecordEvent(ctx, newRS, desired, d)).scaled;
  return (await scaleReplicaSetAndRecordEvent(ctx, newRS, newRSNewReplicas(d, allRSs, newRS), d)).scaled;
}

export async function reconcileOldReplicaSets(ctx: DeploymentContext, allRSs: KubeObject[], oldRSs: KubeObject[], newRS: KubeObject, d: KubeObject): Promise<boolean> {
  if (specReplicas(oldRSs) === 0) return false;
  const minAvailable = (specOf(d).replicas ?? 0) - maxUnavailable(d);
  const newUnavailable = replicasOf(newRS) - (rsStatusOf(newRS).availableReplicas ?? 0);
  const maxScaledDown = specReplicas(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  // Unhealthy old replicas first: they would otherwise block the rollout.
  const sorted = [...oldRSs].sort(byCreation);
  let cleaned = 0;
  for (let i = 0; i < sorted.length && cleaned < maxScaledDown; i++) {
    const rs = sorted[i]!;
    const unhealthy = replicasOf(rs) - (rsStatusOf(rs).availableReplicas ?? 0);
    if (replicasOf(rs) === 0 || unhealthy <= 0) continue;
    const count = Math.min(maxScaledDown - cleaned, unhealthy);
    sorted[i] = (await scaleReplicaSetAndRecordEvent(ctx, rs, replicasOf(rs) - count, d)).rs;
    cleaned += count;
  }
  const available = availableReplicas([...sorted, newRS]);
  let scaledDown = 0;
  if (available > minAvailable) {
    const total = available - minAvailable;
    for (const rs of sorted) {
      if (scaledDown >= total) break;
      if (replicasOf(rs) === 0) continue;
      const count = Math.min(replicasOf(rs), total - scaledDown);
      await scaleReplicaSetAndRecordEvent(ctx, rs, replicasOf(rs) - count, d);
      scaledDown += count;
    }
  }
  return cleaned + scaledDown > 0;
}

export async function rolloutRecreate(ctx: DeploymentContext, d: KubeObject, rsList: KubeObject[]): Promise<void> {
  let { newRS, oldRSs } = await allReplicaSets(ctx, d, rsList, false);
  let allRSs = [...oldRSs, ...(newRS ? [newRS] : [])];
  let scaledDown = false;
  for (const rs of oldRSs.filter(isActive)) if ((await scaleReplicaSetAndRecordEvent(ctx, rs, 0, d)).scaled) scaledDown = true;
  if (scaledDown) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (oldPodsRunning(ctx, newRS, oldRSs)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = await allReplicaSets(ctx, d, rsList, true));
    allRSs = [...oldRSs, newRS!];
  }
  const desired = specOf(d).replicas ?? 0;
  await scaleReplicaSetAndRecordEvent(ctx, newRS!, desired, d);
  if (deploymentComplete(d, (d.status ?? {}) as DeploymentStatus)) await cleanup(ctx, d, oldRSs);
  return syncRolloutStatus(ctx, allRSs, newRS, d);
}

/** oldPodsRunning: an old ReplicaSet still reports replicas, or one of its pods has not finished. */
export function oldPodsRunning(ctx: DeploymentContext, newRS: KubeObject | undefined, oldRSs: KubeObject[]): boolean {
  if (actualReplicas(oldRSs) > 0) return true;
  const old = new Set(oldRSs.map((rs) => rs.metadata.uid));
  for (const uid of old) {
    if (uid === undefined || uid === newRS?.metadata.uid) continue;
    const running = ctx.pods.byIndex(PODS_BY_CONTROLLER, uid).some((p) => {
      const phase = (p as Pod).status?.phase;
      return phase !== 'Failed' && phase !== 'Succeeded';
    });
    if (running) return true;
  }
  return false;
}

/** cleanupDeployment: old ReplicaSets beyond revisionHistoryLimit, oldest revision first, only when empty. */
export async function cleanup(ctx: DeploymentContext, d: KubeObject, oldRSs: KubeObject[]): Promise<void> {
  const limit = specOf(d).revisionHistoryLimit;
  if (limit === undefined) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (const rs of cleanable.slice(0, diff)) {
    const s = rsStatusOf(rs);
    if ((s.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) continue;
    try {
      await ctx.client.resource(REPLICASETS).delete(rs.metadata.name ?? '', { namespace: rs.metadata.namespace });
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }
}
