/**
 * One simulated node's kubelet: an API client acting as `system:node:<name>` that
 *
 * - registers its Node (or adopts the one already there) and records the kubelet's start-up events;
 * - renews its Lease in kube-node-lease every 10 s (leaseDurationSeconds 40, owned by the Node);
 * - computes node status every 10 s and PATCHes nodes/status when it changed or every 5 min;
 * - runs a PodWorker for every pod bound to it and writes their status through pods/status;
 * - can be stopped (the kubelet dies: no lease, no status, containers keep running unseen) and
 *   started again (it re-registers and reports every pod afresh).
 *
 * Pods reach it from the NodePool's shared informer (one watch for all nodes, see nodes.ts).
 */
import { isStatusError } from '../api/errors';
import type { KubeObject, Node, NodeCondition, Pod, PodStatus } from '../api/types';
import { CONFIGMAPS, LEASES, NODES, PODS, SECRETS, type ApiClient, type ResourceClient } from '../client/client';
import { EventRecorder, microTime, podReference, rfc3339, type EventType, type ObjectReference } from '../client/event-recorder';
import type { Clock, Timer } from '../clock';
import { BackOff } from './backoff';
import { DEFAULT_BEHAVIOUR, Random, hashString, type KubeletBehaviour } from './behaviour';
import { ContainerIds } from './runtime/container-ids';
import type { ConfigSource } from './container-config';
import { ImageManager } from './images';
import { internalIP, nodeConditions, nodeInfo, nodeObject, nodeResources, podCIDR, podNetwork, podNetworkPrefix, type ConditionState, type NodeConfig } from './node-status';
import { PodWorker, type PodWorkerHost, type StatusSlot } from './pod-worker';
import { isTerminalPhase } from './pod-status';
import { parseImageReference } from './runtime/image-ref';
import { admitPod, type Rejection } from './admission';
import { adoptablePod } from './adoption';
import { jsonFingerprint } from './status-fingerprint';
import type { CompactIP } from './pod-ip';

/**
 * The status slot of a pod that has no worker (a rejected pod). A pod with a worker has its slot in
 * the worker (an entry per running pod otherwise).
 */
class StatusWrite implements StatusSlot {
  statusToWrite: PodStatus | undefined = undefined;
  writtenPrint: number | undefined = undefined;
  writing = false;
  writeWaiters: (() => void)[] | undefined = undefined;
  constructor(readonly namespace: string, readonly name: string) {}
}

/** The kubelet's nodeLeaseDurationSeconds, and its renew interval (a quarter of it). */
export const LEASE_DURATION_SECONDS = 40;
export const LEASE_RENEW_MS = 10_000;
/** nodeStatusUpdateFrequency: how often status is computed. */
export const NODE_STATUS_UPDATE_MS = 10_000;
/** nodeStatusReportFrequency: an unchanged status is still reported this often. */
export const NODE_STATUS_REPORT_MS = 5 * 60_000;

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** The waits between attempts to register the Node: the first, doubled each time up to the last (registerWithAPIServer). */
export const REGISTRATION_FIRST_RETRY_MS = 200;
export const REGISTRATION_MAX_RETRY_MS = 7_000;
const CONFIG_CACHE_MS = 60_000;

export interface KubeletOptions {
  config: NodeConfig;
  /** The node's position (1-based): its pod CIDR (podNetworkPrefix: 10.244.<index>.0/24 up to 255 nodes) and its InternalIP. */
  index: number;
  client: ApiClient;
  clock: Clock;
  behaviour?: KubeletBehaviour;
  /**
   * The pods bound to this node as the pool's pod informer holds them, by namespace/name: the pod
   * workers read their pod from it instead of each holding one (see PodWorker). Without it every
   * worker holds its pod.
   */
  pods?: (key: string) => Pod | undefined;
}

