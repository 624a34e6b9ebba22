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
 */
import type { Node, Pod } from '../../api/types';
import type { Clock } from '../../clock';
import { NodeInfo } from '../framework/node-info';
import { PodInfo } from '../framework/pod-info';
import type { Labels } from '../framework/selectors';
import { ChangeJournal, Snapshot } from '../framework/snapshot';

const ASSUMED_POD_TTL_MS = 15 * 60_000;

interface PodState {
  info: PodInfo;
  nodeName: string;
  assumed: boolean;
  /** Cluster time the binding finished (assumed pods only). */
  bindingFinishedAt?: number;
}

export function podUid(pod: Pod): string {
  return pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`;
}

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, PodState>();
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
    info.setNode(node);
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
    const nodeName = pod.spec.nodeName ?? '';
    const existing = this.pods.get(uid);
    if (existing) {
      // Confirms an assumption (or corrects it if the pod landed elsewhere).
      this.removeFromNode(existing);
    }
    const state: PodState = { info: new PodInfo(pod), nodeName, assumed: false };
    this.pods.set(uid, state);
    this.addToNode(state);
  }

  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  removePod(pod: Pod): void {
    const state = this.pods.get(podUid(pod));
    if (!state) return;
    this.removeFromNode(state);
    this.pods.delete(podUid(pod));
  }

  isAssumed(pod: Pod): boolean {
    return this.pods.get(podUid(pod))?.assumed ?? false;
  }

  /** Places the pod on `nodeName` before the binding is confirmed. */
  assumePod(info: PodInfo, nodeName: string): void {
    const bound = { ...info.pod, spec: { ...info.pod.spec, nodeName } } as Pod;
    const state: PodState = { info: new PodInfo(bound, info), nodeName, assumed: true };
    const uid = podUid(info.pod);
    const old = this.pods.get(uid);
    if (old) this.removeFromNode(old);
    this.pods.set(uid, state);
    this.addToNode(state);
  }

  finishBinding(pod: Pod): void {
    const state = this.pods.get(podUid(pod));
    if (state?.assumed) state.bindingFinishedAt = this.clock.now();
  }

  /** Drops an assumption (binding failed). */
  forgetPod(pod: Pod): void {
    const state = this.pods.get(podUid(pod));
    if (!state?.assumed) return;
    this.removeFromNode(state);
    this.pods.delete(podUid(pod));
  }

  /** Removes assumed pods whose binding finished long ago without confirmation. */
  cleanupExpiredAssumedPods(): void {
    const now = this.clock.now();
    for (const [uid, s] of this.pods) {
      if (s.assumed && s.bindingFinishedAt !== undefined && now - s.bindingFinishedAt > ASSUMED_POD_TTL_MS) {
        this.removeFromNode(s);
        this.pods.delete(uid);
      }
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

  private addToNode(state: PodState): void {
    if (!state.nodeName) return;
    let info = this.nodes.get(state.nodeName);
    if (!info) {
      info = new NodeInfo();
      this.nodes.set(state.nodeName, info);
    }
    info.addPod(state.info);
    this.changes.record(info);
    if (state.info.hasAffinity()) this.affinity.withAffinity++;
    if (state.info.hasRequiredAntiAffinity()) this.affinity.withRequiredAntiAffinity++;
  }

  private removeFromNode(state: PodState): void {
    const info = this.nodes.get(state.nodeName);
    if (!info) return;
    if (info.removePod(podUid(state.info.pod))) {
      this.changes.record(info);
      if (state.info.hasAffinity()) this.affinity.withAffinity--;
      if (state.info.hasRequiredAntiAffinity()) this.affinity.withRequiredAntiAffinity--;
    }
    if (!info.node && info.pods.length === 0) {
      this.nodes.delete(state.nodeName);
      this.snapshotCache = undefined;
    }
  }
}
