/**
 * NodeInfo: a node and what is already on it (kube-scheduler's framework.NodeInfo). The scheduler
 * cache keeps one per node, updated incrementally as pods are added, assumed and removed, so a
 * cycle never walks all pods to learn what a node has left.
 */
import type { Node, Taint } from '../../api/types';
import type { HostPort } from './pod-info';
import { PodInfo } from './pod-info';
import { Resource } from './resource';

const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const NO_TAINTS: readonly Taint[] = Object.freeze([]);

export interface ImageState {
  sizeBytes: number;
  /** How many nodes in the snapshot have this image (for ImageLocality's spread factor). */
  numNodes: number;
}

export class NodeInfo {
  node: Node | undefined;
  /** In no particular order: a removal moves the last pod into the gap, as kube-scheduler's RemovePod does. */
  readonly pods: PodInfo[] = [];
  /** Where each pod (by uid) is in `pods`, so that removing one costs the same at 4,000 pods a node as at 10. */
  private readonly podIndex = new Map<string, number>();
  readonly podsWithAffinity: PodInfo[] = [];
  readonly podsWithRequiredAntiAffinity: PodInfo[] = [];
  /** Sum of the pods' requests. */
  readonly requested = new Resource();
  /** Same, with the scoring defaults for pods that request nothing. */
  readonly nonZeroRequested = new Resource();
  allocatable = new Resource();
  /** Host ports in use: `protocol/port` → host IPs. */
  readonly usedPorts = new Map<string, Set<string>>();
  /** Images on the node by normalized name; numNodes is filled in by the snapshot. */
  imageStates = new Map<string, ImageState>();
  /**
   * What is left of cpu, memory, ephemeral storage and the pod count (allocatable − requested),
   * kept up to date with the pods: NodeResourcesFit's common case reads these four numbers of
   * every evaluated node, without touching the Resource objects.
   */
  freeMilliCPU = 0;
  freeMemory = 0;
  freeEphemeralStorage = 0;
  freePods = 0;
  /** Copies of figures the default scorers read for every scored node (same reason). */
  allocatableMilliCPU = 0;
  allocatableMemory = 0;
  nonZeroRequestedMilliCPU = 0;
  nonZeroRequestedMemory = 0;
  podCount = 0;
  /**
   * ImageLocality's sum for the last image list it scored here (see image-locality.ts), so that
   * the pods of one workload do not look up the node's images again.
   */
  imageScoreKey: string | undefined;
  imageScoreSum = 0;
  /** Where the latest Snapshot built over this NodeInfo put it (Snapshot.indexOf checks it). */
  snapshotIndex = -1;
  /** Bumped on every change (pods added or removed, node updated); memoized counts key on it. */
  generation = 0;
  private readonly memo = new Map<number, { generation: number; value: number }>();

  constructor(node?: Node) {
    if (node) this.setNode(node);
  }

  /** The node's name and labels, kept in fields: plugins read them for every node of every cycle. */
  private nodeName = '';
  private nodeLabels: Record<string, string> = NO_LABELS;
  /** spec.taints and spec.unschedulable, read by the filters of every evaluated node. */
  taints: readonly Taint[] = NO_TAINTS;
  unschedulable = false;

  get name(): string {
    return this.node ? this.nodeName : '';
  }

  /** The node's labels (empty, never undefined, without a node); read-only. */
  get labels(): Record<string, string> {
    return this.node ? this.nodeLabels : NO_LABELS;
  }

  setNode(node: Node): void {
    this.node = node;
    this.nodeName = node.metadata.name ?? '';
    this.nodeLabels = node.metadata.labels ?? NO_LABELS;
    this.taints = node.spec?.taints ?? NO_TAINTS;
    this.unschedulable = node.spec?.unschedulable === true;
    this.allocatable = Resource.fromList(node.status?.allocatable ?? node.status?.capacity);
    this.refreshFree();
    this.imageStates = new Map();
    this.imageScoreKey = undefined;
    this.generation++;
    for (const image of node.status?.images ?? []) {
      for (const name of image.names ?? []) this.imageStates.set(normalizedImageName(name), { sizeBytes: image.sizeBytes ?? 0, numNodes: 0 });
    }
  }

  addPod(info: PodInfo): void {
    this.podIndex.set(info.uid, this.pods.length);
    this.pods.push(info);
    if (info.hasAffinity()) this.podsWithAffinity.push(info);
    if (info.hasRequiredAntiAffinity()) this.podsWithRequiredAntiAffinity.push(info);
    this.requested.add(info.requests);
    this.nonZeroRequested.add(info.nonZeroRequests);
    for (const p of info.hostPorts) this.addPort(p);
    this.refreshFree();
    this.generation++;
  }