export class Kubelet implements PodWorkerHost {
  readonly nodeName: string;
  readonly hostIP: string;
  readonly clock: Clock;
  readonly random: Random;
  readonly behaviour: KubeletBehaviour;
  readonly images: ImageManager;
  readonly crashBackOff: BackOff;
  readonly pullBackOff: BackOff;
  readonly config: ConfigSource;
  private readonly client: ApiClient;
  /** The pods resource, made once: a status write per pod change would make one each time. */
  private readonly podStatuses: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;
  private readonly workers = new Map<string, PodWorker>();
  /** The pod IPs in use, by host number (2…254 of the node's /24): one bit each, not an entry per pod. */
  private readonly ipsInUse = new Uint32Array(8);
  private nextIP = 2;
  private alive = false;
  private nodeUid = '';
  private lease: KubeObject | undefined;
  /** The Lease this kubelet held was deleted: the next one is made only while the Node is there. */
  private leaseLost = false;
  private timers: Timer[] = [];
  private lastConditions: NodeCondition[] | undefined;
  /** conditionKey() of the status last reported; -1: none. */
  private lastReportedKey = -1;
  private lastReportAt = 0;
  /**
   * Per pod: the status to write and a fingerprint of the last one written. Only the name is kept
   * of the pod, not the version it was computed from (that would keep an old copy of every pod).
   * Pods without a worker (rejected ones) only; made at the first, gone with the last: most
   * kubelets never reject a pod, and an empty Map is ~150 bytes a node.
   */
  private statusWrites: Map<string, StatusWrite> | undefined = undefined;
  private bootID: string;
  private readonly machineID: string;
  /** Set by the first registration (see registered()); no pod is synced before. */
  private ids: ContainerIds | undefined = undefined;
  /** How many times start() was called: a registration still retrying gives up once another start began. */
  private starts = 0;

  constructor(private readonly options: KubeletOptions) {
    this.nodeName = options.config.name;
    this.hostIP = internalIP(options.index);
    this.clock = options.clock;
    this.behaviour = options.behaviour ?? DEFAULT_BEHAVIOUR;
    this.random = new Random((this.behaviour.seed ^ hashString(this.nodeName)) >>> 0);
    this.client = options.client;
    this.podStatuses = this.client.resource<Pod>(PODS);
    this.images = new ImageManager(this.clock, this.random, this.behaviour);
    const pause = parseImageReference('registry.k8s.io/pause:3.10');
    if (pause) this.images.preload(pause);
    this.crashBackOff = new BackOff(this.behaviour.crashLoopBackOff, () => this.clock.now());
    this.pullBackOff = new BackOff(this.behaviour.imagePullBackOff, () => this.clock.now());
    this.recorder = new EventRecorder(this.client, this.clock, { component: 'kubelet', host: this.nodeName });
    this.machineID = this.random.hex(32);
    this.bootID = '';
    this.config = {
      configMap: (namespace, name) => this.getOrUndefined(CONFIGMAPS, namespace, name),
      secret: (namespace, name) => this.getOrUndefined(SECRETS, namespace, name),
    };
  }

  /** PodWorkerHost: the ids of the containers this kubelet creates, numbered from its registration. */
  get containerIds(): ContainerIds {
    if (!this.ids) throw new Error(`kubelet ${this.nodeName} has not registered its node`);
    return this.ids;
  }

  /** The kubelet's client of pods, as itself (`system:node:<name>`). */
  get pods(): ResourceClient<Pod> {
    return this.podStatuses;
  }

  get isAlive(): boolean {
    return this.alive;
  }

  get podCIDR(): string {
    return podCIDR(this.options.index);
  }

  get nodeConfig(): NodeConfig {
    return this.options.config;
  }

