/**
 * The taint eviction controller (kube-controller-manager's taint-eviction-controller): a pod on a
 * node with a NoExecute taint it does not tolerate is deleted at once; one it tolerates for
 * `tolerationSeconds` is deleted that long after the taint's timeAdded (the 300 s defaults every
 * pod gets from DefaultTolerationSeconds make that 5 minutes); a taint that goes away in time
 * cancels the deletion.
 *
 * Deleting: a Normal TaintManagerEviction event "Marking for deletion Pod <ns>/<name>", the pod
 * condition DisruptionTarget=True (DeletionByTaintManager), then a graceful delete.
 */
import type { Node, Pod } from '../api/types';
import { PODS, type ApiClient } from '../client/client';
import { EventRecorder, rfc3339 } from '../client/event-recorder';
import type { Informer } from '../client/informer';
import type { Clock, Timer } from '../clock';
import { evictionDelay } from './taints';

export class TaintEvictionController {
  /** Evictions waiting for their time, by pod key; the pod is read from the informer when it comes. */
  private readonly scheduled = new Map<string, Timer>();
  private readonly recorder: EventRecorder;
  private readonly unsubscribe: (() => void)[] = [];
  /**
   * The keys of each node's pods, so a node's taints are checked against its own pods only (read
   * from the informer by key: the index holds no pod, so a pod's decoded object is free to go when
   * the informer lets it). Made when a tainted node is first seen and kept from then on: a
   * cluster whose nodes never had a taint has nothing to look up, and the index would hold an
   * entry for every bound pod.
   */
  private podsByNode: Map<string, Set<string>> | undefined;

  constructor(private readonly client: ApiClient, private readonly clock: Clock, private readonly nodes: Informer<Node>, private readonly pods: Informer<Pod>) {
    this.recorder = new EventRecorder(client, clock, { component: 'taint-eviction-controller' });
  }

  start(): void {
    this.unsubscribe.push(this.nodes.addHandlers({
      onAdd: (node) => this.reconcileNode(node),
      // Heartbeats and image lists change nodes all the time; only a change of taints matters here.
      onUpdate: (old, node) => { if (JSON.stringify(old.spec?.taints ?? []) !== JSON.stringify(node.spec?.taints ?? [])) this.reconcileNode(node); },
    }));
    this.unsubscribe.push(this.pods.addHandlers({
      onAdd: (pod) => { this.index(pod); this.reconcilePod(pod); },
      onUpdate: (_old, pod) => { this.index(pod); this.reconcilePod(pod); },
      onDelete: (pod) => { this.podsByNode?.get(pod.spec.nodeName ?? '')?.delete(key(pod)); this.cancel(key(pod), undefined); },
    }));
  }

  stop(): void {
    for (const u of this.unsubscribe) u();
    for (const timer of this.scheduled.values()) timer.cancel();
    this.scheduled.clear();
  }

  private index(pod: Pod): void {
    if (!this.podsByNode) return;
    const node = pod.spec.nodeName ?? '';
    let pods = this.podsByNode.get(node);
    if (!pods) this.podsByNode.set(node, (pods = new Set()));
    pods.add(key(pod));
  }

  /** The index, made from the informer's pods the first time a tainted node needs it. */
  private indexed(): Map<string, Set<string>> {
    if (!this.podsByNode) {
      this.podsByNode = new Map();
      for (const pod of this.pods.list()) this.index(pod);
    }
    return this.podsByNode;
  }

  private reconcileNode(node: Node): void {
    // Without taints there is nothing to evict, and nothing scheduled to cancel unless a tainted
    // node was seen before (the index exists then).
    if (!node.spec?.taints?.length && !this.podsByNode) return;
    const name = node.metadata.name ?? '';
    const keys = this.indexed().get(name);
    for (const k of [...(keys ?? [])]) {
      const pod = this.pods.get(k);
      // The name may be another pod's now, on another node (a relist reports a pod deleted and
      // created again as an update of the name): this node's taints are not its business.
      if (pod?.spec.nodeName === name) this.reconcilePod(pod, node);
      else keys!.delete(k);
    }
  }

  private reconcilePod(pod: Pod, node = this.nodes.get(pod.spec.nodeName ?? '')): void {
    const k = key(pod);
    if (!node || pod.metadata.deletionTimestamp) return this.cancel(k, undefined);
    if (!node.spec?.taints?.length && !this.scheduled.has(k)) return;
    // A pod on a tainted node: from now on a node's pods must be found when its taints change.
    this.indexed();
    const decision = evictionDelay(node.spec?.taints ?? [], pod.spec.tolerations ?? []);
    if (decision === undefined) return this.cancel(k, pod);
    if (this.scheduled.has(k)) return;
    const at = decision === 'now' ? this.clock.now() : (decision.taint.timeAdded ? Date.parse(decision.taint.timeAdded) : this.clock.now()) + decision.afterMs;
    const timer = this.clock.setTimer(Math.max(0, at - this.clock.now()), () => void this.evict(k));
    this.scheduled.set(k, timer);
  }

  /** Cancels the eviction scheduled for `k`; `announce`: the pod, when the cancel gets an event. */
  private cancel(k: string, announce: Pod | undefined): void {
    const timer = this.scheduled.get(k);
    if (!timer) return;
    timer.cancel();
    this.scheduled.delete(k);
    if (announce) this.recorder.event(announce, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${k}`);
  }

  private async evict(k: string): Promise<void> {
    this.scheduled.delete(k);
    // A pod deleted meanwhile cancelled its timer (onDelete), so the informer has the one to evict.
    const pod = this.pods.get(k);
    if (!pod || pod.metadata.deletionTimestamp) return;
    this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${k}`);
    const pods = this.client.resource<Pod>(PODS);
    const namespace = pod.metadata.namespace;
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
    conditions.push({ type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(this.clock.now()), reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' });
    try {
      await pods.patch(pod.metadata.name ?? '', 'merge', { status: { conditions } }, { namespace, subresource: 'status' });
    } catch {
      // The delete below is what matters.
    }
    try {
      await pods.delete(pod.metadata.name ?? '', { namespace, preconditions: { uid: pod.metadata.uid ?? '' } });
    } catch {
      // Already gone.
    }
  }
}

function key(pod: Pod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}
