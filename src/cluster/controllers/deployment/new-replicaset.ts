/**
 * The new ReplicaSet of a Deployment (sync.go getNewReplicaSet): found by template, its annotations
 * and revision kept in step, or created as `<deployment>-<hash>`; the Deployment's revision
 * annotation and its NewReplicaSetCreated / FoundNewReplicaSet condition follow.
 */
import { isStatusError, StatusError } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import { controllerRefOf, newControllerRef } from '../pods';
import { FIELD_MANAGER } from '../controller-ref-manager';
import { REPLICASETS } from '../workload-informers';
import type { DeploymentContext } from './context';

const message = (err: unknown) => (err instanceof StatusError ? err.status.message ?? String(err) : String(err));
import { byCreation, computeHash, condition, equalIgnoreHash, getCondition, hasProgressDeadline, maxRevision, maxSurge, POD_TEMPLATE_HASH, Reasons, replicasOf, REVISION, rsSpecOf, setCondition, setNewReplicaSetAnnotations, specOf, specReplicas, type DeploymentStatus } from './util';
import { updateStatus } from './progress';

/** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
export function findNew(d: KubeObject, rsList: KubeObject[]): KubeObject | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rsSpecOf(rs).template, specOf(d).template));
}

/** getAllReplicaSetsAndSyncRevision. */
export async function allReplicaSets(ctx: DeploymentContext, d: KubeObject, rsList: KubeObject[], createIfMissing: boolean): Promise<{ newRS: KubeObject | undefined; oldRSs: KubeObject[] }> {
  const existing = findNew(d, rsList);
  const oldRSs = rsList.filter((rs) => rs !== existing);
  const newRS = await getNewReplicaSet(ctx, d, existing, oldRSs, createIfMissing);
  return { newRS, oldRSs };
}

export async function getNewReplicaSet(ctx: DeploymentContext, d: KubeObject, existing: KubeObject | undefined, oldRSs: KubeObject[], createIfMissing: boolean): Promise<KubeObject | undefined> {
  const newRevision = maxRevision(oldRSs) + 1;
  const now = ctx.clock.now();
  const status = (d.status ?? {}) as DeploymentStatus;
  if (existing) {
    const copy = structuredClone(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
    const minReady = specOf(d).minReadySeconds ?? 0;
    if (annotationsUpdated || (rsSpecOf(copy).minReadySeconds ?? 0) !== minReady) {
      if (minReady) (copy.spec as Record<string, unknown>).minReadySeconds = minReady;
      else delete (copy.spec as Record<string, unknown>).minReadySeconds;
      return ctx.client.resource(REPLICASETS).update(copy, { namespace: copy.metadata.namespace, fieldManager: FIELD_MANAGER });
    }
    let needsUpdate = setRevision(d, copy.metadata.annotations?.[REVISION] ?? '');
    if (hasProgressDeadline(d) && !getCondition(status, 'Progressing')) {
      setCondition(status, condition('Progressing', 'True', Reasons.FoundNewRS, `Found new replica set "${copy.metadata.name}"`, now));
      d.status = status;
      needsUpdate = true;
    }
    if (needsUpdate) await updateStatus(ctx, d, status);
    return copy;
  }
  if (!createIfMissing) return undefined;
  const spec = specOf(d);
  const template = structuredClone(spec.template ?? {});
  const hash = computeHash(spec.template ?? {}, status.collisionCount);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash } };
  const selector = structuredClone(spec.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
  const name = `${d.metadata.name}-${hash}`;
  const rsSpec: Record<string, unknown> = { replicas: 0, selector, template };
  if (spec.minReadySeconds) rsSpec.minReadySeconds = spec.minReadySeconds;
  const rs: KubeObject = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name, namespace: d.metadata.namespace, labels: { ...template.metadata.labels }, ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')] },
    spec: rsSpec,
  };
  const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  rsSpec.replicas = replicas;
  setNewReplicaSetAnnotations(d, rs, newRevision, false);
  let created: KubeObject;
  let alreadyExists = false;
  try {
    created = await ctx.client.resource(REPLICASETS).create(rs, { namespace: d.metadata.namespace, fieldManager: FIELD_MANAGER });
  } catch (err) {
    if (isStatusError(err, 'AlreadyExists')) {
      const found = ctx.replicaSets.get(`${d.metadata.namespace}/${name}`);
      if (found && controllerRefOf(found)?.uid === d.metadata.uid && equalIgnoreHash(spec.template, rsSpecOf(found).template)) {
        created = found;
        alreadyExists = true;
      } else {
        // A hash collision: the next sync tries another name.
        status.collisionCount = (status.collisionCount ?? 0) + 1;
        await updateStatus(ctx, d, status);
        throw err;
      }
    } else if (isStatusError(err, 'Forbidden') && (err as StatusError).status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) {
      throw err;
    } else {
      const msg = `Failed to create new replica set "${name}": ${message(err)}`;
      if (hasProgressDeadline(d)) {
        setCondition(status, condition('Progressing', 'False', Reasons.FailedRSCreate, msg, now));
        await updateStatus(ctx, d, status).catch(() => undefined);
      }
      ctx.recorder.event(d, 'Warning', Reasons.FailedRSCreate, msg);
      throw err;
    }
  }
  if (!alreadyExists && replicas > 0) ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${replicas}`);
  let needsUpdate = setRevision(d, String(newRevision));
  if (!alreadyExists && hasProgressDeadline(d)) {
    setCondition(status, condition('Progressing', 'True', Reasons.NewReplicaSet, `Created new replica set "${created.metadata.name}"`, now));
    needsUpdate = true;
  }
  if (needsUpdate) await updateStatus(ctx, d, status);
  return created;
}

/** SetDeploymentRevision. */
export function setRevision(d: KubeObject, revision: string): boolean {
  if (d.metadata.annotations?.[REVISION] === revision) return false;
  (d.metadata.annotations ??= {})[REVISION] = revision;
  return true;
}

/** NewRSNewReplicas. */
export function newRSNewReplicas(d: KubeObject, allRSs: KubeObject[], newRS: KubeObject): number {
  const desired = specOf(d).replicas ?? 0;
  if (specOf(d).strategy?.type !== 'RollingUpdate') return desired;
  const maxTotal = desired + maxSurge(d);
  const current = specReplicas(allRSs);
  if (current >= maxTotal) return replicasOf(newRS);
  return replicasOf(newRS) + Math.min(maxTotal - current, desired - replicasOf(newRS));
}