  /** Removes the pod with this uid; returns whether it was there. */
  removePod(uid: string): boolean {
    const i = this.podIndex.get(uid);
    if (i === undefined) return false;
    const info = this.pods[i]!;
    const last = this.pods.pop()!;
    if (last !== info) {
      this.pods[i] = last;
      this.podIndex.set(last.uid, i);
    }
    this.podIndex.delete(uid);
    if (info.hasAffinity()) removeFrom(this.podsWithAffinity, uid);
    if (info.hasRequiredAntiAffinity()) removeFrom(this.podsWithRequiredAntiAffinity, uid);
    this.requested.add(info.requests, -1);
    this.nonZeroRequested.add(info.nonZeroRequests, -1);
    for (const p of info.hostPorts) this.removePort(p);
    this.refreshFree();
    this.generation++;
    return true;
  }

  private refreshFree(): void {
    const a = this.allocatable;
    const r = this.requested;
    this.freeMilliCPU = a.milliCPU - r.milliCPU;
    this.freeMemory = a.memory - r.memory;
    this.freeEphemeralStorage = a.ephemeralStorage - r.ephemeralStorage;
    this.freePods = a.allowedPodNumber - this.pods.length;
    this.allocatableMilliCPU = a.milliCPU;
    this.allocatableMemory = a.memory;
    this.nonZeroRequestedMilliCPU = this.nonZeroRequested.milliCPU;
    this.nonZeroRequestedMemory = this.nonZeroRequested.memory;
    this.podCount = this.pods.length;
  }

  /**
   * A per-node figure (e.g. how many pods match a spread selector) memoized until the node next
   * changes: scheduling one pod changes one node, so the next cycle recomputes only that one.
   * `key` is a number from `memoKey` (cheaper to look up than the selector text).
   */
  memoized(key: number, compute: () => number): number {
    const hit = this.memoValue(key);
    if (hit !== undefined) return hit;
    const m = this.memo.get(key);
    const value = compute();
    if (m !== undefined) { m.generation = this.generation; m.value = value; return value; }
    if (this.memo.size > 64) this.memo.clear();
    this.memo.set(key, { generation: this.generation, value });
    return value;
  }

  /** The memoized figure for `key` if the node has not changed since it was computed. */
  memoValue(key: number): number | undefined {
    const m = this.memo.get(key);
    return m !== undefined && m.generation === this.generation ? m.value : undefined;
  }

  /** Whether any of `ports` conflicts with a port in use (0.0.0.0 conflicts with every IP). */
  portsConflict(ports: HostPort[]): boolean {
    for (const p of ports) {
      const ips = this.usedPorts.get(`${p.protocol}/${p.port}`);
      if (!ips || ips.size === 0) continue;
      if (p.hostIP === '0.0.0.0' || ips.has('0.0.0.0') || ips.has(p.hostIP)) return true;
    }
    return false;
  }

  /** A copy that can be changed without touching this one (preemption dry runs, nominated pods). */
  clone(): NodeInfo {
    const c = new NodeInfo();
    c.node = this.node;
    c.nodeName = this.nodeName;
    c.nodeLabels = this.nodeLabels;
    c.taints = this.taints;
    c.unschedulable = this.unschedulable;
    c.allocatable = this.allocatable;
    c.refreshFree();
    c.imageStates = this.imageStates;
    for (const p of this.pods) c.addPod(p);
    return c;
  }

  private addPort(p: HostPort): void {
    const key = `${p.protocol}/${p.port}`;
    let ips = this.usedPorts.get(key);
    if (!ips) this.usedPorts.set(key, (ips = new Set()));
    ips.add(p.hostIP);
  }

  private removePort(p: HostPort): void {
    const key = `${p.protocol}/${p.port}`;
    const ips = this.usedPorts.get(key);
    if (!ips) return;
    // Another pod may hold the same ip/port only if the node is overcommitted; keep it simple.
    ips.delete(p.hostIP);
    if (ips.size === 0) this.usedPorts.delete(key);
  }
}

const memoKeys = new Map<string, number>();

/** A small integer standing for `text` (a selector and namespace), for NodeInfo.memoized. */
export function memoKey(text: string): number {
  let k = memoKeys.get(text);
  if (k === undefined) {
    if (memoKeys.size > 100_000) memoKeys.clear();
    k = memoKeys.size + 1;
    memoKeys.set(text, k);
  }
  return k;
}

function removeFrom(list: PodInfo[], uid: string): void {
  const i = list.findIndex((p) => p.uid === uid);
  if (i >= 0) list.splice(i, 1);
}

/** kube-scheduler's normalizedImageName: an image without a tag or digest means `:latest`. */
export function normalizedImageName(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  const last = name.slice(lastSlash + 1);
  if (last.includes(':') || name.includes('@')) return name;
  return `${name}:latest`;
}
