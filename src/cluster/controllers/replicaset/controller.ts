/**
 * kube-controller-manager's ReplicaSet controller (pkg/controller/replicaset, 1.32), an API client
 * over the shared pod and ReplicaSet informers:
 *
 * - it claims the active pods of its namespace that its selector matches: it adopts orphans (a
 *   controller reference, after checking live that the ReplicaSet is not being deleted) and
 *   releases owned pods whose labels no longer match;
 * - it creates missing pods from the template (generateName `<rs>-`, the template's labels,
 *   annotations and finalizers, a controller reference with blockOwnerDeletion) in slow-start
 *   batches of 1, 2, 4 ..., at most 500 per sync, with events "Created pod: NAME";
 * - it deletes surplus pods in the order pod-ranking.ts gives, with events "Deleted pod: NAME";
 * - expectations keep it from acting twice while its informer catches up;
 * - it writes status (counts, observedGeneration, ReplicaFailure) through /status, and looks again
 *   after minReadySeconds so that availableReplicas follows.
 */
import { isStatusError, StatusError } from '../../api/errors';
import { labelSelectorAsSelector, type LabelSelector, type LabelSelectorSpec } from '../../api/labels';
import type { KubeObject, Pod } from '../../api/types';
import { PODS, type ApiClient } from '../../client/client';
import { EventRecorder } from '../../client/event-recorder';
import { objectKey, type Informer } from '../../client/informer';
import type { Clock } from '../../clock';
import { claimObjects, FIELD_MANAGER } from '../controller-ref-manager';
import { Expectations } from '../expectations';
import { controllerRefOf, isPodActive, isPodReady, newControllerRef, sameLabels } from '../pods';
import { WorkQueue } from '../work-queue';
import { orphansIn, PODS_BY_CONTROLLER, REPLICASETS } from '../workload-informers';
import { podsToDelete } from './pod-ranking';
import { calculateStatus, sameStatus, type ManageFailure, type ReplicaSetStatus } from './status';

export const BURST_REPLICAS = 500;

interface ReplicaSetSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelectorSpec;
  template?: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] }; spec?: Pod['spec'] };
}

const specOf = (rs: KubeObject) => (rs.spec ?? {}) as ReplicaSetSpec;

function selectorOf(rs: KubeObject): LabelSelector | undefined {
  try {
    return labelSelectorAsSelector(specOf(rs).selector);
  } catch {
    return undefined;
  }
}

