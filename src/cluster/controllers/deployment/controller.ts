/**
 * kube-controller-manager's Deployment controller (pkg/controller/deployment, 1.32), an API client
 * over the shared ReplicaSet and Deployment informers. Per sync of a Deployment:
 *
 * - it claims the ReplicaSets its selector matches (adopting orphans, releasing what stops matching);
 * - the new ReplicaSet is the oldest one whose template equals the Deployment's (ignoring the
 *   pod-template-hash label); when there is none it is created as `<deployment>-<hash>` with the
 *   hash as the pod-template-hash label in its template and selector, the next revision, and the
 *   desired-replicas / max-replicas annotations ("Scaled up replica set NAME to N");
 * - a change of spec.replicas alone scales the ReplicaSets proportionally (`sync`);
 * - RollingUpdate scales the new ReplicaSet up within maxSurge and the old ones down within
 *   maxUnavailable (unhealthy old replicas first); Recreate scales the old ones to zero, waits for
 *   their pods to be gone, then scales the new one up ("Scaled up/down replica set NAME from A to B");
 * - once complete, old ReplicaSets beyond revisionHistoryLimit (with no replicas) are deleted;
 * - status: counts from the ReplicaSets, Available (MinimumReplicasAvailable/Unavailable) and
 *   Progressing (NewReplicaSetCreated, FoundNewReplicaSet, ReplicaSetUpdated,
 *   NewReplicaSetAvailable, ProgressDeadlineExceeded, DeploymentPaused/Resumed), with a look again
 *   when the progress deadline would pass.
 *
 * The revision annotation on the Deployment is written through /status, as the real controller does.
 */
import { isStatusError, StatusError } from '../../api/errors';
import { labelSelectorAsSelector, type LabelSelector } from '../../api/labels';
import type { KubeObject, Pod } from '../../api/types';
import { semanticEqual } from '../../api/validation/apps';
import type { ApiClient } from '../../client/client';
import { EventRecorder } from '../../client/event-recorder';
import { objectKey, type Informer } from '../../client/informer';
import type { Clock } from '../../clock';
import { controllerRefOf, newControllerRef } from '../pods';
import { FIELD_MANAGER } from '../replicaset/controller';
import { WorkQueue } from '../work-queue';
import { DEPLOYMENTS, REPLICASETS } from '../workload-informers';
import {
  actualReplicas, availableReplicas, byCreation, calculateStatus, computeHash, condition, DESIRED_REPLICAS, deploymentComplete,
  deploymentProgressing, deploymentTimedOut, equalIgnoreHash, getCondition, hasProgressDeadline, isActive, maxRevision, maxSurge,
  maxUnavailable, MAX_REPLICAS, POD_TEMPLATE_HASH, Reasons, removeCondition, replicasAnnotationsNeedUpdate, replicasOf, revisionOf, REVISION,
  rsSpecOf, rsStatusOf, setCondition, setNewReplicaSetAnnotations, setReplicasAnnotations, specOf, specReplicas, type DeploymentStatus,
} from './util';

function selectorOf(o: KubeObject): LabelSelector | undefined {
  try {
    return labelSelectorAsSelector(specOf(o).selector as Parameters<typeof labelSelectorAsSelector>[0]);
  } catch {
    return undefined;
  }
}

const message = (err: unknown) => (err instanceof StatusError ? err.status.message ?? String(err) : String(err));

