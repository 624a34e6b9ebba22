/**
 * The pod garbage collector (kube-controller-manager's pod-garbage-collector, 1.32 defaults). Every
 * 20 s it force-deletes the pods no kubelet will ever finish, and the oldest finished ones:
 * - terminated pods (phase Succeeded or Failed) beyond --terminated-pod-gc-threshold (12,500 by
 *   default; 0 turns it off): the excess, evicted pods first, then the oldest by creationTimestamp,
 *   then by name;
 * - orphans: pods bound to a node that does not exist (deleted with `kubectl delete node`, or a
 *   nodeName nobody has). A node name is quarantined for 40 s from the pass that first misses it,
 *   then read from the API; if it is still NotFound, each of its pods is marked and deleted;
 * - terminating pods on a node that is not Ready and carries the node.kubernetes.io/out-of-service
 *   taint (what an administrator sets on a node that is known to be down);
 * - terminating pods that were never bound to a node.
 *
 * Marking (markFailedAndDeletePod): a pod not yet Succeeded or Failed gets phase Failed through
 * pods/status (orphans also the condition DisruptionTarget=True, DeletionByPodGC, "PodGC: node no
 * longer exists"), with its uid as a precondition, then a DELETE with gracePeriodSeconds 0. The
 * controller records no events.
 *
 * Kube-controller-manager lists every pod on each pass; this one learns its candidates from the
 * shared pod and node informers' events instead, so an idle pass costs nothing at 150,000 pods.
 */
import { isStatusError } from '../api/errors';
import type { Node, Pod, PodCondition } from '../api/types';
import { NODES, PODS, type ApiClient } from '../client/client';
import { rfc3339 } from '../client/event-recorder';
import { objectKey, type Informer } from '../client/informer';
import { PODS_BY_NODE } from '../client/pod-indexes';
import type { Clock, Timer } from '../clock';

export const POD_GC_PERIOD_MS = 20_000;
export const POD_GC_QUARANTINE_MS = 40_000;
/** kube-controller-manager's --terminated-pod-gc-threshold default. */
export const TERMINATED_POD_GC_THRESHOLD = 12_500;
export const TAINT_OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

