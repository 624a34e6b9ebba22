/**
 * The scheduler cache (kube-scheduler's internal/cache): one NodeInfo per node with the pods bound
 * or assumed there, kept up to date incrementally from the informers.
 *
 * Assumed pods: when the scheduling cycle picks a node, the pod is "assumed" onto it at once so the
 * next cycle sees its resources taken, while the binding is still on its way. When the informer
 * later reports the pod bound there, the assumption is confirmed; if binding fails the pod is
 * forgotten. An assumed pod whose binding finished but that the informer never confirms expires
 * after 15 minutes (kube-scheduler's durationToExpireAssumedPod is 0 = never in 1.32; Kube Sim keeps
 * a bound on memory instead).
 *
 * Snapshots share the NodeInfo objects: scheduling cycles are synchronous, so nothing moves under
 * a running cycle.
 *
 * The cache keeps PodFacts, never a pod object: a bound pod's decoded object must be free to go
 * once nobody works on the pod (see PodFacts).
 */
import type { Node, Pod } from '../../api/types';
import type { Clock } from '../../clock';
import { ImageLists, NodeInfo } from '../framework/node-info';
import { PodFacts, type PodInfo } from '../framework/pod-info';
import type { Labels } from '../framework/selectors';
import { ChangeJournal, Snapshot } from '../framework/snapshot';

const ASSUMED_POD_TTL_MS = 15 * 60_000;

