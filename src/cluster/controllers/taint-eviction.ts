/**
 * The taint eviction controller (kube-controller-manager's taint-eviction-controller): a pod on a
 * node with a NoExecute taint it does not tolerate is deleted at once; one it tolerates for
 * `tolerationSeconds` is deleted that long after the controller first saw it so (the 300 s defaults
 * every pod gets from DefaultTolerationSeconds make that 5 minutes); a taint that goes away in time
 * cancels the deletion.
 *
 * "First saw it so" is processPodOnNode's time.Now(), which on a real cluster is within moments of
 * the event that made it so: the taint's timeAdded, or the pod's arrival on a node tainted before.
 * Here the informer may deliver that event after the cluster clock has moved on (a paused clock
 * stepped a minute at a time fires the node lifecycle controller's taint and then runs on), so the
 * count starts at the later of the two events' own times, never after now (see evictionStart).
 *
 * Deleting: a Normal TaintManagerEviction event "Marking for deletion Pod <ns>/<name>", the pod
 * condition DisruptionTarget=True (DeletionByTaintManager), then a graceful delete.
 *
 * As 1.32, a pod being deleted is no exception: it is evicted as any other (a pod on a node that
 * stopped answering stays terminating until something removes it). Only its removal cancels what
 * was scheduled for it, and then with "Cancelling deletion of Pod <ns>/<name>". Both events are
 * about the pod by name (kind, namespace, name, apiVersion: no uid), as the controller's are.
 */
import type { Node, Pod, PodCondition } from '../api/types';
import { PODS, type ApiClient } from '../client/client';
import { EventRecorder, rfc3339, type ObjectReference } from '../client/event-recorder';
import { objectKey, type Informer } from '../client/informer';
import { PODS_BY_NODE } from '../client/pod-indexes';
import type { Clock, Timer } from '../clock';
import { evictionDelay } from './taints';

export class TaintEvictionController {
  /**
   * Evictions waiting for their time, by pod key; the pod is read from the informer when it comes.
   * One that came is kept, without its timer, until a cancel (the pod's removal, the taints gone):
   * as TimedWorkerQueue keeps a done worker's key, so that the pod is not scheduled again meanwhile.
   */
  private readonly scheduled = new Map<string, Timer | undefined>();
  private readonly recorder: EventRecorder;
  private readonly unsubscribe: (() => void)[] = [];

  /** `pods`: indexed by PODS_BY_NODE, so a node's taints are checked against its own pods only. */
  constructor(private readonly client: ApiClient, private readonly clock: Clock, private readonly nodes: Informer<Node>, private readonly pods: Informer<Pod>) {
    this.recorder = new EventRecorder(client, clock, { component: 'taint-eviction-controller' });
  }

  start(): void {
    this.unsubscribe.push(this.nodes.addHandlers({
      onAdd: (node) => this.reconcileNode(node),
      // Heartbeats and image lists change nodes all the time; only a change of NoExecute taints
      // matters here (NodeUpdated): looking again evicts again a pod whose eviction came already.
      onUpdate: (old, node) => { if (old.spec?.taints !== node.spec?.taints && noExecuteText(old) !== noExecuteText(node)) this.reconcileNode(node); },
    }));
    this.unsubscribe.push(this.pods.addHandlers({
      onAdd: (pod) => this.reconcilePod(pod),
      // As PodUpdated: an update that moves the pod to no other node and changes no toleration is
      // not looked at (its status writes, its deletion's steps).
      onUpdate: (old, pod) => { if (old.spec.nodeName !== pod.spec.nodeName || !sameTolerations(old, pod)) this.reconcilePod(pod); },
      onDelete: (pod) => this.cancel(objectKey(pod), pod),
    }));
  }

  stop(): void {
    for (const u of this.unsubscribe) u();
    for (const timer of this.scheduled.values()) timer?.cancel();
    this.scheduled.clear();
  }

  private reconcileNode(node: Node): void {
    // Without taints there is nothing to evict, and nothing to cancel unless something is scheduled.
    if (!node.spec?.taints?.length && this.scheduled.size === 0) return;
    const name = node.metadata.name ?? '';
    // The index follows each key's current pod: a name that is another pod's now (a relist reports
    // a pod deleted and created again as an update of the name) is under that pod's node.
    for (const k of this.pods.keysByIndex(PODS_BY_NODE, name)) {
      const pod = this.pods.get(k);
      if (pod?.spec.nodeName === name) this.reconcilePod(pod, node);
    }
  }

