/**
 * Scaling ReplicaSets for a Deployment (sync.go): one at a time with its ScalingReplicaSet event
 * and replica annotations, and proportionally across the active ones when only spec.replicas changed.
 */
import type { KubeObject } from '../../api/types';
import { FIELD_MANAGER } from '../controller-ref-manager';
import { REPLICASETS } from '../workload-informers';
import type { DeploymentContext } from './context';
import { byCreation, DESIRED_REPLICAS, isActive, maxSurge, MAX_REPLICAS, replicasAnnotationsNeedUpdate, replicasOf, rsStatusOf, setReplicasAnnotations, specOf, specReplicas, type DeploymentStatus } from './util';
import { syncDeploymentStatus } from './progress';
import { allReplicaSets } from './new-replicaset';
import { cleanup } from './rollout';

export async function scaleReplicaSetAndRecordEvent(ctx: DeploymentContext, rs: KubeObject, scale: number, d: KubeObject): Promise<{ scaled: boolean; rs: KubeObject }> {
  if (replicasOf(rs) === scale) return { scaled: false, rs };
  return scaleReplicaSet(ctx, rs, scale, d);
}

export async function scaleReplicaSet(ctx: DeploymentContext, rs: KubeObject, scale: number, d: KubeObject): Promise<{ scaled: boolean; rs: KubeObject }> {
  const desired = specOf(d).replicas ?? 0;
  const max = desired + maxSurge(d);
  const sizeChanged = replicasOf(rs) !== scale;
  if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
  const from = replicasOf(rs);
  const copy = structuredClone(rs);
  (copy.spec as Record<string, unknown>).replicas = scale;
  setReplicasAnnotations(copy, desired, max);
  const updated = await ctx.client.resource(REPLICASETS).update(copy, { namespace: rs.metadata.namespace, fieldManager: FIELD_MANAGER });
  if (sizeChanged) ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${from < scale ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${scale}`);
  return { scaled: sizeChanged, rs: updated };
}

/** isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
export function isScalingEvent(d: KubeObject, rsList: KubeObject[]): boolean {
  const desired = String(specOf(d).replicas ?? 0);
  return rsList.filter(isActive).some((rs) => {
    const a = rs.metadata.annotations?.[DESIRED_REPLICAS];
    return a !== undefined && a !== desired;
  });
}

/** sync: a scaling event or a paused Deployment. */
export async function scaleSync(ctx: DeploymentContext, d: KubeObject, rsList: KubeObject[]): Promise<void> {
  const { newRS, oldRSs } = await allReplicaSets(ctx, d, rsList, false);
  await scale(ctx, d, newRS, oldRSs);
  if (specOf(d).paused) await cleanup(ctx, d, oldRSs);
  await syncDeploymentStatus(ctx, d, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
}

/** scale: proportional scaling of the active ReplicaSets. */
export async function scale(ctx: DeploymentContext, d: KubeObject, newRS: KubeObject | undefined, oldRSs: KubeObject[]): Promise<void> {
  const desired = specOf(d).replicas ?? 0;
  const active = [...oldRSs, ...(newRS ? [newRS] : [])].filter(isActive);
  if (active.length <= 1) {
    const sortedOld = [...oldRSs].sort(byCreation).reverse();
    const target = active.length === 1 ? active[0] : newRS ?? sortedOld[0];
    if (!target || replicasOf(target) === desired) return;
    await scaleReplicaSetAndRecordEvent(ctx, target, desired, d);
    return;
  }
  const newStatus = newRS ? rsStatusOf(newRS) : undefined;
  const saturated = !!newRS && replicasOf(newRS) === desired && newRS.metadata.annotations?.[DESIRED_REPLICAS] === String(desired) && (newStatus?.availableReplicas ?? 0) === desired;
  if (saturated) {
    for (const old of oldRSs.filter(isActive)) await scaleReplicaSetAndRecordEvent(ctx, old, 0, d);
    return;
  }
  if (specOf(d).strategy?.type !== 'RollingUpdate') return;
  const allowed = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowed - specReplicas(active);
  const sorted = [...active];
  if (toAdd > 0) sorted.sort((a, b) => replicasOf(b) - replicasOf(a) || -byCreation(a, b));
  else if (toAdd < 0) sorted.sort((a, b) => replicasOf(b) - replicasOf(a) || byCreation(a, b));
  let added = 0;
  const sizes = new Map<KubeObject, number>();
  for (const rs of sorted) {
    if (toAdd === 0) {
      sizes.set(rs, replicasOf(rs));
      continue;
    }
    const share = proportion(rs, d, toAdd, added);
    sizes.set(rs, replicasOf(rs) + share);
    added += share;
  }
  for (let i = 0; i < sorted.length; i++) {
    const rs = sorted[i]!;
    if (i === 0 && toAdd !== 0) sizes.set(rs, Math.max(0, sizes.get(rs)! + toAdd - added));
    await scaleReplicaSet(ctx, rs, sizes.get(rs)!, d);
  }
}

/** GetProportion with getReplicaSetFraction. */
export function proportion(rs: KubeObject, d: KubeObject, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const desired = specOf(d).replicas ?? 0;
  let fraction: number;
  if (desired === 0) fraction = -replicasOf(rs);
  else {
    const maxReplicas = desired + maxSurge(d);
    let before = Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? '');
    if (!Number.isInteger(before) || before === 0) before = ((d.status ?? {}) as DeploymentStatus).replicas ?? 0;
    fraction = before === 0 ? 0 : Math.round((replicasOf(rs) * maxReplicas) / before) - replicasOf(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
