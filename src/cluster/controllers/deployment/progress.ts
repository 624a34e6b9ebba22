/**
 * A Deployment's status (progress.go, sync.go): counts and the Available condition, the
 * Progressing condition's estimate of progress and its deadline, paused/resumed, written through
 * /status.
 */
import type { KubeObject } from '../../api/types';
import { semanticEqual } from '../../api/validation/apps';
import { objectKey } from '../../client/informer';
import { FIELD_MANAGER } from '../controller-ref-manager';
import { DEPLOYMENTS } from '../workload-informers';
import type { DeploymentContext } from './context';
import { calculateStatus, condition, deploymentComplete, deploymentProgressing, deploymentTimedOut, getCondition, hasProgressDeadline, Reasons, removeCondition, rsStatusOf, setCondition, specOf, type DeploymentStatus } from './util';
import { allReplicaSets } from './new-replicaset';

export async function checkPausedConditions(ctx: DeploymentContext, d: KubeObject): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const status = (d.status ?? {}) as DeploymentStatus;
  const c = getCondition(status, 'Progressing');
  if (c?.reason === Reasons.TimedOut) return;
  const pausedCond = c?.reason === Reasons.Paused;
  const now = ctx.clock.now();
  if (specOf(d).paused && !pausedCond) setCondition(status, condition('Progressing', 'Unknown', Reasons.Paused, 'Deployment is paused', now));
  else if (!specOf(d).paused && pausedCond) setCondition(status, condition('Progressing', 'Unknown', Reasons.Resumed, 'Deployment is resumed', now));
  else return;
  await updateStatus(ctx, d, status);
}

export async function syncStatusOnly(ctx: DeploymentContext, d: KubeObject, rsList: KubeObject[]): Promise<void> {
  const { newRS, oldRSs } = await allReplicaSets(ctx, d, rsList, false);
  await syncDeploymentStatus(ctx, d, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
}

export async function syncDeploymentStatus(ctx: DeploymentContext, d: KubeObject, allRSs: KubeObject[], newRS: KubeObject | undefined): Promise<void> {
  const status = calculateStatus(allRSs, newRS, d, ctx.clock.now());
  if (semanticEqual(d.status ?? {}, status)) return;
  await updateStatus(ctx, d, status);
}

/** syncRolloutStatus: counts, Available, and the Progressing condition's estimate of progress. */
export async function syncRolloutStatus(ctx: DeploymentContext, allRSs: KubeObject[], newRS: KubeObject | undefined, d: KubeObject): Promise<void> {
  const now = ctx.clock.now();
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition((d.status ?? {}) as DeploymentStatus, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && current?.reason === Reasons.NewRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    const name = newRS?.metadata.name;
    if (deploymentComplete(d, status)) {
      setCondition(status, condition('Progressing', 'True', Reasons.NewRSAvailable, name ? `ReplicaSet "${name}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      const c = condition('Progressing', 'True', Reasons.ReplicaSetUpdated, name ? `ReplicaSet "${name}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`, now);
      if (current) {
        if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, 'Progressing');
      }
      setCondition(status, c);
    } else if (deploymentTimedOut(d, status, now)) {
      setCondition(status, condition('Progressing', 'False', Reasons.TimedOut, name ? `ReplicaSet "${name}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`, now));
    }
  }
  const failure = [newRS, ...allRSs].map((rs) => rs && rsStatusOf(rs).conditions?.find((c) => c.type === 'ReplicaFailure')).find((c) => c);
  if (failure) {
    setCondition(status, { type: 'ReplicaFailure', status: failure.status as 'True', lastUpdateTime: failure.lastTransitionTime ?? '', lastTransitionTime: failure.lastTransitionTime ?? '', reason: failure.reason ?? '', message: failure.message ?? '' });
  } else {
    removeCondition(status, 'ReplicaFailure');
  }
  if (semanticEqual(d.status ?? {}, status)) {
    requeueStuck(ctx, d, status);
    return;
  }
  await updateStatus(ctx, d, status);
}

/**
 * requeueStuckDeployment: look again when the progress deadline would pass (a second later, as
 * kube does). Under a second before it, kube requeues rate-limited (5 ms, reset by every successful
 * sync) until the deadline passes; requeueing at once here would spin through syncs that change
 * nothing for up to a second of cluster time (forever on a paused clock), so the look again is
 * timed for the first millisecond past the deadline, where DeploymentTimedOut (strictly after) holds.
 */
export function requeueStuck(ctx: DeploymentContext, d: KubeObject, status: DeploymentStatus): void {
  const c = getCondition(status, 'Progressing');
  if (!hasProgressDeadline(d) || !c || c.reason === Reasons.NewRSAvailable || c.reason === Reasons.TimedOut) return;
  if (deploymentComplete(d, status)) return;
  const after = Date.parse(c.lastUpdateTime) + (specOf(d).progressDeadlineSeconds ?? 0) * 1000 - ctx.clock.now();
  ctx.queue.addAfter(objectKey(d), after < 1000 ? Math.max(0, after) + 1 : after + 1000);
}

/** UpdateStatus; `d` takes the written object's resourceVersion, so later writes of this sync do not conflict. */
export async function updateStatus(ctx: DeploymentContext, d: KubeObject, status: DeploymentStatus): Promise<void> {
  d.status = status;
  const written = await ctx.client.resource(DEPLOYMENTS).update(d, { namespace: d.metadata.namespace, subresource: 'status', fieldManager: FIELD_MANAGER });
  d.metadata.resourceVersion = written.metadata.resourceVersion;
}
