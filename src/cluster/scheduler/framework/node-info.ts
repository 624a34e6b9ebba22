/**
 * NodeInfo: a node and what is already on it (kube-scheduler's framework.NodeInfo). The scheduler
 * cache keeps one per node, updated incrementally as pods are added, assumed and removed, so a
 * cycle never walks all pods to learn what a node has left.
 */
import type { Node, Taint } from '../../api/types';
import type { HostPort, PodFacts } from './pod-info';
import { Resource } from './resource';

const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const NO_TAINTS: readonly Taint[] = Object.freeze([]);
const NO_PODS: readonly PodFacts[] = Object.freeze([]);
const NO_PORTS: ReadonlyMap<string, ReadonlySet<string>> = new Map();
const NO_IMAGES: ReadonlyMap<string, ImageState> = new Map();

export interface ImageState {
  sizeBytes: number;
  /** How many nodes in the snapshot have this image (for ImageLocality's spread factor). */
  numNodes: number;
}

export class NodeInfo {
  node: Node | undefined;
  /** In no particular order: a removal moves the last pod into the gap, as kube-scheduler's RemovePod does. */
  readonly pods: PodFacts[] = [];
  /**
   * Where each pod (by uid) is in `pods`, so that removing one costs the same at 4,000 pods a node
   * as at 10. Made once the node has more than INDEXED_FROM pods: below that a scan costs less than
   * the index's memory (~50 bytes a pod, 150,000 pods). This and the other collections below are
   * made when first needed: a large cluster has thousands of NodeInfos, most of them without pods
   * that use ports or affinity.
   */
  private podIndex: Map<string, number> | undefined;
  private withAffinity: PodFacts[] | undefined;
  private withRequiredAntiAffinity: PodFacts[] | undefined;
  /** Sum of the pods' requests. */
  readonly requested = new Resource();
  /** Same, with the scoring defaults for pods that request nothing. */
  readonly nonZeroRequested = new Resource();
  allocatable = new Resource();
  private ports: Map<string, Set<string>> | undefined;
  /**
   * Images on the node by normalized name; numNodes is filled in by the snapshot. Read-only: the
   * nodes of one cache that report the same images share one map (see ImageLists).
   */
  imageStates: ReadonlyMap<string, ImageState> = NO_IMAGES;
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
  private memo: Map<number, { generation: number; value: number }> | undefined;

  constructor(node?: Node) {
    if (node) this.setNode(node);
  }

  /** The node's name and labels, kept in fields: plugins read them for every node of every cycle. */
  private nodeName = '';
  private nodeLabels: Record<string, string> = NO_LABELS;
  /** spec.taints and spec.unschedulable, read by the filters of every evaluated node. */
  taints: readonly Taint[] = NO_TAINTS;
  unschedulable = false;

  /** Pods with (anti-)affinity terms of any kind. */
  get podsWithAffinity(): readonly PodFacts[] {
    return this.withAffinity ?? NO_PODS;
  }

  get podsWithRequiredAntiAffinity(): readonly PodFacts[] {
    return this.withRequiredAntiAffinity ?? NO_PODS;
  }

  /** Host ports in use: `protocol/port` → host IPs. */
  get usedPorts(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.ports ?? NO_PORTS;
  }

  get name(): string {
    return this.node ? this.nodeName : '';
  }

  /** The node's labels (empty, never undefined, without a node); read-only. */
  get labels(): Record<string, string> {
    return this.node ? this.nodeLabels : NO_LABELS;
  }

  /** `images`: the cache's shared image maps (without: a map of this node's own). */
  setNode(node: Node, images?: ImageLists): void {
    this.node = node;
    this.nodeName = node.metadata.name ?? '';
    this.nodeLabels = node.metadata.labels ?? NO_LABELS;
    this.taints = node.spec?.taints ?? NO_TAINTS;
    this.unschedulable = node.spec?.unschedulable === true;
    this.allocatable = Resource.fromList(node.status?.allocatable ?? node.status?.capacity);
    this.refreshFree();
    this.imageStates = images ? images.of(node) : imageStatesOf(node);
    this.imageScoreKey = undefined;
    this.generation++;
  }