export class DeploymentController {
  private readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
    private readonly deployments: Informer<KubeObject>,
    private readonly replicaSets: Informer<KubeObject>,
    private readonly pods: Informer<KubeObject>,
  ) {
    this.queue = new WorkQueue(clock, (key) => this.sync(key), 5);
    this.recorder = new EventRecorder(client, clock, { component: 'deployment-controller' });
  }

  start(): void {
    this.unsubscribe.push(this.deployments.addHandlers({
      onAdd: (d) => this.queue.add(objectKey(d)),
      onUpdate: (_old, d) => this.queue.add(objectKey(d)),
      onDelete: (d) => this.queue.add(objectKey(d)),
    }));
    this.unsubscribe.push(this.replicaSets.addHandlers({
      onAdd: (rs) => this.replicaSetChanged(rs),
      onUpdate: (old, rs) => {
        if (controllerRefOf(old)?.uid !== controllerRefOf(rs)?.uid) this.replicaSetChanged(old);
        this.replicaSetChanged(rs);
      },
      onDelete: (rs) => this.replicaSetChanged(rs),
    }));
    // Recreate waits for the old pods to be gone.
    this.unsubscribe.push(this.pods.addHandlers({
      onDelete: (pod) => {
        const rsRef = controllerRefOf(pod);
        if (rsRef?.kind !== 'ReplicaSet') return;
        const rs = this.replicaSets.get(`${pod.metadata.namespace}/${rsRef.name}`);
        const d = rs ? this.owner(rs) : undefined;
        if (d && specOf(d).strategy?.type === 'Recreate') this.queue.add(objectKey(d));
      },
    }));
  }

  stop(): void {
    for (const u of this.unsubscribe) u();
    this.queue.stop();
  }

  async idle(): Promise<void> {
    await this.queue.idle();
    await this.recorder.flush();
  }

  private owner(rs: KubeObject): KubeObject | undefined {
    const ref = controllerRefOf(rs);
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.deployments.get(`${rs.metadata.namespace}/${ref.name}`);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  private replicaSetChanged(rs: KubeObject): void {
    if (controllerRefOf(rs)) {
      const d = this.owner(rs);
      if (d) this.queue.add(objectKey(d));
      return;
    }
    for (const d of this.deployments.list()) {
      if (d.metadata.namespace !== rs.metadata.namespace) continue;
      const s = selectorOf(d);
      if (s && !s.empty() && s.matches(rsSpecOf(rs).template?.metadata?.labels ?? rs.metadata.labels)) this.queue.add(objectKey(d));
    }
  }

  // ---- sync -----------------------------------------------------------------------------------

  private async sync(key: string): Promise<void> {
    const cached = this.deployments.get(key);
    if (!cached) return;
    const d = structuredClone(cached);
    const selector = selectorOf(d);
    if (!selector) return;
    if (selector.empty()) {
      this.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      const status = (d.status ?? {}) as DeploymentStatus;
      if ((status.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) await this.updateStatus(d, { ...status, observedGeneration: d.metadata.generation });
      return;
    }
    const rsList = await this.claimReplicaSets(d, selector);
    if (d.metadata.deletionTimestamp) return this.syncStatusOnly(d, rsList);
    await this.checkPausedConditions(d);
    if (specOf(d).paused) return this.scaleSync(d, rsList);
    if (this.isScalingEvent(d, rsList)) return this.scaleSync(d, rsList);
    if (specOf(d).strategy?.type === 'Recreate') return this.rolloutRecreate(d, rsList);
    return this.rolloutRolling(d, rsList);
  }

  /** getReplicaSetsForDeployment: claim by selector (adopt orphans after a live check, release what stops matching). */
  private async claimReplicaSets(d: KubeObject, selector: LabelSelector): Promise<KubeObject[]> {
    const claimed: KubeObject[] = [];
    let canAdopt: boolean | undefined;
    for (const rs of this.replicaSets.list()) {
      if (rs.metadata.namespace !== d.metadata.namespace) continue;
      const ref = controllerRefOf(rs);
      const matches = selector.matches(rs.metadata.labels);
      if (ref) {
        if (ref.uid !== d.metadata.uid) continue;
        if (matches) claimed.push(rs);
        else if (!d.metadata.deletionTimestamp) await this.patchRS(rs, { metadata: { ownerReferences: [{ $patch: 'delete', uid: d.metadata.uid }], uid: rs.metadata.uid } });
        continue;
      }
      if (!matches || d.metadata.deletionTimestamp || rs.metadata.deletionTimestamp) continue;
      canAdopt ??= await this.stillAdoptable(d);
      if (!canAdopt) continue;
      const adopted = await this.patchRS(rs, { metadata: { ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')], uid: rs.metadata.uid } });
      if (adopted) claimed.push(adopted);
    }
    return claimed;
  }

  private async stillAdoptable(d: KubeObject): Promise<boolean> {
    try {
      const live = await this.client.resource(DEPLOYMENTS).get(d.metadata.name ?? '', { namespace: d.metadata.namespace });
      return live.metadata.uid === d.metadata.uid && !live.metadata.deletionTimestamp;
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return false;
      throw err;
    }
  }

  private async patchRS(rs: KubeObject, patch: unknown): Promise<KubeObject | undefined> {
    try {
      return await this.client.resource(REPLICASETS).patch(rs.metadata.name ?? '', 'strategic', patch, { namespace: rs.metadata.namespace, fieldManager: FIELD_MANAGER });
    } catch (err) {
      if (isStatusError(err, 'NotFound') || isStatusError(err, 'Conflict') || isStatusError(err, 'Invalid')) return undefined;
      throw err;
    }
  }

  /** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
  private findNew(d: KubeObject, rsList: KubeObject[]): KubeObject | undefined {
    return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rsSpecOf(rs).template, specOf(d).template));
  }

  /** getAllReplicaSetsAndSyncRevision. */
  private async allReplicaSets(d: KubeObject, rsList: KubeObject[], createIfMissing: boolean): Promise<{ newRS: KubeObject | undefined; oldRSs: KubeObject[] }> {
    const existing = this.findNew(d, rsList);
    const oldRSs = rsList.filter((rs) => rs !== existing);
    const newRS = await this.getNewReplicaSet(d, existing, oldRSs, createIfMissing);
    return { newRS, oldRSs };
  }

  private async getNewReplicaSet(d: KubeObject, existing: KubeObject | undefined, oldRSs: KubeObject[], createIfMissing: boolean): Promise<KubeObject | undefined> {
    const newRevision = maxRevision(oldRSs) + 1;
    const now = this.clock.now();
    const status = (d.status ?? {}) as DeploymentStatus;
    if (existing) {
      const copy = structuredClone(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
      const minReady = specOf(d).minReadySeconds ?? 0;
      if (annotationsUpdated || (rsSpecOf(copy).minReadySeconds ?? 0) !== minReady) {
        if (minReady) (copy.spec as Record<string, unknown>).minReadySeconds = minReady;
        else delete (copy.spec as Record<string, unknown>).minReadySeconds;
        return this.client.resource(REPLICASETS).update(copy, { namespace: copy.metadata.namespace, fieldManager: FIELD_MANAGER });
      }
      let needsUpdate = this.setRevision(d, copy.metadata.annotations?.[REVISION] ?? '');
      if (hasProgressDeadline(d) && !getCondition(status, 'Progressing')) {
        setCondition(status, condition('Progressing', 'True', Reasons.FoundNewRS, `Found new replica set "${copy.metadata.name}"`, now));
        d.status = status;
        needsUpdate = true;
      }
      if (needsUpdate) await this.updateStatus(d, status);
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
    const replicas = this.newRSNewReplicas(d, [...oldRSs, rs], rs);
    rsSpec.replicas = replicas;
    setNewReplicaSetAnnotations(d, rs, newRevision, false);
    let created: KubeObject;
    let alreadyExists = false;
    try {
      created = await this.client.resource(REPLICASETS).create(rs, { namespace: d.metadata.namespace, fieldManager: FIELD_MANAGER });
    } catch (err) {
      if (isStatusError(err, 'AlreadyExists')) {
        const found = this.replicaSets.get(`${d.metadata.namespace}/${name}`);
        if (found && controllerRefOf(found)?.uid === d.metadata.uid && equalIgnoreHash(spec.template, rsSpecOf(found).template)) {
          created = found;
          alreadyExists = true;
        } else {
          // A hash collision: the next sync tries another name.
          status.collisionCount = (status.collisionCount ?? 0) + 1;
          await this.updateStatus(d, status);
          throw err;
        }
      } else if (isStatusError(err, 'Forbidden') && (err as StatusError).status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) {
        throw err;
      } else {
        const msg = `Failed to create new replica set "${name}": ${message(err)}`;
        if (hasProgressDeadline(d)) {
          setCondition(status, condition('Progressing', 'False', Reasons.FailedRSCreate, msg, now));
          await this.updateStatus(d, status).catch(() => undefined);
        }
        this.recorder.event(d, 'Warning', Reasons.FailedRSCreate, msg);
        throw err;
      }
    }
    if (!alreadyExists && replicas > 0) this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} to ${replicas}`);
    let needsUpdate = this.setRevision(d, String(newRevision));
    if (!alreadyExists && hasProgressDeadline(d)) {
      setCondition(status, condition('Progressing', 'True', Reasons.NewReplicaSet, `Created new replica set "${created.metadata.name}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) await this.updateStatus(d, status);
    return created;
  }

  /** SetDeploymentRevision. */
  private setRevision(d: KubeObject, revision: string): boolean {
    if (d.metadata.annotations?.[REVISION] === revision) return false;
    (d.metadata.annotations ??= {})[REVISION] = revision;
    return true;
  }

  /** NewRSNewReplicas. */
  private newRSNewReplicas(d: KubeObject, allRSs: KubeObject[], newRS: KubeObject): number {
    const desired = specOf(d).replicas ?? 0;
    if (specOf(d).strategy?.type !== 'RollingUpdate') return desired;
    const maxTotal = desired + maxSurge(d);
    const current = specReplicas(allRSs);
    if (current >= maxTotal) return replicasOf(newRS);
    return replicasOf(newRS) + Math.min(maxTotal - current, desired - replicasOf(newRS));
  }

  // ---- scaling --------------------------------------------------------------------------------

  private async scaleReplicaSetAndRecordEvent(rs: KubeObject, scale: number, d: KubeObject): Promise<{ scaled: boolean; rs: KubeObject }> {
    if (replicasOf(rs) === scale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, scale, d);
  }

  private async scaleReplicaSet(rs: KubeObject, scale: number, d: KubeObject): Promise<{ scaled: boolean; rs: KubeObject }> {
    const desired = specOf(d).replicas ?? 0;
    const max = desired + maxSurge(d);
    const sizeChanged = replicasOf(rs) !== scale;
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const from = replicasOf(rs);
    const copy = structuredClone(rs);
    (copy.spec as Record<string, unknown>).replicas = scale;
    setReplicasAnnotations(copy, desired, max);
    const updated = await this.client.resource(REPLICASETS).update(copy, { namespace: rs.metadata.namespace, fieldManager: FIELD_MANAGER });
    if (sizeChanged) this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${from < scale ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${scale}`);
    return { scaled: sizeChanged, rs: updated };
  }

  /** isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
  private isScalingEvent(d: KubeObject, rsList: KubeObject[]): boolean {
    const desired = String(specOf(d).replicas ?? 0);
    return rsList.filter(isActive).some((rs) => {
      const a = rs.metadata.annotations?.[DESIRED_REPLICAS];
      return a !== undefined && a !== desired;
    });
  }

  /** sync: a scaling event or a paused Deployment. */
  private async scaleSync(d: KubeObject, rsList: KubeObject[]): Promise<void> {
    const { newRS, oldRSs } = await this.allReplicaSets(d, rsList, false);
    await this.scale(d, newRS, oldRSs);
    if (specOf(d).paused) await this.cleanup(d, oldRSs);
    await this.syncDeploymentStatus(d, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
  }

  /** scale: proportional scaling of the active ReplicaSets. */
  private async scale(d: KubeObject, newRS: KubeObject | undefined, oldRSs: KubeObject[]): Promise<void> {
    const desired = specOf(d).replicas ?? 0;
    const active = [...oldRSs, ...(newRS ? [newRS] : [])].filter(isActive);
    if (active.length <= 1) {
      const sortedOld = [...oldRSs].sort(byCreation).reverse();
      const target = active.length === 1 ? active[0] : newRS ?? sortedOld[0];
      if (!target || replicasOf(target) === desired) return;
      await this.scaleReplicaSetAndRecordEvent(target, desired, d);
      return;
    }
    const newStatus = newRS ? rsStatusOf(newRS) : undefined;
    const saturated = !!newRS && replicasOf(newRS) === desired && newRS.metadata.annotations?.[DESIRED_REPLICAS] === String(desired) && (newStatus?.availableReplicas ?? 0) === desired;
    if (saturated) {
      for (const old of oldRSs.filter(isActive)) await this.scaleReplicaSetAndRecordEvent(old, 0, d);
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
      const proportion = this.proportion(rs, d, toAdd, added);
      sizes.set(rs, replicasOf(rs) + proportion);
      added += proportion;
    }
    for (let i = 0; i < sorted.length; i++) {
      const rs = sorted[i]!;
      if (i === 0 && toAdd !== 0) sizes.set(rs, Math.max(0, sizes.get(rs)! + toAdd - added));
      await this.scaleReplicaSet(rs, sizes.get(rs)!, d);
    }
  }

  /** GetProportion with getReplicaSetFraction. */
  private proportion(rs: KubeObject, d: KubeObject, toAdd: number, added: number): number {
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

  // ---- strategies -----------------------------------------------------------------------------

  private async rolloutRolling(d: KubeObject, rsList: KubeObject[]): Promise<void> {
    const { newRS, oldRSs } = await this.allReplicaSets(d, rsList, true);
    const allRSs = [...oldRSs, newRS!];
    if (await this.reconcileNewReplicaSet(allRSs, newRS!, d)) return this.syncRolloutStatus(allRSs, newRS, d);
    if (await this.reconcileOldReplicaSets(allRSs, oldRSs.filter(isActive), newRS!, d)) return this.syncRolloutStatus(allRSs, newRS, d);
    if (deploymentComplete(d, (d.status ?? {}) as DeploymentStatus)) await this.cleanup(d, oldRSs);
    return this.syncRolloutStatus(allRSs, newRS, d);
  }

  private async reconcileNewReplicaSet(allRSs: KubeObject[], newRS: KubeObject, d: KubeObject): Promise<boolean> {
    const desired = specOf(d).replicas ?? 0;
    if (replicasOf(newRS) === desired) return false;
    if (replicasOf(newRS) > desired) return (await this.scaleReplicaSetAndRecordEvent(newRS, desired, d)).scaled;
    return (await this.scaleReplicaSetAndRecordEvent(newRS, this.newRSNewReplicas(d, allRSs, newRS), d)).scaled;
  }

  private async reconcileOldReplicaSets(allRSs: KubeObject[], oldRSs: KubeObject[], newRS: KubeObject, d: KubeObject): Promise<boolean> {
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
      sorted[i] = (await this.scaleReplicaSetAndRecordEvent(rs, replicasOf(rs) - count, d)).rs;
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
        await this.scaleReplicaSetAndRecordEvent(rs, replicasOf(rs) - count, d);
        scaledDown += count;
      }
    }
    return cleaned + scaledDown > 0;
  }

  private async rolloutRecreate(d: KubeObject, rsList: KubeObject[]): Promise<void> {
    let { newRS, oldRSs } = await this.allReplicaSets(d, rsList, false);
    let allRSs = [...oldRSs, ...(newRS ? [newRS] : [])];
    let scaledDown = false;
    for (const rs of oldRSs.filter(isActive)) if ((await this.scaleReplicaSetAndRecordEvent(rs, 0, d)).scaled) scaledDown = true;
    if (scaledDown) return this.syncRolloutStatus(allRSs, newRS, d);
    if (this.oldPodsRunning(newRS, oldRSs)) return this.syncRolloutStatus(allRSs, newRS, d);
    if (!newRS) {
      ({ newRS, oldRSs } = await this.allReplicaSets(d, rsList, true));
      allRSs = [...oldRSs, newRS!];
    }
    const desired = specOf(d).replicas ?? 0;
    await this.scaleReplicaSetAndRecordEvent(newRS!, desired, d);
    if (deploymentComplete(d, (d.status ?? {}) as DeploymentStatus)) await this.cleanup(d, oldRSs);
    return this.syncRolloutStatus(allRSs, newRS, d);
  }

  /** oldPodsRunning: an old ReplicaSet still reports replicas, or one of its pods has not finished. */
  private oldPodsRunning(newRS: KubeObject | undefined, oldRSs: KubeObject[]): boolean {
    if (actualReplicas(oldRSs) > 0) return true;
    const old = new Set(oldRSs.map((rs) => rs.metadata.uid));
    return this.pods.list().some((p) => {
      const ref = controllerRefOf(p);
      if (!ref || !old.has(ref.uid) || ref.uid === newRS?.metadata.uid) return false;
      const phase = (p as Pod).status?.phase;
      return phase !== 'Failed' && phase !== 'Succeeded';
    });
  }

  /** cleanupDeployment: old ReplicaSets beyond revisionHistoryLimit, oldest revision first, only when empty. */
  private async cleanup(d: KubeObject, oldRSs: KubeObject[]): Promise<void> {
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
        await this.client.resource(REPLICASETS).delete(rs.metadata.name ?? '', { namespace: rs.metadata.namespace });
      } catch (err) {
        if (!isStatusError(err, 'NotFound')) throw err;
      }
    }
  }

  // ---- status ---------------------------------------------------------------------------------

  private async checkPausedConditions(d: KubeObject): Promise<void> {
    if (!hasProgressDeadline(d)) return;
    const status = (d.status ?? {}) as DeploymentStatus;
    const c = getCondition(status, 'Progressing');
    if (c?.reason === Reasons.TimedOut) return;
    const pausedCond = c?.reason === Reasons.Paused;
    const now = this.clock.now();
    if (specOf(d).paused && !pausedCond) setCondition(status, condition('Progressing', 'Unknown', Reasons.Paused, 'Deployment is paused', now));
    else if (!specOf(d).paused && pausedCond) setCondition(status, condition('Progressing', 'Unknown', Reasons.Resumed, 'Deployment is resumed', now));
    else return;
    await this.updateStatus(d, status);
  }

  private async syncStatusOnly(d: KubeObject, rsList: KubeObject[]): Promise<void> {
    const { newRS, oldRSs } = await this.allReplicaSets(d, rsList, false);
    await this.syncDeploymentStatus(d, [...oldRSs, ...(newRS ? [newRS] : [])], newRS);
  }

  private async syncDeploymentStatus(d: KubeObject, allRSs: KubeObject[], newRS: KubeObject | undefined): Promise<void> {
    const status = calculateStatus(allRSs, newRS, d, this.clock.now());
    if (semanticEqual(d.status ?? {}, status)) return;
    await this.updateStatus(d, status);
  }

  /** syncRolloutStatus: counts, Available, and the Progressing condition's estimate of progress. */
  private async syncRolloutStatus(allRSs: KubeObject[], newRS: KubeObject | undefined, d: KubeObject): Promise<void> {
    const now = this.clock.now();
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
      this.requeueStuck(d, status);
      return;
    }
    await this.updateStatus(d, status);
  }

  /** requeueStuckDeployment: look again when the progress deadline would pass. */
  private requeueStuck(d: KubeObject, status: DeploymentStatus): void {
    const c = getCondition(status, 'Progressing');
    if (!hasProgressDeadline(d) || !c || c.reason === Reasons.NewRSAvailable || c.reason === Reasons.TimedOut) return;
    if (deploymentComplete(d, status)) return;
    const after = Date.parse(c.lastUpdateTime) + (specOf(d).progressDeadlineSeconds ?? 0) * 1000 - this.clock.now();
    this.queue.addAfter(objectKey(d), after < 1000 ? 0 : after + 1000);
  }

  /** UpdateStatus; `d` takes the written object's resourceVersion, so later writes of this sync do not conflict. */
  private async updateStatus(d: KubeObject, status: DeploymentStatus): Promise<void> {
    d.status = status;
    const written = await this.client.resource(DEPLOYMENTS).update(d, { namespace: d.metadata.namespace, subresource: 'status', fieldManager: FIELD_MANAGER });
    d.metadata.resourceVersion = written.metadata.resourceVersion;
  }
}