const ORPHAN_CONDITION = { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' } as const;

export class PodGarbageCollector {
  /** Node names pods are bound to that the node informer lacked when the pod or node event came. */
  private readonly missingNodes = new Set<string>();
  /** Missing node names in quarantine: when it ends (cluster ms). */
  private readonly quarantine = new Map<string, number>();
  /** Terminating pods with no node, by key. */
  private readonly unscheduledTerminating = new Set<string>();
  /** Pods in phase Succeeded or Failed, by key. */
  private readonly terminated = new Set<string>();
  /** Nodes that are not Ready and carry the out-of-service taint. */
  private readonly outOfService = new Set<string>();
  private readonly unsubscribe: (() => void)[] = [];
  private timer: Timer | undefined;
  private stopped = false;

  /**
   * `pods`: the controller manager's shared pod informer, indexed by PODS_BY_NODE; its owner starts
   * it. `terminatedThreshold`: --terminated-pod-gc-threshold (0: finished pods are kept).
   */
  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
    private readonly nodes: Informer<Node>,
    private readonly pods: Informer<Pod>,
    private readonly terminatedThreshold = TERMINATED_POD_GC_THRESHOLD,
  ) {}

  start(): void {
    this.unsubscribe.push(this.pods.addHandlers({
      onAdd: (pod) => this.observePod(pod),
      onUpdate: (_old, pod) => this.observePod(pod),
      onDelete: (pod) => {
        const key = objectKey(pod);
        this.unscheduledTerminating.delete(key);
        this.terminated.delete(key);
      },
    }));
    this.unsubscribe.push(this.nodes.addHandlers({
      onAdd: (node) => this.observeNode(node),
      onUpdate: (_old, node) => this.observeNode(node),
      onDelete: (node) => {
        const name = node.metadata.name ?? '';
        this.outOfService.delete(name);
        if (this.pods.keysByIndex(PODS_BY_NODE, name).length > 0) this.missingNodes.add(name);
      },
    }));
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    for (const u of this.unsubscribe) u();
  }

  private observePod(pod: Pod): void {
    if (isPodTerminated(pod)) this.terminated.add(objectKey(pod));
    else if (this.terminated.size > 0) this.terminated.delete(objectKey(pod));
    const node = pod.spec.nodeName;
    if (node) {
      if (!this.nodes.has(node)) this.missingNodes.add(node);
    } else if (pod.metadata.deletionTimestamp) {
      this.unscheduledTerminating.add(objectKey(pod));
    }
  }

  private observeNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (!ready && node.spec?.taints?.some((t) => t.key === TAINT_OUT_OF_SERVICE)) this.outOfService.add(name);
    else this.outOfService.delete(name);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimer(POD_GC_PERIOD_MS, () => {
      void this.gc().catch(() => undefined).finally(() => this.schedule());
    });
  }

  /**
   * One pass, in kube-controller-manager's order: terminated beyond the threshold, terminating on
   * out-of-service nodes, orphans, unscheduled terminating.
   */
  private async gc(): Promise<void> {
    await this.gcTerminated();
    for (const name of this.outOfService) {
      for (const pod of this.pods.byIndex(PODS_BY_NODE, name)) {
        if (pod.metadata.deletionTimestamp) await this.markFailedAndDelete(pod, undefined);
      }
    }
    await this.gcOrphaned();
    for (const k of [...this.unscheduledTerminating]) {
      const pod = this.pods.get(k);
      this.unscheduledTerminating.delete(k);
      if (pod && !pod.spec.nodeName && pod.metadata.deletionTimestamp) await this.markFailedAndDelete(pod, undefined);
    }
  }

  /** The finished pods beyond the threshold, deleted all at once as kube-controller-manager does (one goroutine each). */
  private async gcTerminated(): Promise<void> {
    const excess = this.terminated.size - this.terminatedThreshold;
    if (this.terminatedThreshold <= 0 || excess <= 0) return;
    const finished: Pod[] = [];
    for (const key of this.terminated) {
      const pod = this.pods.get(key);
      if (pod && isPodTerminated(pod)) finished.push(pod);
    }
    finished.sort(byEvictionAndCreationTimestamp);
    await Promise.all(finished.slice(0, excess).map((pod) => this.markFailedAndDelete(pod, undefined)));
  }

  private async gcOrphaned(): Promise<void> {
    const now = this.clock.now();
    for (const name of this.missingNodes) {
      if (!this.quarantine.has(name) && !this.nodes.has(name)) this.quarantine.set(name, now + POD_GC_QUARANTINE_MS);
    }
    this.missingNodes.clear();
    for (const [name, until] of this.quarantine) {
      if (until > now) continue;
      this.quarantine.delete(name);
      if (this.nodes.has(name) || !(await this.nodeIsGone(name))) continue;
      for (const pod of this.pods.byIndex(PODS_BY_NODE, name)) {
        if (pod.spec.nodeName === name) await this.markFailedAndDelete(pod, ORPHAN_CONDITION);
      }
    }
  }

  /** The quarantine's last word: a GET of the node, past the informer. An error other than NotFound keeps the pods. */
  private async nodeIsGone(name: string): Promise<boolean> {
    try {
      await this.client.resource<Node>(NODES).get(name);
      return false;
    } catch (err) {
      return isStatusError(err, 'NotFound');
    }
  }

  private async markFailedAndDelete(pod: Pod, condition: typeof ORPHAN_CONDITION | undefined): Promise<void> {
    const pods = this.client.resource<Pod>(PODS);
    const name = pod.metadata.name ?? '';
    const namespace = pod.metadata.namespace;
    try {
      const phase = pod.status?.phase;
      if (phase !== 'Succeeded' && phase !== 'Failed') {
        const status: { phase: 'Failed'; conditions?: PodCondition[] } = { phase: 'Failed' };
        if (condition) status.conditions = withCondition(pod.status?.conditions ?? [], condition, rfc3339(this.clock.now()));
        await pods.patch(name, 'merge', { metadata: { uid: pod.metadata.uid }, status }, { namespace, subresource: 'status' });
      }
      await pods.delete(name, { namespace, gracePeriodSeconds: 0 });
    } catch {
      // Gone already, or replaced by a pod of the same name (the uid precondition); the next pass looks again.
    }
  }
}

/** Phase Succeeded or Failed (anything but Pending, Running and Unknown, as isPodTerminated reads it). */
function isPodTerminated(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== undefined && phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown';
}

/** Evicted pods first (Failed, reason Evicted), then the oldest, then by name. */
function byEvictionAndCreationTimestamp(a: Pod, b: Pod): number {
  const evictedA = a.status?.phase === 'Failed' && a.status.reason === 'Evicted';
  const evictedB = b.status?.phase === 'Failed' && b.status.reason === 'Evicted';
  if (evictedA !== evictedB) return evictedA ? -1 : 1;
  const createdA = Date.parse(a.metadata.creationTimestamp ?? '');
  const createdB = Date.parse(b.metadata.creationTimestamp ?? '');
  if (createdA !== createdB) return createdA < createdB ? -1 : 1;
  const nameA = a.metadata.name ?? '';
  const nameB = b.metadata.name ?? '';
  return nameA < nameB ? -1 : nameA > nameB ? 1 : 0;
}

/** UpdatePodCondition: the condition replaced or added; its lastTransitionTime moves only when its status changes. */
function withCondition(conditions: PodCondition[], condition: typeof ORPHAN_CONDITION, now: string): PodCondition[] {
  const old = conditions.find((c) => c.type === condition.type);
  const next: PodCondition = { ...condition, lastProbeTime: null, lastTransitionTime: old && old.status === condition.status ? old.lastTransitionTime : now };
  return old ? conditions.map((c) => (c === old ? next : c)) : [...conditions, next];
}