  /**
   * Registers the node (once), then heartbeats. Resolves when the node has reported Ready.
   * `refused` hears each failed registration attempt's error (the attempts go on regardless).
   */
  async start(refused?: (err: unknown) => void): Promise<void> {
    if (this.alive) return;
    this.alive = true;
    const bootID = this.random.hex(8) + '-' + this.random.hex(4) + '-' + this.random.hex(4) + '-' + this.random.hex(4) + '-' + this.random.hex(12);
    this.bootID = bootID;
    this.lastConditions = undefined;
    this.lastReportedKey = -1;
    const start = ++this.starts;
    const registration = await this.registerWithAPIServer(start, refused);
    // Stopped (and maybe started again) before the Node was registered: that start goes on alone.
    if (registration === undefined) return;
    this.nodeEvent('Normal', 'Starting', 'Starting kubelet.');
    this.nodeEvent('Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
    // A new Node went out with its status; one adopted from an earlier run gets ours now.
    const written = registration.created ? registration.revision : await this.reportStatus(true);
    this.registered(written ?? registration.revision);
    for (const reason of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID', 'NodeReady']) {
      this.nodeEvent('Normal', reason, `Node ${this.nodeName} status is now: ${reason}`);
    }
    await this.renewLease();
    this.every(LEASE_RENEW_MS, () => this.renewLease());
    this.every(NODE_STATUS_UPDATE_MS, () => {
      // Events past the correlation window are forgotten also while no new ones come (an idle node).
      this.recorder.prune();
      this.pruneConfigCache();
      return this.reportStatus(false);
    });
    // A restarted kubelet reports every pod afresh; its writes while dead never happened.
    for (const entry of this.statusWrites?.values() ?? []) entry.writtenPrint = undefined;
    for (const worker of this.workers.values()) worker.writtenPrint = undefined;
    for (const worker of this.workers.values()) worker.republish();
  }

  /** The kubelet dies: no more lease, status or pod updates. Containers keep running. */
  stop(): void {
    this.alive = false;
    // The informer moves on while the kubelet is dead; the workers keep the versions they were given.
    for (const worker of this.workers.values()) worker.hold();
    for (const t of this.timers) t.cancel();
    this.timers = [];
  }

  /** The node is removed for good: every container is killed. */
  destroy(): void {
    this.stop();
    for (const worker of this.workers.values()) worker.abandon();
    this.workers.clear();
  }

  /** A pod bound to this node was added or changed. */
  syncPod(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    const worker = this.workers.get(uid);
    if (worker) {
      if (this.alive) worker.update(pod);
      return;
    }
    // Pods given before the first registration are given again once it is done (the pool syncs
    // every pod of the node after start()): the containers' id space is not known before.
    if (!this.alive || !this.ids) return;
    // A pod of this name with another uid that a worker still runs is gone from the API: an informer
    // that relisted after it was deleted and created again reports the new one as an update of the
    // name, never the delete. The kubelet tells pods apart by uid, as kubelet's pod config does.
    const replaced = this.worker(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
    if (replaced) this.removePod(replaced.current);
    const phase = pod.status?.phase;
    if (isTerminalPhase(phase) && !pod.metadata.deletionTimestamp) return;
    if (isTerminalPhase(phase) && pod.metadata.deletionTimestamp) {
      this.deletePod(pod);
      return;
    }
    // Containers a previous kubelet process left running are kept, not admitted again (adoption.ts).
    const adopted = adoptablePod(pod);
    if (adopted) {
      if (adopted.podIP && !pod.spec.hostNetwork) this.reservePodIP(adopted.podIP);
      const worker = new PodWorker(pod, this);
      this.workers.set(uid, worker);
      // Should resuming fail, the pod starts as new: better than a pod no worker runs.
      worker.adopt(adopted).catch(() => { if (!worker.isFinished) worker.start(); });
      return;
    }
    const running = [...this.workers.values()].filter((w) => !w.isFinished);
    const rejection = admitPod(pod, running.length, () => running, nodeResources(this.options.config));
    if (rejection) {
      this.reject(pod, rejection);
      return;
    }
    const created = new PodWorker(pod, this);
    this.workers.set(uid, created);
    created.start();
  }

  /** The kubelet refuses the pod: it fails at once, with the reason as its status. */
  private reject(pod: Pod, rejection: Rejection): void {
    const uid = pod.metadata.uid ?? '';
    if (this.statusWrites?.has(uid)) return;
    const { namespace, name, resourceVersion } = pod.metadata;
    this.podEvent(podReference(namespace, name, uid, resourceVersion), 'Warning', rejection.reason, rejection.message.replace(/^Pod was rejected: /, ''));
    this.writeStatus(pod, { ...pod.status, phase: 'Failed', reason: rejection.reason, message: rejection.message, startTime: rfc3339(this.clock.now()) });
  }

  /** A pod bound to this node is gone from the API. */
  removePod(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    this.workers.get(uid)?.abandon(pod);
    this.workers.delete(uid);
    if (this.statusWrites?.delete(uid) && this.statusWrites.size === 0) this.statusWrites = undefined;
  }

  /** The worker of a pod on this node, by name. */
  worker(namespace: string, name: string): PodWorker | undefined {
    for (const w of this.workers.values()) if (w.namespace === namespace && w.name === name) return w;
    return undefined;
  }

  get podCount(): number {
    return this.workers.size;
  }

  // ---- PodWorkerHost ----------------------------------------------------------------------

  cachedPod(namespace: string, name: string): Pod | undefined {
    return this.options.pods?.(`${namespace}/${name}`);
  }

  /** A free IP of the pod CIDR, as the worker keeps it (a packed integer: no text made of it here). */
  allocatePodIP(): CompactIP {
    const network = podNetwork(this.options.index);
    for (let i = 0; i < 253; i++) {
      const candidate = ((this.nextIP - 2 + i) % 253) + 2;
      if (!this.ipInUse(candidate)) {
        this.markIP(candidate, true);
        this.nextIP = candidate + 1;
        return network | candidate;
      }
    }
    return network | 2;
  }

  /** An adopted pod keeps its IP: no other pod gets it while the pod runs. */
  private reservePodIP(ip: string): void {
    const host = this.hostNumber(ip);
    if (host !== undefined) this.markIP(host, true);
  }

  /** `ip`: a pod IP this kubelet gave or reserved (any other, such as a hostNetwork pod's, is ignored). */
  releasePodIP(ip: CompactIP): void {
    const host = this.hostNumber(ip);
    if (host !== undefined) this.markIP(host, false);
  }

  /**
   * The host number of `ip` in this node's pod CIDR, if it is one a pod can have. A packed IP (the
   * ones this kubelet gives) is matched by its bits; a text (an adopted pod's) by the CIDR's prefix.
   */
  private hostNumber(ip: CompactIP): number | undefined {
    let host: number;
    if (typeof ip === 'number') {
      host = (ip & ~255) === podNetwork(this.options.index) ? ip & 255 : NaN;
    } else {
      const prefix = podNetworkPrefix(this.options.index);
      host = ip.startsWith(prefix) ? Number(ip.slice(prefix.length)) : NaN;
    }
    return Number.isInteger(host) && host >= 2 && host <= 254 ? host : undefined;
  }

  private ipInUse(host: number): boolean {
    return (this.ipsInUse[host >>> 5]! & (1 << (host & 31))) !== 0;
  }

  private markIP(host: number, used: boolean): void {
    if (used) this.ipsInUse[host >>> 5]! |= 1 << (host & 31);
    else this.ipsInUse[host >>> 5]! &= ~(1 << (host & 31));
  }

  podEvent(involved: ObjectReference, type: EventType, reason: string, message: string): void {
    if (!this.alive) return;
    this.recorder.eventOn(involved, type, reason, message);
  }

  nodeEvent(type: EventType, reason: string, message: string): void {
    if (!this.alive) return;
    // The kubelet's node reference carries the node name as its UID.
    this.recorder.event({ kind: 'Node', name: this.nodeName, uid: this.nodeName, apiVersion: 'v1' }, type, reason, message);
  }

  writeStatus(pod: Pod, status: PodStatus): void {
    const uid = pod.metadata.uid ?? '';
    let entry = this.statusSlot(uid);
    if (!entry) {
      entry = new StatusWrite(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
      (this.statusWrites ??= new Map()).set(uid, entry);
    }
    entry.statusToWrite = status;
    if (!this.alive) return;
    void this.flushStatus(uid);
  }

  /** Where the status of the pod of `uid` waits to be written: in its worker, else (a rejected pod) in statusWrites. */
  private statusSlot(uid: string): StatusSlot | undefined {
    return this.workers.get(uid) ?? this.statusWrites?.get(uid);
  }

  deletePod(pod: Pod): void {
    if (!this.alive) return;
    const uid = pod.metadata.uid ?? '';
    void (async () => {
      // The final status goes first, as the kubelet's status manager does before it deletes.
      await this.flushStatus(uid);
      try {
        // ...WithWarnings: the deleted pod is not read, so it is never decoded (in process).
        await this.client.resource(PODS).deleteWithWarnings(pod.metadata.name ?? '', { namespace: pod.metadata.namespace, gracePeriodSeconds: 0, preconditions: { uid } });
      } catch {
        // Already gone, or a new pod with the same name (the uid precondition protects it).
      }
    })();
  }

  /**
   * Writes the latest status of a pod if it differs from what was last written (one write at a
   * time). Resolves once the status set last is written, also when a write was under way: the final
   * status must reach the API before deletePod's delete, as the status manager waits for it.
   */
  private async flushStatus(uid: string): Promise<void> {
    const entry = this.statusSlot(uid);
    if (!entry) return;
    if (entry.writing) return new Promise((resolve) => (entry.writeWaiters ??= []).push(resolve));
    entry.writing = true;
    try {
      for (;;) {
        if (!this.alive) return;
        const status = entry.statusToWrite;
        if (!status) return;
        const text = jsonFingerprint(status);
        if (text === entry.writtenPrint) {
          // Nothing new to write; drop the object, only the fingerprint stays.
          if (entry.statusToWrite === status) entry.statusToWrite = undefined;
          return;
        }
        try {
          // ...WithWarnings: the patched pod is not read, so it is never decoded (in process).
          // metadata.uid as the status manager's PatchPodStatus sends it: a precondition, so the status
          // of a pod deleted and created again under the same name never lands on the new one.
          await this.podStatuses.patchWithWarnings(entry.name, 'merge', { metadata: { uid }, status }, { namespace: entry.namespace, subresource: 'status' });
          entry.writtenPrint = text;
          // Only the fingerprint stays (the worker recomputes the status whenever it republishes).
          if (entry.statusToWrite === status) entry.statusToWrite = undefined;
        } catch (err) {
          if (isStatusError(err, 'NotFound')) { entry.writtenPrint = text; return; }
          entry.writtenPrint = text; // drop it: the next change writes the whole status again
          return;
        }
      }
    } finally {
      entry.writing = false;
      for (const resolve of entry.writeWaiters?.splice(0) ?? []) resolve();
    }
  }

  // ---- node ---------------------------------------------------------------------------------

  private every(ms: number, fn: () => Promise<unknown> | void): void {
    const tick = () => {
      if (!this.alive) return;
      const timer = this.clock.setTimer(ms, () => {
        this.timers = this.timers.filter((t) => t !== timer);
        void Promise.resolve(fn()).catch(() => undefined).finally(tick);
      });
      this.timers.push(timer);
    };
    tick();
  }

  /**
   * register() until it succeeds, as the kubelet's registerWithAPIServer does: a failed attempt
   * (the API refused the Node's create, or the GET of the Node it found) is tried again after
   * 200 ms, 400 ms, ... doubling up to 7 s of cluster time (the real kubelet also waits 100 ms
   * before its first attempt: here the first is at once). Undefined when this kubelet stopped, or
   * started again, meanwhile (`start`: this start's number, see `starts`). `refused` hears each
   * failed attempt's error.
   */
  private async registerWithAPIServer(start: number, refused?: (err: unknown) => void): Promise<{ created: boolean; revision: number } | undefined> {
    let step = REGISTRATION_FIRST_RETRY_MS;
    for (;;) {
      try {
        return await this.register();
      } catch (err) {
        // Retried below.
        refused?.(err);
      }
      await this.clock.sleep(step);
      if (!this.alive || this.starts !== start) return undefined;
      step = Math.min(step * 2, REGISTRATION_MAX_RETRY_MS);
    }
  }

  /**
   * Registers the Node with its status in one create, as the kubelet's initialNode does (the node
   * strategy keeps status on create). `created` when so; not when a Node of this name was there
   * (a restarted kubelet, or a durable store): it is adopted and its status reported separately.
   * `revision`: the Node's resourceVersion as created or found.
   */
  private async register(): Promise<{ created: boolean; revision: number }> {
    const nodes = this.client.resource<Node>(NODES);
    const now = this.clock.now();
    const status = this.nodeStatus(now);
    try {
      const node = await nodes.create({ ...nodeObject(this.options.config), status });
      this.nodeUid = node.metadata.uid ?? '';
      this.reported(status, now);
      return { created: true, revision: Number(node.metadata.resourceVersion) };
    } catch (err) {
      if (!isStatusError(err, 'AlreadyExists')) throw err;
      const node = await nodes.get(this.nodeName);
      this.nodeUid = node.metadata.uid ?? '';
      this.lastConditions = node.status?.conditions;
      // The images the node reported are still on its disk: they are not pulled again.
      this.images.restore(node.status?.images);
      return { created: false, revision: Number(node.metadata.resourceVersion) };
    }
  }

  /**
   * The first start's registration write (the Node's create, or the status write to the Node it
   * found) was stored at `revision`: a revision no other write had, so the id space of the
   * containers this kubelet creates (ContainerIds). Later starts of this kubelet (stop, start)
   * go on numbering in it. Should the status write to a found Node fail, its revision as found
   * stands in: it differs from the earlier kubelet's unless that one never wrote to its Node.
   */
  private registered(revision: number): void {
    if (this.ids) return;
    this.ids = new ContainerIds(this.behaviour.seed, Number.isSafeInteger(revision) ? revision : 0);
  }

  /** What the conditions are computed from (the simulated node never runs short). */
  private conditionState(): ConditionState {
    return { ready: true, memoryPressure: false, diskPressure: false, pidPressure: false };
  }

  /**
   * What the node status is computed from, as one number (its conditions' inputs as bits, and the
   * images' version): compared at every status tick of every node, so no text is made of it.
   */
  private conditionKey(): number {
    const s = this.conditionState();
    return this.images.imagesVersion * 16 + (s.ready ? 1 : 0) + (s.memoryPressure ? 2 : 0) + (s.diskPressure ? 4 : 0) + (s.pidPressure ? 8 : 0);
  }

  /** The node status as setNodeStatus computes it; conditions keep their transition times. */
  private nodeStatus(now: number): NonNullable<Node['status']> {
    const resources = nodeResources(this.options.config);
    return {
      capacity: resources,
      allocatable: { ...resources },
      conditions: nodeConditions(this.conditionState(), this.lastConditions, now),
      addresses: [{ type: 'InternalIP', address: this.hostIP }, { type: 'Hostname', address: this.nodeName }],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: nodeInfo(this.bootID, this.machineID),
      images: this.images.nodeImages(),
    };
  }

  private reported(status: NonNullable<Node['status']>, now: number): void {
    this.lastConditions = status.conditions;
    this.lastReportedKey = this.conditionKey();
    this.lastReportAt = now;
  }

  /** Writes the node status if due (`force`: now); returns the revision of a forced write. */
  private async reportStatus(force: boolean): Promise<number | undefined> {
    if (!this.alive) return undefined;
    const now = this.clock.now();
    if (!force && this.conditionKey() === this.lastReportedKey && now - this.lastReportAt < NODE_STATUS_REPORT_MS) return undefined;
    const status = this.nodeStatus(now);
    try {
      // ...WithWarnings: the answer (the whole Node) is not read, so in process it is never parsed
      // (but once, for the revision of a forced write at start).
      const written = await this.client.resource<Node>(NODES).patchWithWarnings(this.nodeName, 'merge', { status }, { subresource: 'status' });
      this.reported(status, now);
      return force ? Number(written.object.metadata.resourceVersion) : undefined;
    } catch {
      // Retried on the next tick.
      return undefined;
    }
  }

  /**
   * The node lease controller's renew: an update of the Lease it holds; without one (start-up, or
   * after a conflict) it creates the Lease, and adopts the one there if it already exists. (The
   * real controller GETs first; creating first saves that read for the usual fresh node.)
   *
   * A Lease that is gone (the garbage collector deletes it with its Node) is made again only while
   * the Node is there: the real controller's new lease needs the Node's uid for its owner reference
   * (SetNodeOwnerFunc), and does not create one when that GET fails. So `kubectl delete node`
   * under a live kubelet leaves neither Node nor Lease, as in a real cluster.
   */
  private async renewLease(): Promise<void> {
    if (!this.alive) return;
    const leases = this.client.resource(LEASES);
    const renewTime = microTime(this.clock.now());
    if (this.lease) {
      const next = { ...this.lease, spec: { ...(this.lease.spec as object), renewTime } };
      try {
        this.lease = await leases.update(next, { namespace: NODE_LEASE_NAMESPACE });
        return;
      } catch (err) {
        if (isStatusError(err, 'NotFound')) this.leaseLost = true;
        else if (!isStatusError(err, 'Conflict')) return;
        this.lease = undefined;
      }
    }
    let ownerUid = this.nodeUid;
    if (this.leaseLost) {
      try {
        ownerUid = (await this.client.resource<Node>(NODES).get(this.nodeName)).metadata.uid ?? '';
      } catch {
        return; // retried on the next tick
      }
      this.leaseLost = false;
    }
    const spec = { holderIdentity: this.nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime };
    try {
      this.lease = await leases.create({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: this.nodeName,
          namespace: NODE_LEASE_NAMESPACE,
          ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid: ownerUid }],
        },
        spec,
      }, { namespace: NODE_LEASE_NAMESPACE });
      return;
    } catch (err) {
      if (!isStatusError(err, 'AlreadyExists')) return; // retried on the next tick
    }
    try {
      const existing = await leases.get(this.nodeName, { namespace: NODE_LEASE_NAMESPACE });
      this.lease = await leases.update({ ...existing, spec: { ...(existing.spec as object), ...spec } }, { namespace: NODE_LEASE_NAMESPACE });
    } catch {
      // Retried on the next tick.
    }
  }

  /**
   * ConfigMaps and Secrets the pods read, kept for a minute: the real kubelet watches what its pods
   * reference; a short cache of objects found is the same to a container and spares the API a GET
   * per pod for kube-root-ca.crt. Objects not found are never cached, so creating one helps at once.
   */
  private readonly configCache = new Map<string, { object: KubeObject; until: number }>();

  /**
   * Forgets the objects whose minute has passed: an expired one would only be read again, and every
   * node would otherwise keep its own copy of kube-root-ca.crt (~1.4 KB) for good.
   */
  private pruneConfigCache(): void {
    const now = this.clock.now();
    for (const [key, cached] of this.configCache) if (cached.until <= now) this.configCache.delete(key);
  }

  private async getOrUndefined(gvr: typeof CONFIGMAPS, namespace: string, name: string): Promise<KubeObject | undefined> {
    const key = `${gvr.resource}/${namespace}/${name}`;
    const cached = this.configCache.get(key);
    if (cached && cached.until > this.clock.now()) return cached.object;
    try {
      const object = await this.client.resource(gvr).get(name, { namespace });
      this.configCache.set(key, { object, until: this.clock.now() + CONFIG_CACHE_MS });
      return object;
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return undefined;
      throw err;
    }
  }
}