export class ReplicaSetController {
  private readonly queue: WorkQueue;
  private readonly expectations: Expectations;
  private readonly recorder: EventRecorder;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
    private readonly pods: Informer<KubeObject>,
    private readonly replicaSets: Informer<KubeObject>,
  ) {
    this.queue = new WorkQueue(clock, (key) => this.sync(key), 5);
    this.expectations = new Expectations(clock);
    this.recorder = new EventRecorder(client, clock, { component: 'replicaset-controller' });
  }

  start(): void {
    this.unsubscribe.push(this.replicaSets.addHandlers({
      onAdd: (rs) => this.queue.add(objectKey(rs)),
      onUpdate: (_old, rs) => this.queue.add(objectKey(rs)),
      onDelete: (rs) => {
        this.expectations.forget(objectKey(rs));
        this.queue.add(objectKey(rs));
      },
    }));
    this.unsubscribe.push(this.pods.addHandlers({
      onAdd: (pod) => this.addPod(pod as Pod),
      onUpdate: (old, pod) => this.updatePod(old as Pod, pod as Pod),
      onDelete: (pod) => this.deletePod(pod as Pod),
    }));
  }

  stop(): void {
    for (const u of this.unsubscribe) u();
    this.queue.stop();
  }

  /** Resolves when no sync is queued or running, and events are written (tests). */
  async idle(): Promise<void> {
    await this.queue.idle();
    await this.recorder.flush();
  }

  // ---- informer handlers ----------------------------------------------------------------------

  /** The ReplicaSet a controller reference names, if it is the one the informer has. */
  private owner(pod: Pod): KubeObject | undefined {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet' || !ref.apiVersion.startsWith('apps/')) return undefined;
    const rs = this.replicaSets.get(`${pod.metadata.namespace}/${ref.name}`);
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  }

  /** getPodReplicaSets: the ReplicaSets of the pod's namespace whose selector matches it. */
  private matching(pod: Pod): KubeObject[] {
    const labels = pod.metadata.labels;
    if (!labels) return [];
    return this.replicaSets.list().filter((rs) => rs.metadata.namespace === pod.metadata.namespace && !!selectorOf(rs)?.matches(labels) && !selectorOf(rs)!.empty());
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.deletePod(pod);
    if (controllerRefOf(pod)) {
      const rs = this.owner(pod);
      if (!rs) return;
      this.expectations.creationObserved(objectKey(rs));
      this.queue.add(objectKey(rs));
      return;
    }
    for (const rs of this.matching(pod)) this.queue.add(objectKey(rs));
  }

  private updatePod(old: Pod, pod: Pod): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    const labelsChanged = !sameLabels(old.metadata.labels, pod.metadata.labels);
    if (pod.metadata.deletionTimestamp) {
      this.deletePod(pod);
      if (labelsChanged) this.deletePod(old);
      return;
    }
    const oldRef = controllerRefOf(old);
    const ref = controllerRefOf(pod);
    const refChanged = oldRef?.uid !== ref?.uid;
    if (refChanged && oldRef) {
      const previous = this.owner(old);
      if (previous) this.queue.add(objectKey(previous));
    }
    if (ref) {
      const rs = this.owner(pod);
      if (!rs) return;
      this.queue.add(objectKey(rs));
      const minReady = specOf(rs).minReadySeconds ?? 0;
      // A second more, as the real controller adds, so the pod is available when the sync runs.
      if (!isPodReady(old) && isPodReady(pod) && minReady > 0) this.queue.addAfter(objectKey(rs), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.matching(pod)) this.queue.add(objectKey(rs));
  }

  private deletePod(pod: Pod): void {
    const rs = this.owner(pod);
    if (!rs) return;
    this.expectations.deletionObserved(objectKey(rs), objectKey(pod));
    this.queue.add(objectKey(rs));
  }

  // ---- sync -----------------------------------------------------------------------------------

  private async sync(key: string): Promise<void> {
    const rs = this.replicaSets.get(key);
    if (!rs) {
      this.expectations.forget(key);
      return;
    }
    const selector = selectorOf(rs);
    if (!selector) return;
    const needsSync = this.expectations.satisfied(key);
    const namespace = rs.metadata.namespace ?? '';
    // Its own pods and its namespace's orphans: what claiming can keep or adopt (pods of other
    // controllers are never claimed).
    const candidates = [...this.pods.byIndex(PODS_BY_CONTROLLER, rs.metadata.uid ?? ''), ...this.pods.byIndex(PODS_BY_CONTROLLER, orphansIn(namespace))];
    const active = candidates.filter((p) => p.metadata.namespace === namespace && isPodActive(p as Pod)) as Pod[];
    const claimed = await this.claimPods(rs, selector, active);
    let failure: ManageFailure | undefined;
    let failed: unknown;
    if (needsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(claimed, rs);
      } catch (err) {
        failed = err;
        const diff = claimed.length - (specOf(rs).replicas ?? 1);
        failure = { reason: diff < 0 ? 'FailedCreate' : 'FailedDelete', message: err instanceof StatusError ? err.status.message ?? String(err) : String(err) };
      }
    }
    const status = calculateStatus(rs, claimed, failure, this.clock.now());
    const updated = await this.updateStatus(rs, status);
    if (failed) throw failed;
    const minReady = specOf(rs).minReadySeconds ?? 0;
    const desired = specOf(rs).replicas ?? 1;
    if (minReady > 0 && (updated.readyReplicas ?? 0) === desired && (updated.availableReplicas ?? 0) !== desired) this.queue.addAfter(key, minReady * 1000);
  }

  /** ClaimPods: adopt matching orphans, release owned pods that no longer match. */
  private claimPods(rs: KubeObject, selector: LabelSelector, pods: Pod[]): Promise<Pod[]> {
    const owner = { object: rs, gvr: REPLICASETS, apiVersion: 'apps/v1', kind: 'ReplicaSet' };
    return claimObjects(this.client, owner, PODS, pods, (pod) => !selector.empty() && selector.matches(pod.metadata.labels));
  }

  private async manageReplicas(pods: Pod[], rs: KubeObject): Promise<void> {
    const key = objectKey(rs);
    const diff = pods.length - (specOf(rs).replicas ?? 1);
    if (diff < 0) {
      const count = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, count);
      const { successes, error } = await slowStartBatch(count, () => this.createPod(rs));
      for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
      if (error) throw error;
      return;
    }
    if (diff > 0) {
      const count = Math.min(diff, BURST_REPLICAS);
      const victims = podsToDelete(pods, this.relatedPods(rs), count, this.clock.now());
      this.expectations.expectDeletions(key, victims.map(objectKey));
      const errors = await Promise.all(victims.map((pod) => this.deletePodOf(rs, pod)));
      const error = errors.find((e) => e !== undefined);
      if (error) throw error;
    }
  }

  /** getIndirectlyRelatedPods: the active pods of every ReplicaSet with the same controller (a Deployment's). */
  private relatedPods(rs: KubeObject): Pod[] {
    const owner = controllerRefOf(rs);
    const namespace = rs.metadata.namespace;
    const siblings = new Set<string>([rs.metadata.uid ?? '']);
    if (owner) {
      for (const other of this.replicaSets.list()) {
        if (other.metadata.namespace === namespace && controllerRefOf(other)?.uid === owner.uid) siblings.add(other.metadata.uid ?? '');
      }
    }
    const related: Pod[] = [];
    for (const uid of siblings) {
      for (const p of this.pods.byIndex(PODS_BY_CONTROLLER, uid)) if (p.metadata.namespace === namespace && isPodActive(p as Pod)) related.push(p as Pod);
    }
    return related;
  }

  /** GetPodFromTemplate, created with the ReplicaSet as controller. */
  private async createPod(rs: KubeObject): Promise<void> {
    const template = specOf(rs).template ?? {};
    const tmeta = template.metadata ?? {};
    const metadata: KubeObject['metadata'] = { generateName: `${rs.metadata.name}-`, namespace: rs.metadata.namespace };
    if (tmeta.labels) metadata.labels = { ...tmeta.labels };
    if (tmeta.annotations) metadata.annotations = { ...tmeta.annotations };
    if (tmeta.finalizers?.length) metadata.finalizers = [...tmeta.finalizers];
    metadata.ownerReferences = [newControllerRef(rs, 'apps/v1', 'ReplicaSet')];
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template.spec ?? { containers: [] }) };
    try {
      const created = await this.client.resource<Pod>(PODS).create(pod, { namespace: rs.metadata.namespace, fieldManager: FIELD_MANAGER });
      this.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    } catch (err) {
      // A terminating namespace refuses new pods: nothing to report (as the real controller).
      if (isStatusError(err, 'Forbidden') && (err as StatusError).status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) return;
      this.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${err instanceof StatusError ? err.status.message : String(err)}`);
      throw err;
    }
  }

  private async deletePodOf(rs: KubeObject, pod: Pod): Promise<unknown> {
    try {
      await this.client.resource(PODS).delete(pod.metadata.name ?? '', { namespace: pod.metadata.namespace, preconditions: { uid: pod.metadata.uid ?? '' } });
      this.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      return undefined;
    } catch (err) {
      this.expectations.deletionObserved(objectKey(rs), objectKey(pod));
      if (isStatusError(err, 'NotFound')) return undefined;
      this.recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${err instanceof StatusError ? err.status.message : String(err)}`);
      return err;
    }
  }

  /** updateReplicaSetStatus: written only when it changed; one retry on a fresh read after a conflict. */
  private async updateStatus(rs: KubeObject, status: ReplicaSetStatus): Promise<ReplicaSetStatus> {
    if (sameStatus(rs.status, status)) return status;
    const client = this.client.resource(REPLICASETS);
    let current = rs;
    for (let attempt = 0; ; attempt++) {
      try {
        await client.update({ ...current, status }, { namespace: rs.metadata.namespace, subresource: 'status', fieldManager: FIELD_MANAGER });
        return status;
      } catch (err) {
        if (isStatusError(err, 'NotFound')) return status;
        if (!isStatusError(err, 'Conflict') || attempt > 0) throw err;
        current = await client.get(rs.metadata.name ?? '', { namespace: rs.metadata.namespace });
        if (current.metadata.uid !== rs.metadata.uid) return status;
        status.observedGeneration = current.metadata.generation;
      }
    }
  }
}

/** slowStartBatch: 1, 2, 4 ... calls at a time; stops after a batch with a failure. */
async function slowStartBatch(count: number, fn: () => Promise<void>): Promise<{ successes: number; error: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, 1); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failures.length;
    if (failures.length > 0) return { successes, error: failures[0]!.reason };
    remaining -= batch;
  }
  return { successes, error: undefined };
}