export function podUid(pod: Pod): string {
  return pod.metadata.uid ?? `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  /** Every pod bound or assumed, by uid; the node is the one in its spec.nodeName. */
  private readonly pods = new Map<string, PodFacts>();
  /** The assumed ones among them: cluster time the binding finished, NaN while it is on its way. */
  private readonly assumed = new Map<string, number>();
  private readonly images = new ImageLists();
  private snapshotCache: Snapshot | undefined;
  private imagesDirty = true;
  private readonly changes = new ChangeJournal();
  private readonly affinity = { withAffinity: 0, withRequiredAntiAffinity: 0 };
  namespaceLabels: (namespace: string) => Labels = () => undefined;

  constructor(private readonly clock: Clock) {}

  get nodeCount(): number {
    return this.snapshot().nodes.length;
  }

  addNode(node: Node): void {
    const name = node.metadata.name ?? '';
    let info = this.nodes.get(name);
    if (!info) {
      info = new NodeInfo();
      this.nodes.set(name, info);
    }
    const wasReal = info.node !== undefined;
    info.setNode(node, this.images);
    info.generation++;
    this.changes.record(info);
    this.imagesDirty = true;
    if (!wasReal) this.snapshotCache = undefined;
  }

  updateNode(node: Node): void {
    this.addNode(node);
  }

  removeNode(node: Node): void {
    const name = node.metadata.name ?? '';
    const info = this.nodes.get(name);
    if (!info) return;
    // Pods still bound there keep a placeholder until they go, as kube-scheduler does.
    if (info.pods.length > 0) info.node = undefined;
    else this.nodes.delete(name);
    this.snapshotCache = undefined;
    this.imagesDirty = true;
  }

  /** The pod as the informer reports it, bound to `spec.nodeName`. */
  addPod(pod: Pod): void {
    const uid = podUid(pod);
    const existing = this.pods.get(uid);
    // A status update of a bound pod: nothing the cache holds of it changes, so no node does either.
    if (existing !== undefined && !this.assumed.has(uid) && existing.stillDescribes(pod)) return;
    if (existing) {
      // Confirms an assumption (or corrects it if the pod landed elsewhere), or a newer version.
      this.removeFromNode(existing);
      this.assumed.delete(uid);
    }
    // The same pod (by its real uid) keeps what was derived from its spec: nothing that feeds it
    // may change once the pod is bound (or assumed: the queue's copy is the one bound).
    const same = existing !== undefined && pod.metadata.uid !== undefined && existing.uid === pod.metadata.uid;
    const info = new PodFacts(pod, same ? existing : undefined, this.nodeNameOf(pod.spec.nodeName));
    this.pods.set(uid, info);
    this.addToNode(info);
  }

  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  removePod(pod: Pod): void {
    const uid = podUid(pod);
    const info = this.pods.get(uid);
    if (!info) return;
    this.removeFromNode(info);
    this.pods.delete(uid);
    this.assumed.delete(uid);
  }

  isAssumed(pod: Pod): boolean {
    return this.assumed.has(podUid(pod));
  }

  /** Places the pod on `nodeName` before the binding is confirmed. */
  assumePod(info: PodInfo, nodeName: string): void {
    const assumed = new PodFacts(info.pod, info, this.nodeNameOf(nodeName));
    const uid = podUid(info.pod);
    const old = this.pods.get(uid);
    if (old) this.removeFromNode(old);
    this.pods.set(uid, assumed);
    this.assumed.set(uid, NaN);
    this.addToNode(assumed);
  }

  finishBinding(pod: Pod): void {
    const uid = podUid(pod);
    if (this.assumed.has(uid)) this.assumed.set(uid, this.clock.now());
  }

  /** Drops an assumption (binding failed). */
  forgetPod(pod: Pod): void {
    const uid = podUid(pod);
    const info = this.pods.get(uid);
    if (!info || !this.assumed.has(uid)) return;
    this.removeFromNode(info);
    this.pods.delete(uid);
    this.assumed.delete(uid);
  }

  /** Removes assumed pods whose binding finished long ago without confirmation. */
  cleanupExpiredAssumedPods(): void {
    const now = this.clock.now();
    for (const [uid, finishedAt] of this.assumed) {
      // NaN (binding still on its way) compares false.
      if (!(now - finishedAt > ASSUMED_POD_TTL_MS)) continue;
      const info = this.pods.get(uid);
      if (info) this.removeFromNode(info);
      this.pods.delete(uid);
      this.assumed.delete(uid);
    }
  }

  /** The nodes as a scheduling cycle sees them (shared NodeInfos, stable order). */
  snapshot(): Snapshot {
    if (!this.snapshotCache) {
      const list = [...this.nodes.values()].filter((n) => n.node !== undefined);
      this.snapshotCache = new Snapshot(list, (ns) => this.namespaceLabels(ns), () => this.affinity, this.changes);
    }
    if (this.imagesDirty) {
      Snapshot.countImages(this.snapshotCache.nodes);
      this.imagesDirty = false;
    }
    return this.snapshotCache;
  }

  get podCount(): number {
    return this.pods.size;
  }

  /** The cache's own string for a node name (what it keys `nodes` by), when it has the node. */
  private nodeNameOf(nodeName: string | undefined): string | undefined {
    if (!nodeName) return nodeName;
    const info = this.nodes.get(nodeName);
    return info?.node ? info.name : nodeName;
  }

  private addToNode(pod: PodFacts): void {
    const nodeName = pod.nodeName;
    if (!nodeName) return;
    let info = this.nodes.get(nodeName);
    if (!info) {
      info = new NodeInfo();
      this.nodes.set(nodeName, info);
    }
    info.addPod(pod);
    this.changes.record(info);
    if (pod.hasAffinity()) this.affinity.withAffinity++;
    if (pod.hasRequiredAntiAffinity()) this.affinity.withRequiredAntiAffinity++;
  }

  private removeFromNode(pod: PodFacts): void {
    const nodeName = pod.nodeName;
    const info = this.nodes.get(nodeName);
    if (!info) return;
    if (info.removePod(pod.uid)) {
      this.changes.record(info);
      if (pod.hasAffinity()) this.affinity.withAffinity--;
      if (pod.hasRequiredAntiAffinity()) this.affinity.withRequiredAntiAffinity--;
    }
    if (!info.node && info.pods.length === 0) {
      this.nodes.delete(nodeName);
      this.snapshotCache = undefined;
    }
  }
}