  private reconcilePod(pod: Pod, known?: Node): void {
    const node = known ?? this.nodes.get(pod.spec.nodeName ?? '');
    const k = objectKey(pod);
    if (!node) return this.cancel(k, undefined);
    if (!node.spec?.taints?.length && !this.scheduled.has(k)) return;
    const decision = evictionDelay(node.spec?.taints ?? [], pod.spec.tolerations ?? []);
    if (decision === undefined) return this.cancel(k, pod);
    // A taint not tolerated: whatever was scheduled goes (with its event) for an eviction now, as
    // processPodOnNode does; one tolerated for a while keeps what was scheduled or came already.
    if (decision === 'now') this.cancel(k, pod);
    else if (this.scheduled.has(k)) return;
    const now = this.clock.now();
    const afterMs = decision === 'now' ? 0 : Math.max(0, evictionStart(node, pod, now) + decision.afterMs - now);
    const timer = this.clock.setTimer(afterMs, () => void this.evict(k));
    this.scheduled.set(k, timer);
  }

  /** Cancels the eviction scheduled for `k`; `announce`: the pod, when the cancel gets an event. */
  private cancel(k: string, announce: Pod | undefined): void {
    if (!this.scheduled.has(k)) return;
    const timer = this.scheduled.get(k);
    this.scheduled.delete(k);
    // One that came already is only forgotten (CancelWork of a done worker reports nothing).
    if (timer === undefined) return;
    timer.cancel();
    if (announce) this.recorder.event(byName(announce), 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${k}`);
  }

  private async evict(k: string): Promise<void> {
    // A pod deleted meanwhile cancelled its timer (onDelete), so the informer has the one to evict.
    const pod = this.pods.get(k);
    if (!pod) {
      this.scheduled.delete(k);
      return;
    }
    this.scheduled.set(k, undefined);
    this.recorder.event(byName(pod), 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${k}`);
    const pods = this.client.resource<Pod>(PODS);
    const namespace = pod.metadata.namespace;
    const condition = disruptionTarget(pod, rfc3339(this.clock.now()));
    // As PatchPodStatus: a strategic merge patch of the one condition (merged by type), so that
    // conditions the kubelet wrote since the informer's copy stay as written, conditional on the
    // pod's uid (a pod of the same name made since is not marked).
    if (condition !== undefined) {
      try {
        await pods.patch(pod.metadata.name ?? '', 'strategic', { metadata: { uid: pod.metadata.uid }, status: { conditions: [condition] } }, { namespace, subresource: 'status' });
      } catch {
        // The delete below is what matters.
      }
    }
    try {
      await pods.delete(pod.metadata.name ?? '', { namespace, preconditions: { uid: pod.metadata.uid ?? '' } });
    } catch {
      // Already gone.
    }
  }
}

const REASON = 'DeletionByTaintManager';
const MESSAGE = 'Taint manager: deleting due to NoExecute taint';

/**
 * The DisruptionTarget condition to patch in (UpdatePodCondition): one already True keeps its
 * lastTransitionTime; undefined when the pod has it already as it would be (no patch then).
 * lastProbeTime is sent as null only to clear one the pod has (an absent one reads as null).
 */
function disruptionTarget(pod: Pod, now: string): PodCondition | undefined {
  const old = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
  if (old === undefined) return { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: now, reason: REASON, message: MESSAGE };
  const probed = old.lastProbeTime !== undefined && old.lastProbeTime !== null;
  if (old.status === 'True' && old.reason === REASON && old.message === MESSAGE && !probed) return undefined;
  return { type: 'DisruptionTarget', status: 'True', ...(probed ? { lastProbeTime: null } : {}), lastTransitionTime: old.status === 'True' ? old.lastTransitionTime : now, reason: REASON, message: MESSAGE };
}

/** The reference the controller's events carry: the pod by name, no uid (emitPodDeletionEvent). */
function byName(pod: Pod): ObjectReference {
  return { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, apiVersion: 'v1' };
}

/** A node's NoExecute taints as text, to compare them (as Semantic.DeepEqual of getNoExecuteTaints). */
function noExecuteText(node: Node): string {
  const taints = node.spec?.taints;
  if (!taints?.length) return '[]';
  return JSON.stringify(taints.filter((t) => t.effect === 'NoExecute'));
}

/** Semantic.DeepEqual of two pods' tolerations (none and an empty list alike); usually the same frozen list. */
function sameTolerations(a: Pod, b: Pod): boolean {
  const x = a.spec.tolerations;
  const y = b.spec.tolerations;
  if (x === y) return true;
  if (!x?.length || !y?.length) return !x?.length && !y?.length;
  return JSON.stringify(x) === JSON.stringify(y);
}

/**
 * When the pod came to be on a node with these NoExecute taints: the later of the newest such
 * taint's timeAdded and the pod's arrival on the node (its PodScheduled transition, else its
 * creation), at most `now`.
 */
function evictionStart(node: Node, pod: Pod, now: number): number {
  let start = -Infinity;
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect !== 'NoExecute' || taint.timeAdded === undefined) continue;
    const added = Date.parse(taint.timeAdded);
    if (added > start) start = added;
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'True')?.lastTransitionTime;
  const arrived = Date.parse(scheduled ?? pod.metadata.creationTimestamp ?? '');
  if (arrived > start) start = arrived;
  return Number.isFinite(start) ? Math.min(start, now) : now;
}