  addPod(info: PodFacts): void {
    if (this.podIndex) this.podIndex.set(info.uid, this.pods.length);
    this.pods.push(info);
    if (!this.podIndex && this.pods.length > INDEXED_FROM) this.podIndex = new Map(this.pods.map((p, i) => [p.uid, i]));
    if (info.hasAffinity()) (this.withAffinity ??= []).push(info);
    if (info.hasRequiredAntiAffinity()) (this.withRequiredAntiAffinity ??= []).push(info);
    this.requested.add(info.requests);
    this.nonZeroRequested.add(info.nonZeroRequests);
    for (const p of info.hostPorts) this.addPort(p);
    this.refreshFree();
    this.generation++;
  }

  /** Removes the pod with this uid; returns whether it was there. */
  removePod(uid: string): boolean {
    const index = this.podIndex;
    const i = index ? index.get(uid) : indexOfUid(this.pods, uid);
    if (i === undefined || i < 0) return false;
    const info = this.pods[i]!;
    const last = this.pods.pop()!;
    if (last !== info) {
      this.pods[i] = last;
      index?.set(last.uid, i);
    }
    index?.delete(uid);
    if (info.hasAffinity() && this.withAffinity) removeFrom(this.withAffinity, uid);
    if (info.hasRequiredAntiAffinity() && this.withRequiredAntiAffinity) removeFrom(this.withRequiredAntiAffinity, uid);
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
    const memo = (this.memo ??= new Map());
    const m = memo.get(key);
    const value = compute();
    if (m !== undefined) { m.generation = this.generation; m.value = value; return value; }
    if (memo.size > 64) memo.clear();
    memo.set(key, { generation: this.generation, value });
    return value;
  }

  /** The memoized figure for `key` if the node has not changed since it was computed. */
  memoValue(key: number): number | undefined {
    const m = this.memo?.get(key);
    return m !== undefined && m.generation === this.generation ? m.value : undefined;
  }

  /** Whether any of `ports` conflicts with a port in use (0.0.0.0 conflicts with every IP). */
  portsConflict(ports: readonly HostPort[]): boolean {
    const used = this.ports;
    if (used === undefined) return false;
    for (const p of ports) {
      const ips = used.get(`${p.protocol}/${p.port}`);
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
    const used = (this.ports ??= new Map());
    let ips = used.get(key);
    if (!ips) used.set(key, (ips = new Set()));
    ips.add(p.hostIP);
  }

  private removePort(p: HostPort): void {
    const key = `${p.protocol}/${p.port}`;
    const ips = this.ports?.get(key);
    if (!ips) return;
    // Another pod may hold the same ip/port only if the node is overcommitted; keep it simple.
    ips.delete(p.hostIP);
    if (ips.size === 0) this.ports!.delete(key);
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

/** Pods a node may have before it indexes them by uid (see NodeInfo.podIndex). */
const INDEXED_FROM = 64;

function indexOfUid(pods: readonly PodFacts[], uid: string): number {
  for (let i = 0; i < pods.length; i++) if (pods[i]!.uid === uid) return i;
  return -1;
}

function removeFrom(list: PodFacts[], uid: string): void {
  const i = list.findIndex((p) => p.uid === uid);
  if (i >= 0) list.splice(i, 1);
}

function imageStatesOf(node: Node): ReadonlyMap<string, ImageState> {
  const images = node.status?.images;
  if (!images || images.length === 0) return NO_IMAGES;
  const states = new Map<string, ImageState>();
  for (const image of images) {
    for (const name of image.names ?? []) states.set(normalizedImageName(name), { sizeBytes: image.sizeBytes ?? 0, numNodes: 0 });
  }
  return states;
}

/**
 * One cache's image maps by the image list they were made from: thousands of nodes report the
 * same few images. Sharing a map is sound within one cache only: numNodes counts the nodes of
 * that cache's snapshot that have the image, which is the same for every node holding the map.
 */
export class ImageLists {
  private readonly byList = new Map<string, ReadonlyMap<string, ImageState>>();

  constructor(private readonly max = 10_000) {}

  of(node: Node): ReadonlyMap<string, ImageState> {
    const images = node.status?.images;
    if (!images || images.length === 0) return NO_IMAGES;
    const list = JSON.stringify(images);
    let states = this.byList.get(list);
    if (states === undefined) {
      states = imageStatesOf(node);
      // Past that many different lists start over; maps in use stay with their nodes.
      if (this.byList.size >= this.max) this.byList.clear();
      this.byList.set(list, states);
    }
    return states;
  }
}

/** kube-scheduler's normalizedImageName: an image without a tag or digest means `:latest`. */
export function normalizedImageName(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  const last = name.slice(lastSlash + 1);
  if (last.includes(':') || name.includes('@')) return name;
  return `${name}:latest`;
}
