/**
 * A pod's life on its node, as the kubelet's pod worker and SyncPod run it:
 *
 *   sandbox (PodReadyToStartContainers, pod IP) → init containers one by one (a sidecar, an init
 *   container with restartPolicy Always, only has to start) → the app containers in order, each
 *   pulled (or found present), created and started → restarts by restartPolicy with
 *   CrashLoopBackOff → probes → on deletion, stop every container within the grace period,
 *   write the final status and delete the pod with a uid precondition.
 *
 * Everything observable (events, status) goes through the host, so the same worker runs in the
 * kubelet and in unit tests. The worker never reads the API except for ConfigMaps and Secrets.
 */
import type { Container as ContainerSpec, ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from '../api/types';
import type { Clock, Timer } from '../clock';
import { podReference, rfc3339, type EventType, type ObjectReference } from '../client/event-recorder';
import type { BackOff } from './backoff';
import { goDuration, goSeconds, type Random, type KubeletBehaviour } from './behaviour';
import type { ContainerIds } from './runtime/container-ids';
import { resolveContainerConfig, expandReferences, type ConfigSource } from './container-config';
import { containerFaults, parseQuantityBytes, type ContainerFaults } from './faults';
import { imageID as imageIdOf, type ImageManager } from './images';
import { sameJson } from '../api/same-json';
import { sharedNamespace } from '../api/string-pool';
import { compactIP, ipText, type CompactIP } from './pod-ip';
import { handleOf, type ObjectHandle } from '../apiserver/registry/handle';
import type { Requested } from './admission';
import { podRequests } from '../scheduler/framework/resource';
import { conditionMemo, rememberedCondition } from './condition-memo';
import { jsonFingerprint } from './status-fingerprint';
import { containerStatus, isTerminalPhase, podPhase, qosClass, timedPodConditions, type ContainerView, type PodView } from './pod-status';
import { PROBE_LABEL, ProbeWorker, probeCopy, type ProbeKind, type ProbeSpec } from './probes';
import { catalogImage } from './runtime/catalog';
import { Container, type ContainerHooks, type ContainerSetup, type Termination } from './runtime/container';
import { ContainerRecord, internImageName, type Exited } from './container-record';
import { imageReference, invalidImageNameMessage } from './runtime/image-ref';
import { effectiveArgv, startProcess, type Process, type ProcessContext } from './runtime/interpreter';
import { ContainerLog, previousNotFound, waitingToStart } from './runtime/logs';
import { processEnv } from './runtime/env';
import { crashBackOffMs, replayedLog, resumedProcess, type AdoptedExit, type AdoptedPod, type ResumedProcess } from './adoption';

export interface PodWorkerHost {
  readonly clock: Clock;
  readonly random: Random;
  readonly behaviour: KubeletBehaviour;
  /** The numbers and ids of the containers this node's runtime creates. */
  readonly containerIds: ContainerIds;
  readonly nodeName: string;
  readonly hostIP: string;
  readonly images: ImageManager;
  readonly config: ConfigSource;
  readonly crashBackOff: BackOff;
  readonly pullBackOff: BackOff;
  /** A free IP of the node's pod CIDR, taken until released. */
  allocatePodIP(): CompactIP;
  /** The pod IP given back (its pod is done); one the host did not give (hostNetwork) is ignored. */
  releasePodIP(ip: CompactIP): void;
  /**
   * Records an event about the pod (`involved`: its reference as podReference makes it, handed
   * over to the recorder as eventOn takes it).
   */
  podEvent(involved: ObjectReference, type: EventType, reason: string, message: string): void;
  nodeEvent(type: EventType, reason: string, message: string): void;
  writeStatus(pod: Pod, status: PodStatus): void;
  /**
   * The pod of this namespace and name as the node's pod informer holds it now (decoded again if
   * it was dropped), undefined when it holds none or the host has no informer. The worker checks
   * uid and resourceVersion: it only takes the version it was last given.
   */
  cachedPod(namespace: string, name: string): Pod | undefined;
  /** Deletes the pod with gracePeriodSeconds 0 and a uid precondition (termination finished). */
  deletePod(pod: Pod): void;
}

/**
 * Where a pod's status waits to be written, and a fingerprint of the one last written: the
 * kubelet's status manager's state of one pod (see Kubelet.flushStatus). A worker is its pod's slot
 * (an entry per running pod otherwise).
 */
export interface StatusSlot {
  readonly namespace: string;
  readonly name: string;
  /** The status to write; undefined once written (only the fingerprint stays). */
  statusToWrite: PodStatus | undefined;
  /** jsonFingerprint of the status last written; undefined: none, or forgotten (a restarted kubelet). */
  writtenPrint: number | undefined;
  /** A write is under way: the next waits for it. */
  writing: boolean;
  writeWaiters: (() => void)[] | undefined;
}

/**
 * What a worker has only while it works on its pod or the pod is out of the ordinary: the version
 * held, a sandbox being made, an active deadline, a failure, other components' conditions, a status
 * on its way. A settled running pod has none of it (a worker per pod: see ContainerRecord).
 */
class WorkerExtra {
  held: Pod | undefined = undefined;
  sandboxTimer: Timer | undefined = undefined;
  failure: { reason: string; message: string } | undefined = undefined;
  deadlineTimer: Timer | undefined = undefined;
  foreign: Map<string, PodCondition> | undefined = undefined;
  statusToWrite: PodStatus | undefined = undefined;
  writeWaiters: (() => void)[] | undefined = undefined;

  get empty(): boolean {
    return !this.held && !this.sandboxTimer && !this.failure && !this.deadlineTimer && !this.foreign && !this.statusToWrite && !this.writeWaiters;
  }
}

/** The conditions the kubelet computes; any other belongs to another component. */
const KUBELET_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);

const terminated = (e: Exited): ContainerState => {
  const t: NonNullable<ContainerState['terminated']> = {
    exitCode: e.termination.exitCode,
    reason: e.termination.reason,
    startedAt: rfc3339(e.startedAt),
    finishedAt: rfc3339(e.termination.finishedAt),
    containerID: `containerd://${e.id}`,
  };
  if (e.termination.message) t.message = e.termination.message;
  return { terminated: t };
};

const W_SANDBOX_READY = 1;
const W_SANDBOX_REPORTED = 2;
const W_TERMINATING = 4;
const W_FINISHED = 8;
const W_INIT_FAILED = 16;
const W_SYNCING = 32;
const W_RESYNC = 64;
const W_ADOPTING = 128;
/**
 * The last publish computed its status from the current version of the pod, or from one that gives
 * it the same inputs (see update and publish).
 */
const W_PUBLISHED_POD = 256;
/** What sandboxReported, the pod's initialization and initFailed were at the last publish. */
const W_PUBLISHED_SANDBOX = 512;
const W_PUBLISHED_INITIALIZED = 1024;
const W_PUBLISHED_INIT_FAILED = 2048;
/** The pod IP went back to the host (releasePodIP). */
const W_IP_RELEASED = 4096;
/** The held version stays held until the next update (hold: a stopped kubelet). */
const W_PINNED = 8192;
/** StatusSlot.writing. */
const W_WRITING = 16384;
/** The PodScheduled condition of the last status computed had no reason and no message. */
const W_SCHEDULED_PLAIN = 32768;
/**
 * publishedPhase and publishedQoS, as their index in these lists (3 and 2 bits of `flags` from
 * these shifts): two strings a pod worker does not keep fields for (a worker per pod).
 */
const W_PHASE_SHIFT = 16;
const W_QOS_SHIFT = 19;
const PUBLISHED_PHASES: readonly (string | undefined)[] = [undefined, 'Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
const PUBLISHED_QOS: readonly (string | undefined)[] = [undefined, 'Guaranteed', 'Burstable', 'BestEffort'];
/** The index of `value` in `list`; 0 (undefined) for a value not in it. */
const codeOf = (list: readonly (string | undefined)[], value: string | undefined): number => (value === undefined ? 0 : Math.max(0, list.indexOf(value)));

export class PodWorker implements ContainerHooks, Requested, StatusSlot {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /**
   * What the pod requests (the kubelet's admission sums these over the pods it runs): kept as two
   * numbers, so admitting a pod reads no other pod's object.
   */
  readonly milliCPU: number;
  readonly memory: number;
  /** The resourceVersion of the newest version of the pod this worker was given (update). */
  private version: string | number | undefined;
  /**
   * That version, held strongly while the worker is at work on it (`settled` is false: a read of it
   * per step would otherwise decode it again each time once caches hold pods weakly) or the host may
   * not give it back: the pod is being deleted (termination must finish, with its uid
   * precondition, even once the informer no longer has it), the kubelet is stopped (W_PINNED: it must
   * not see versions it was not given), or the host has no cache of pods. A running, settled pod is
   * not held: the worker reads it from the host when it needs it, so that the pod's decoded object
   * can be dropped once no cache wants it.
   */
  private get held(): Pod | undefined { return this.extra?.held; }
  private set held(pod: Pod | undefined) { this.put('held', pod); }
  /**
   * The registry's handle (registry/handle.ts) of the version given, set when the worker lets go of
   * it: the host's cache may move on without the worker (a relist can put another pod, another uid,
   * at the same name), and the handle still gives that version, not whatever the cache has.
   */
  private handle: ObjectHandle | undefined;
  /** The records of the pod's containers: the one record itself when there is one (most pods: no array kept). */
  private readonly containerRecords: ContainerRecord | readonly ContainerRecord[];
  private get sandboxTimer(): Timer | undefined { return this.extra?.sandboxTimer; }
  private set sandboxTimer(t: Timer | undefined) { this.put('sandboxTimer', t); }
  private podIP: CompactIP | undefined;
  private readonly startTime: number;
  /** activeDeadlineSeconds ran out: the pod failed with this reason and stays (it is not deleted). */
  private get failure(): { reason: string; message: string } | undefined { return this.extra?.failure; }
  private set failure(f: { reason: string; message: string } | undefined) { this.put('failure', f); }
  private get deadlineTimer(): Timer | undefined { return this.extra?.deadlineTimer; }
  private set deadlineTimer(t: Timer | undefined) { this.put('deadlineTimer', t); }
  /**
   * The conditions last computed (and at first the pod's own), as a ConditionMemo: status and
   * transition time per type the kubelet computes.
   */
  private conditionStatuses = 0;
  private conditionTimes: readonly string[] | undefined;
  /** jsonFingerprint of the conditions last handed to the host (foreign ones included); -1: none, or not made (see publish). */
  private conditionsPrint = -1;
  /**
   * Conditions other components own (DisruptionTarget, readiness gates), newest seen per type. The
   * status goes out as a merge patch that replaces the list, so the kubelet carries them along;
   * remembering them across versions restores one that a concurrent kubelet write overwrote.
   */
  private get foreign(): Map<string, PodCondition> | undefined { return this.extra?.foreign; }
  private set foreign(m: Map<string, PodCondition> | undefined) { this.put('foreign', m); }
  /**
   * Phase, pod IP and QoS class of the last status handed to the host, while that status is still
   * described by the remembered conditions and every record's `shown`; phase undefined when it is not (none
   * yet, the terminal one, or the host must get the next one whatever it is: see publish). Kept as
   * the strings they are (no text made of them: it would be one more string per pod).
   */
  private get publishedPhase(): string | undefined { return PUBLISHED_PHASES[(this.flags >>> W_PHASE_SHIFT) & 7]; }
  /** A phase not in PUBLISHED_PHASES is kept as undefined: the next status goes to the host whatever it is. */
  private set publishedPhase(phase: string | undefined) { this.flags = (this.flags & ~(7 << W_PHASE_SHIFT)) | (codeOf(PUBLISHED_PHASES, phase) << W_PHASE_SHIFT); }
  private publishedIP: CompactIP | undefined;
  /** A QoS class not in PUBLISHED_QOS is kept as undefined, which no pod's class equals (see givesPublishedInputs and publish). */
  private get publishedQoS(): string | undefined { return PUBLISHED_QOS[(this.flags >>> W_QOS_SHIFT) & 3]; }
  private set publishedQoS(qos: string | undefined) { this.flags = (this.flags & ~(3 << W_QOS_SHIFT)) | (codeOf(PUBLISHED_QOS, qos) << W_QOS_SHIFT); }

  // StatusSlot: written by the kubelet, never read by the worker.
  get statusToWrite(): PodStatus | undefined { return this.extra?.statusToWrite; }
  set statusToWrite(status: PodStatus | undefined) { this.put('statusToWrite', status); }
  writtenPrint: number | undefined = undefined;
  get writeWaiters(): (() => void)[] | undefined { return this.extra?.writeWaiters; }
  set writeWaiters(waiters: (() => void)[] | undefined) { this.put('writeWaiters', waiters); }

  /** What the worker has only while something is under way or out of the ordinary (see WorkerExtra). */
  private extra: WorkerExtra | undefined = undefined;

  /** Sets `key` of `extra`; undefined is not made room for, and lets go of `extra` once it holds nothing. */
  private put<K extends keyof WorkerExtra>(key: K, value: WorkerExtra[K]): void {
    if (value !== undefined) { (this.extra ??= new WorkerExtra())[key] = value; return; }
    const extra = this.extra;
    if (!extra) return;
    extra[key] = value;
    if (extra.empty) this.extra = undefined;
  }
  get writing(): boolean { return this.has(W_WRITING); }
  set writing(on: boolean) { this.flag(W_WRITING, on); }

  /** The worker's booleans, as bits of one number (a worker per pod: see ContainerRecord). */
  private flags = 0;
  private get sandboxReady(): boolean { return (this.flags & W_SANDBOX_READY) !== 0; }
  private set sandboxReady(on: boolean) { this.flag(W_SANDBOX_READY, on); }
  /**
   * The status shows the sandbox (pod IP, PodReadyToStartContainers) from the first sync after it
   * was created. The kubelet's SyncPod writes the status it computed at its start, then creates the
   * sandbox and pulls, creates and starts the containers in one go; the next relist is what shows
   * sandbox and containers together. So a plain pod's status is written twice, as on a real node:
   * ContainerCreating without an IP, then Running with it.
   */
  private get sandboxReported(): boolean { return (this.flags & W_SANDBOX_REPORTED) !== 0; }
  private set sandboxReported(on: boolean) { this.flag(W_SANDBOX_REPORTED, on); }
  private get terminating(): boolean { return (this.flags & W_TERMINATING) !== 0; }
  private set terminating(on: boolean) { this.flag(W_TERMINATING, on); }
  private get finished(): boolean { return (this.flags & W_FINISHED) !== 0; }
  private set finished(on: boolean) { this.flag(W_FINISHED, on); }
  private get initFailed(): boolean { return (this.flags & W_INIT_FAILED) !== 0; }
  private set initFailed(on: boolean) { this.flag(W_INIT_FAILED, on); }
  private get syncing(): boolean { return (this.flags & W_SYNCING) !== 0; }
  private set syncing(on: boolean) { this.flag(W_SYNCING, on); }
  private get resync(): boolean { return (this.flags & W_RESYNC) !== 0; }
  private set resync(on: boolean) { this.flag(W_RESYNC, on); }
  /** adopt() is resolving what the containers run: nothing is published or synced until it is done. */
  private get adopting(): boolean { return (this.flags & W_ADOPTING) !== 0; }
  private set adopting(on: boolean) { this.flag(W_ADOPTING, on); }

  private has(bit: number): boolean {
    return (this.flags & bit) !== 0;
  }

  private flag(bit: number, on: boolean): void {
    this.flags = on ? this.flags | bit : this.flags & ~bit;
  }

  constructor(pod: Pod, private readonly host: PodWorkerHost) {
    this.namespace = sharedNamespace(pod.metadata.namespace ?? '');
    this.name = pod.metadata.name ?? '';
    this.uid = pod.metadata.uid ?? '';
    // Held until the pod settles (a new worker has everything ahead of it).
    this.version = compactVersion(pod.metadata.resourceVersion);
    this.held = pod;
    const requested = podRequests(pod);
    this.milliCPU = requested.milliCPU;
    this.memory = requested.memory;
    this.startTime = pod.status?.startTime ? Date.parse(pod.status.startTime) : host.clock.now();
    this.rememberConditions(pod.status?.conditions);
    // Made by one map (an array of its exact length: it is kept as long as the pod runs).
    const inits = pod.spec.initContainers ?? [];
    const specs = inits.length > 0 ? [...inits, ...pod.spec.containers] : pod.spec.containers;
    const records = specs.map((c, i) => new ContainerRecord(c.name, c.image ?? '', i, i >= inits.length ? 'main' : c.restartPolicy === 'Always' ? 'sidecar' : 'init'));
    this.containerRecords = records.length === 1 ? records[0]! : records;
  }

  /** The records, init containers first, in the spec's order. */
  private get records(): readonly ContainerRecord[] {
    const records = this.containerRecords;
    return records instanceof ContainerRecord ? [records] : records;
  }

  /** The latest version of the pod this worker has seen. */
  get current(): Pod {
    return this.pod;
  }

  /**
   * The version of the pod this worker was last given: the host's when it still holds that one,
   * else the one held here (see `held`).
   */
  private get pod(): Pod {
    if (this.held) return this.held;
    // The registry's handle of the version given (the informer's cache holds the same handle): that
    // version exactly, decoded again if it was collected, whatever the host's cache holds now.
    const cached = (this.handle?.object() as Pod | undefined) ?? this.host.cachedPod(this.namespace, this.name);
    if (cached !== undefined && cached.metadata.uid === this.uid && isVersion(cached.metadata.resourceVersion, this.version)) {
      // Work starts again (a container exited, a probe failed): held until it settles.
      if (!this.settled) this.held = cached;
      return cached;
    }
    // Not held, no handle (an object the registry did not share: tests' fakes) and not the host's:
    // only if a version reached the host's cache and not this worker, which `keep` and `hold` rule
    // out; the host's newer one is the best there is.
    return cached!;
  }

  /** `pod` is now the version to work on. */
  private keep(pod: Pod): void {
    this.version = compactVersion(pod.metadata.resourceVersion);
    this.flag(W_PINNED, false);
    // Most versions (the worker's own status writes coming back) find it settled: the version is
    // let go of at once, without being held first (no WorkerExtra made and dropped again).
    const handle = this.releasable(pod);
    if (handle !== false) {
      this.held = undefined;
      this.handle = handle;
      return;
    }
    this.held = pod;
    this.handle = undefined;
  }

  /** Lets go of the held version when nothing is under way and the host gives that version back. */
  private releaseIfSettled(): void {
    const held = this.held;
    if (!held || this.has(W_PINNED)) return;
    const handle = this.releasable(held);
    if (handle === false) return;
    this.handle = handle;
    this.held = undefined;
  }

  /**
   * Whether `pod`, the version given last, need not be held (nothing under way, not being deleted,
   * and the host gives that version back): then the handle to read it by (undefined: none shared).
   */
  private releasable(pod: Pod): ObjectHandle | undefined | false {
    if (pod.metadata.deletionTimestamp || !this.settled) return false;
    const cached = this.host.cachedPod(this.namespace, this.name);
    if (cached === undefined || cached.metadata.uid !== this.uid || !isVersion(cached.metadata.resourceVersion, this.version)) return false;
    return handleOf(pod) ?? handleOf(cached);
  }

  /**
   * Nothing under way: no sync, no sandbox or container being started, no retry or back-off
   * pending, every container that runs seen by a relist, not terminating.
   */
  private get settled(): boolean {
    if (this.syncing || this.adopting || this.terminating || this.finished || this.sandboxTimer) return false;
    for (const r of this.records) if (r.busy || r.noticing || r.retry || (r.current && !r.seen)) return false;
    return true;
  }

  /**
   * The host stops passing versions on (a stopped kubelet): the worker holds the one it has, as
   * the host's cache moves on without it. The next update releases it again.
   */
  hold(): void {
    this.held ??= this.pod;
    this.flag(W_PINNED, true);
  }

  /**
   * The spec of a container, read from `pod` (the current version): by position, and by name should
   * that not match.
   */
  private specOf(r: ContainerRecord, pod: Pod = this.pod): ContainerSpec {
    const inits = pod.spec.initContainers;
    const n = inits?.length ?? 0;
    const at = r.index < n ? inits![r.index] : pod.spec.containers[r.index - n];
    if (at?.name === r.name) return at;
    return [...(inits ?? []), ...pod.spec.containers].find((c) => c.name === r.name) ?? { name: r.name, image: r.specImage };
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Memory the containers use now (the node's memory pressure, the UI). */
  get memoryBytes(): number {
    return this.records.reduce((sum, r) => sum + (r.current?.memoryBytes ?? 0), 0);
  }

  /** A newer version of the pod arrived (deletion, annotations). */
  update(pod: Pod): void {
    if (pod.metadata.uid !== this.uid) return;
    if (this.finished && !this.failure && pod.metadata.deletionTimestamp) {
      // Stopped, and its deletion under way: the delete's own mark (a grace period of 0, written
      // before the pod goes) and any later version change nothing here.
      this.keep(pod);
      return;
    }
    // Most versions are the kubelet's own status writes coming back: the status computed from them
    // is the one computed last, and the next publish need not compute it again to find that out.
    const sameInputs = this.has(W_PUBLISHED_POD) && this.givesPublishedInputs(pod);
    this.keep(pod);
    if (!sameInputs) this.flag(W_PUBLISHED_POD, false);
    if (this.finished && this.failure && pod.metadata.deletionTimestamp) {
      // A pod that failed in place and is now deleted: nothing runs any more, it can go at once.
      this.failure = undefined;
      this.host.deletePod(pod);
      return;
    }
    const apiPhase = pod.status?.phase;
    if (isTerminalPhase(apiPhase) && !this.terminating && !this.finished) {
      // Another writer made the pod terminal (the pod GC marks an orphan Failed, an administrator
      // patches the status): a terminal phase never goes back (generateAPIPodStatus keeps the API's),
      // so the kubelet stops the containers and keeps that phase, and does not delete the pod.
      this.failure = { reason: pod.status?.reason ?? '', message: pod.status?.message ?? '' };
      this.terminate();
    }
    let foreignChanged = false;
    for (const c of pod.status?.conditions ?? []) {
      if (KUBELET_CONDITIONS.has(c.type)) continue;
      const known = this.foreign?.get(c.type);
      // Both come from the API (parsed JSON), so sameJson answers as comparing their texts would.
      if (!known || !sameJson(known, c)) { (this.foreign ??= new Map()).set(c.type, c); foreignChanged = true; }
    }
    const missing = !!this.foreign && [...this.foreign.keys()].some((type) => !pod.status?.conditions?.some((c) => c.type === type));
    this.adoptWrittenStatuses(pod);
    if (foreignChanged || missing) this.flag(W_PUBLISHED_POD, false);
    if ((foreignChanged || missing) && !this.finished) this.publish();
    // The kubelet syncs a pod again when its spec or its deletion changes; a change of status alone
    // (its own writes coming back, most of all) is only reconciled (pod config's RECONCILE). A sync
    // on every echo moved the pod on early: ErrImagePull became ImagePullBackOff within one write.
    const respecced = !pod.metadata.deletionTimestamp && this.applySpecChanges(pod);
    if (pod.metadata.deletionTimestamp || respecced) this.requestSync();
  }

  /**
   * Whether `pod` gives publish what the version it last computed from gave, as far as a version
   * can differ there: publish reads of the pod its QoS class and its PodScheduled condition (and
   * conditions of other components: update compares those); the rest it reads (restart policy,
   * readiness gates, volume mounts) is immutable, and a new image changes the containers' views.
   * A PodScheduled with the status remembered and no reason or message, after one without either,
   * comes out of publish the same (its remembered transition time is kept).
   */
  private givesPublishedInputs(pod: Pod): boolean {
    const status = pod.status;
    if (!status || status.qosClass === undefined || status.qosClass !== this.publishedQoS || !this.has(W_SCHEDULED_PLAIN)) return false;
    // The first of its type, as podConditions takes it.
    const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled');
    if (!scheduled || scheduled.reason || scheduled.message) return false;
    const remembered = rememberedCondition({ statuses: this.conditionStatuses, times: this.conditionTimes }, 'PodScheduled');
    return !!remembered?.lastTransitionTime && remembered.status === scheduled.status;
  }

  private rememberConditions(conditions: readonly PodCondition[] | undefined): void {
    const memo = conditionMemo(conditions);
    this.conditionStatuses = memo.statuses;
    this.conditionTimes = memo.times;
  }

  /**
   * The containers' last views (ContainerRecord.shown): once the status written comes back with a
   * container's status as its view described it, the record keeps only the view's print, and the
   * pod's status of the container stands for the view (see ContainerRecord.shownView). Also the pod
   * IP: the pod's string in place of ours.
   */
  private adoptWrittenStatuses(pod: Pod): void {
    const status = pod.status;
    if (!status) return;
    // Equal strings: the pod's one is kept, ours goes (an IP kept as a number has no string).
    if (typeof this.podIP === 'string' && status.podIP === this.podIP) {
      if (this.publishedIP === this.podIP) this.publishedIP = status.podIP;
      this.podIP = status.podIP;
    }
    for (const r of this.records) {
      // A record that keeps only the print of its view has nothing to adopt (checked first: no search).
      const v = r.madeView;
      if (!v) continue;
      const name = r.name;
      const written = (r.kind === 'main' ? status.containerStatuses : status.initContainerStatuses)?.find((c) => c.name === name);
      if (!written) continue;
      if (written.ready !== v.ready || written.started !== v.started || written.restartCount !== v.restartCount || written.image !== v.image
        || written.imageID !== v.imageID || written.containerID !== v.containerID) continue;
      if (!sameJson(v.state, written.state) || !sameJson(v.lastState, written.lastState)) continue;
      if (v.volumeMounts ? !sameJson(v.volumeMounts, written.volumeMounts) : written.volumeMounts !== undefined) continue;
      r.showWritten(v);
    }
  }

  /**
   * A container's image is the one field of a pod's spec that can change (`kubectl set image`):
   * the kubelet stops the container ("definition changed") and starts it again with the new image,
   * whatever the restart policy and without back-off.
   */
  private applySpecChanges(pod: Pod): boolean {
    const inits = pod.spec.initContainers ?? [];
    let changed = false;
    for (let i = 0; i < this.records.length; i++) {
      const r = this.records[i]!;
      // The records follow the spec's order (init containers first), which an update cannot change;
      // by name all the same, should it differ.
      const at = i < inits.length ? inits[i] : pod.spec.containers[i - inits.length];
      const spec = at?.name === r.name ? at : [...inits, ...pod.spec.containers].find((c) => c.name === r.name);
      if (!spec) continue;
      if ((spec.image ?? '') === r.specImage) continue;
      changed = true;
      r.specImage = spec.image ?? '';
      r.specChanged = true;
      r.pullFailure = undefined;
      r.waiting = undefined;
      r.retry?.cancel();
      r.retry = undefined;
      if (r.current?.running) {
        this.event('Normal', 'Killing', `Container ${spec.name} definition changed, will be restarted`, r);
        r.killedToRestart = true;
        this.stopProbes(r);
        r.current.stop((pod.spec.terminationGracePeriodSeconds ?? 30) * 1000, this.host.random.duration(this.host.behaviour.sigtermExit));
      }
    }
    return changed;
  }

  start(): void {
    const deadline = this.pod.spec.activeDeadlineSeconds as number | undefined;
    if (typeof deadline === 'number' && deadline > 0) {
      const at = this.startTime + deadline * 1000;
      this.deadlineTimer = this.host.clock.setTimer(Math.max(0, at - this.host.clock.now()), () => this.exceedDeadline());
    }
    this.publish();
    this.requestSync();
  }

  /**
   * A starting kubelet found this pod's containers in the runtime (adoption.ts): the worker goes on
   * from the status the previous kubelet wrote instead of starting the pod again, then runs as
   * `start()` does (a deletion under way finishes, a container not started yet is started).
   */
  async adopt(found: AdoptedPod): Promise<void> {
    this.adopting = true;
    let processes;
    try {
      // Running ones resume; ended ones give their logs back by a replay (replayedLog).
      const pod = this.pod;
      processes = await Promise.all(this.records.map((r) => {
        const c = found.containers.get(r.name);
        return c?.running || c?.last ? resumedProcess(pod, this.specOf(r, pod), this.host.config) : undefined;
      }));
    } finally {
      this.adopting = false;
    }
    if (this.finished) return;
    if (found.podIP) {
      this.sandboxReady = true;
      this.sandboxReported = true;
      this.podIP = compactIP(found.podIP);
    }
    const hostname = this.name;
    const pod = this.pod;
    const exited = (e: AdoptedExit, r: ContainerRecord, process: ResumedProcess | undefined): Exited =>
      ({ ...e, image: r.image, imageID: r.imageID, log: process ? replayedLog(process, hostname, e.startedAt, e.termination.finishedAt) : ended(new ContainerLog()) });
    this.records.forEach((r, i) => {
      const c = found.containers.get(r.name);
      if (!c) return;
      r.restartCount = c.restartCount;
      if (c.image) r.image = c.image;
      r.imageID = c.imageID;
      if (c.last) r.last = exited(c.last, r, processes[i]);
      if (c.prior) r.prior = exited(c.prior, r, processes[i]);
      if (c.waiting) r.waiting = c.waiting;
      const backOff = crashBackOffMs(this.host.behaviour.crashLoopBackOff, c.restartCount);
      const restartedAt = c.running?.startedAt ?? c.last?.startedAt;
      if (backOff !== undefined && restartedAt) this.host.crashBackOff.restore(`${this.uid}/${r.name}`, backOff, restartedAt);
      const process = processes[i];
      if (!c.running || !process) return;
      const faults = containerFaults(pod, r.name);
      const setup: ContainerSetup = { image: process.image, env: process.env, files: process.files, hostname: this.name };
      const container = this.newContainer(r, this.specOf(r, pod), c.running.id, setup, faults, c.running.startedAt);
      r.current = container;
      r.seen = true;
      container.start(startProcessOrIdle(process.argv, container));
      if (container.running) this.startProbes(r, container, faults.probes ?? {}, c.running);
    });
    this.start();
  }

  /** The kubelet's active deadline handler: kill everything, the pod fails with DeadlineExceeded. */
  private exceedDeadline(): void {
    if (this.terminating || this.finished || this.pod.metadata.deletionTimestamp) return;
    const message = 'Pod was active on the node longer than the specified deadline';
    this.failure = { reason: 'DeadlineExceeded', message };
    this.event('Warning', 'DeadlineExceeded', message);
    this.terminate();
  }

  /** Writes the status again (a restarted kubelet, or a status another writer changed). */
  republish(): void {
    // The host forgot what it wrote (a restarted kubelet): the next status goes out even if unchanged.
    this.publishedPhase = undefined;
    this.publish();
    this.requestSync();
  }

  /**
   * Gives the pod's IP back, once (termination and then the pod's removal both come here: a second
   * release could free the IP of the pod that got it since). The worker keeps showing it.
   */
  private releasePodIP(): void {
    // A hostNetwork pod has the node's IP: nothing to give back.
    if (this.podIP === undefined || this.has(W_IP_RELEASED)) return;
    if (ipText(this.podIP) === this.host.hostIP) return;
    this.flag(W_IP_RELEASED, true);
    this.host.releasePodIP(this.podIP);
  }

  /** The pod is gone from the API (force-deleted): stop everything at once. `pod`: its last version. */
  abandon(pod?: Pod): void {
    // The host's cache no longer has it; `current` still answers with what it was.
    if (pod?.metadata.uid === this.uid) {
      this.held = pod;
      this.version = compactVersion(pod.metadata.resourceVersion);
    } else {
      this.held ??= this.pod;
    }
    this.finished = true;
    this.publishedPhase = undefined;
    this.terminating = true;
    this.sandboxTimer?.cancel();
    this.deadlineTimer?.cancel();
    for (const r of this.records) {
      r.retry?.cancel();
      this.stopProbes(r);
      r.current?.kill();
    }
    this.releasePodIP();
  }

  /** The container of this name while it runs (what `kubectl exec` may run a command in). */
  runningContainer(name: string): Container | undefined {
    const current = this.records.find((r) => r.name === name)?.current;
    return current?.running ? current : undefined;
  }

  /** The log of `container` for the pods/log subresource. */
  log(container: string, previous: boolean): ContainerLog {
    const record = this.records.find((r) => r.name === container);
    const podName = this.name;
    if (!record) throw waitingToStart(container, podName, 'ContainerCreating');
    if (previous) {
      const exited = record.current ? record.last : record.prior ?? (record.waiting ? record.last : undefined);
      if (!exited) throw previousNotFound(container, podName);
      return exited.log;
    }
    if (record.current) return record.current.log;
    if (record.last && !record.waiting) return record.last.log;
    if (record.last) return record.last.log;
    throw waitingToStart(container, podName, record.waiting?.reason ?? this.defaultWaitingReason());
  }

  private requestSync(): void {
    if (this.finished || this.adopting) return;
    if (this.syncing) {
      this.resync = true;
      return;
    }
    this.syncing = true;
    void (async () => {
      try {
        do {
          this.resync = false;
          await this.sync();
        } while (this.resync && !this.finished);
      } finally {
        this.syncing = false;
      }
      this.releaseIfSettled();
    })();
  }

  private initialized(): boolean {
    return this.records.every((r) => r.kind === 'main' || (r.kind === 'init' ? this.succeeded(r) : this.started(r)));
  }

  private succeeded(r: ContainerRecord): boolean {
    return !r.current && !!r.last && r.last.termination.exitCode === 0 && r.kind === 'init';
  }

  private started(r: ContainerRecord): boolean {
    if (!r.current?.running || !r.seen) return false;
    const startup = r.probes?.startup;
    return startup ? startup.success === true : true;
  }

  private ready(r: ContainerRecord): boolean {
    if (!this.started(r)) return false;
    const readiness = r.probes?.readiness;
    return readiness ? readiness.success === true : true;
  }

  private async sync(): Promise<void> {
    const pod = this.pod;
    if (pod.metadata.deletionTimestamp) return this.terminate();
    if (this.terminating || this.initFailed) return;
    if (isTerminalPhase(pod.status?.phase)) return;
    if (!this.sandboxReady) {
      if (!this.sandboxTimer) {
        this.sandboxTimer = this.host.clock.setTimer(this.host.random.duration(this.host.behaviour.sandboxStart), () => {
          this.sandboxTimer = undefined;
          if (this.finished || this.terminating) return;
          this.sandboxReady = true;
          this.podIP = this.pod.spec.hostNetwork ? compactIP(this.host.hostIP) : this.host.allocatePodIP();
          this.requestSync();
        });
      }
      return;
    }
    const policy = pod.spec.restartPolicy ?? 'Always';
    for (const r of this.records) {
      if (r.kind === 'main') break;
      if (r.busy || r.noticing) return;
      if (r.kind === 'init') {
        if (this.succeeded(r)) continue;
        if (r.current) return;
        if (r.last && policy === 'Never') {
          this.initFailed = true;
          this.publish();
          return;
        }
        await this.startContainer(r);
        return;
      }
      if (!r.current) await this.startContainer(r);
      if (!this.started(r) || this.terminating) return;
    }
    for (const r of this.records) {
      if (r.kind !== 'main' || r.busy || r.noticing || r.current) continue;
      if (r.last) {
        const restart = r.specChanged || policy === 'Always' || (policy === 'OnFailure' && r.last.termination.exitCode !== 0);
        if (!restart) continue;
      }
      await this.startContainer(r);
      if (this.pod.metadata.deletionTimestamp || this.terminating) return;
    }
    this.publish(false, true);
  }

  private retryLater(r: ContainerRecord, atMs: number): void {
    r.retry?.cancel();
    r.retry = this.host.clock.setTimer(Math.max(0, atMs - this.host.clock.now()), () => {
      r.retry = undefined;
      this.requestSync();
    });
  }

  /**
   * An event about the version of the pod this worker was given, referenced by what the worker
   * keeps of it (uid, namespace, name, that version), not read from the pod: an event per step of
   * a pod start, and the pod's object is cold memory by then (or gone, to be decoded again).
   */
  private event(type: EventType, reason: string, message: string, r?: ContainerRecord): void {
    const version = this.version;
    this.host.podEvent(podReference(this.namespace, this.name, this.uid, typeof version === 'number' ? String(version) : version, r?.fieldPath), type, reason, message);
  }

  private podRef(): string {
    return `${this.name}_${this.namespace}(${this.uid})`;
  }

  /**
   * Pull (or find) the image, create and start one container; honours both back-offs. Undefined
   * when it backs off (nothing to wait for); else pullAndRun's own promise, not wrapped in one more.
   */
  private startContainer(r: ContainerRecord): Promise<void> | undefined {
    const host = this.host;
    const name = r.name;
    if (r.last && r.specChanged) {
      r.specChanged = false;
    } else if (r.last) {
      const key = `${this.uid}/${name}`;
      const wait = host.crashBackOff.inBackOffSince(key, r.last.termination.finishedAt);
      if (wait !== undefined) {
        const wasBackingOff = r.waiting?.reason === 'CrashLoopBackOff';
        r.waiting = { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(wait)} restarting failed container=${name} pod=${this.podRef()}` };
        if (!wasBackingOff) this.event('Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${this.podRef()}`, r);
        this.publish();
        this.retryLater(r, host.crashBackOff.readyAt(key, r.last.termination.finishedAt));
        return undefined;
      }
      host.crashBackOff.next(key, r.last.termination.finishedAt);
    }
    return this.pullAndRun(r);
  }

  /** `r` is busy (see settled) from the start of the pull until the container started or failed to. */
  private async pullAndRun(r: ContainerRecord): Promise<void> {
    r.busy = true;
    try {
      const host = this.host;
      const name = r.name;
      const image = r.specImage;
      let pod = this.pod;
      let spec = this.specOf(r, pod);
      const faults = containerFaults(pod, name);
      const ref = imageReference(image);
      if (!ref) {
        const message = invalidImageNameMessage(image);
        r.waiting = { reason: 'InvalidImageName', message };
        this.event('Warning', 'InspectFailed', message, r);
        this.event('Warning', 'Failed', 'Error: InvalidImageName', r);
        this.publish();
        return;
      }
      const policy = spec.imagePullPolicy ?? (ref.tag === 'latest' && !ref.digest ? 'Always' : 'IfNotPresent');
      const present = host.images.has(ref);
      let imageID: string;
      const catalog = catalogImage(ref.repository);
      if (policy === 'Never' && !present) {
        const message = `Container image "${image}" is not present with pull policy of Never`;
        r.waiting = { reason: 'ErrImageNeverPull', message };
        this.event('Warning', 'ErrImageNeverPull', message, r);
        this.publish();
        return;
      }
      if (present && policy !== 'Always' && !faults.pullError) {
        this.event('Normal', 'Pulled', `Container image "${image}" already present on machine`, r);
        imageID = imageIdOf(ref);
      } else {
        const pullKey = `${this.uid}/${image}`;
        if (r.pullFailure !== undefined) {
          const wait = host.pullBackOff.inBackOffSince(pullKey, r.pullFailure.at);
          if (wait !== undefined) {
            const first = r.waiting?.reason !== 'ImagePullBackOff';
            r.waiting = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}": ErrImagePull: ${r.pullFailure.message}` };
            if (first) {
              this.event('Normal', 'BackOff', `Back-off pulling image "${image}"`, r);
              this.event('Warning', 'Failed', 'Error: ImagePullBackOff', r);
            }
            this.publish();
            this.retryLater(r, host.pullBackOff.readyAt(pullKey, r.pullFailure.at));
            return;
          }
        }
        this.event('Normal', 'Pulling', `Pulling image "${image}"`, r);
        const outcome = await host.images.pull(ref, { ...(faults.pullDelayMs ? { extraDelayMs: faults.pullDelayMs } : {}), ...(faults.pullError ? { failWith: faults.pullError } : {}) });
        if (this.terminating || this.finished) return;
        if (!outcome.ok) {
          host.pullBackOff.next(pullKey);
          r.pullFailure = { at: host.clock.now(), message: outcome.message };
          r.waiting = { reason: 'ErrImagePull', message: outcome.message };
          this.event('Warning', 'Failed', `Failed to pull image "${image}": ${outcome.message}`, r);
          this.event('Warning', 'Failed', 'Error: ErrImagePull', r);
          this.publish();
          this.retryLater(r, host.clock.now() + host.random.duration(host.behaviour.relist));
          return;
        }
        host.pullBackOff.forget(pullKey);
        r.pullFailure = undefined;
        this.event('Normal', 'Pulled', `Successfully pulled image "${image}" in ${goSeconds(outcome.pullMs)} (${goSeconds(outcome.totalMs)} including waiting). Image size: ${outcome.sizeBytes} bytes.`, r);
        imageID = outcome.imageID;
        if (!catalog) return;
        // The version of the pod now (the pull took a while), as its config is read from it. (An
        // image found present was not waited for: the version read above is still the one.)
        pod = this.pod;
        spec = this.specOf(r, pod);
      }
      if (!catalog) return;
      r.image = internImageName(ref.fullName.replace(/@sha256:.*$/, ''));
      r.imageID = imageID;

      const config = await resolveContainerConfig(pod, spec, catalog.env ?? {}, host.config, this.name);
      if (this.terminating || this.finished) return;
      if (!config.ok) {
        if (config.kind === 'env') {
          r.waiting = { reason: 'CreateContainerConfigError', message: config.message };
          this.event('Warning', 'Failed', `Error: ${config.message}`, r);
        } else {
          r.waiting = { reason: this.defaultWaitingReason() };
          this.event('Warning', 'FailedMount', config.message);
        }
        this.publish();
        this.retryLater(r, host.clock.now() + host.random.duration(host.behaviour.configRetry));
        return;
      }
      let vars: Record<string, string> | undefined;
      const expand = (list?: string[]) => list?.map((s) => expandReferences(s, vars ??= processEnv(config.env, this.name)));
      const argv = effectiveArgv(catalog, expand(spec.command), expand(spec.args));
      const id = host.containerIds.next();
      const setup: ContainerSetup = { image: catalog, env: config.env, files: config.files, hostname: this.name };
      this.event('Normal', 'Created', `Created container: ${name}`, r);
      await host.clock.sleep(host.random.duration(host.behaviour.containerStart));
      if (this.terminating || this.finished) return;
      // The container is its process's context: made first, kept only if the process starts.
      const container = this.newContainer(r, spec, id, setup, faults);
      const started = startProcess(argv, container);
      const restarted = !!r.last;
      if ('error' in started) {
        const now = host.clock.now();
        this.event('Warning', 'Failed', `Error: ${started.error}`, r);
        r.uncounted = restarted;
        this.recordExit(r, { termination: { exitCode: 128, reason: 'StartError', finishedAt: now, message: started.error }, id: host.containerIds.text(id), startedAt: 0, image: r.image, imageID: r.imageID, log: new ContainerLog() });
        return;
      }
      r.uncounted = restarted;
      r.seen = false;
      r.current = container;
      this.event('Normal', 'Started', `Started container ${name}`, r);
      container.start(started.process);
      if (container.running) {
        host.clock.setTimer(host.random.duration(host.behaviour.relist), () => {
          if (r.current !== container || !container.running || this.finished) return;
          r.seen = true;
          r.restarting = false;
          r.waiting = undefined;
          // The prober skips a container until the kubelet's own status says it is running
          // (prober/worker.go doProbe); initialDelaySeconds still counts from its start.
          this.startProbes(r, container, faults.probes ?? {});
          if (r.uncounted) { r.restartCount++; r.uncounted = false; }
          this.publish();
          this.requestSync();
        });
      }
      this.publish(false, true);
    } finally {
      r.busy = false;
    }
  }

  /**
   * The runtime's container for `r`, its exit reported to this worker; `resumeFrom`: see adopt().
   * The worker itself is the hooks of a container that needs nothing of its own (no memory limit,
   * no fault, not resumed): most of them, and each would otherwise hold an object and two closures.
   */
  private newContainer(r: ContainerRecord, spec: ContainerSpec, id: string | number, setup: ContainerSetup, faults: ContainerFaults, resumeFrom?: number): Container {
    const limit = parseQuantityBytes(spec.resources?.limits?.memory);
    const own = limit !== undefined || faults.exit || faults.memoryBytes !== undefined || resumeFrom !== undefined;
    const hooks: ContainerHooks = !own ? this : {
      ...(limit !== undefined ? { memoryLimit: limit } : {}),
      oomKillDelay: () => this.oomKillDelay(),
      ...(faults.exit ? { forcedExit: faults.exit } : {}),
      ...(faults.memoryBytes !== undefined ? { forcedMemory: faults.memoryBytes } : {}),
      ...(resumeFrom !== undefined ? { resumeFrom } : {}),
      onExit: (termination, container) => this.onExit(termination, container),
    };
    return new Container(id, r.name, this.host.clock, setup, hooks);
  }

  /** The 64-hex id of a container, running or ended (see ContainerIds). */
  idOf(container: Container | Exited): string {
    if (!(container instanceof Container)) return container.id;
    const seed = container.idSeed;
    return typeof seed === 'string' ? seed : this.host.containerIds.text(seed);
  }

  /** ContainerHooks: how long an OOM kill takes once a container of this pod is over its limit. */
  oomKillDelay(): number {
    return this.host.random.duration(this.host.behaviour.oomKill);
  }

  /** ContainerHooks: a container of this pod ended (its record is the one of its name). */
  onExit(termination: Termination, container: Container): void {
    const r = this.records.find((record) => record.name === container.name);
    if (!r) return;
    if (termination.reason === 'OOMKilled') {
      const spec = this.specOf(r);
      const program = effectiveArgv(container.context.image, spec.command, spec.args)[0] ?? r.name;
      this.host.nodeEvent('Warning', 'SystemOOM', `System OOM encountered, victim process: ${program.slice(program.lastIndexOf('/') + 1)}, pid: ${1000 + Math.floor(this.host.random.next() * 60000)}`);
    }
    const exited: Exited = { termination, id: this.idOf(container), startedAt: container.startedAt, image: r.image, imageID: r.imageID, log: container.log };
    this.stopProbes(r);
    if (this.terminating) {
      r.current = undefined;
      r.prior = r.last;
      r.last = exited;
      this.checkTerminated();
      return;
    }
    if (r.killedToRestart) {
      // The kubelet stopped it itself and starts it again in the same sync (or backs off).
      r.killedToRestart = false;
      this.recordExit(r, exited, true);
      return;
    }
    // The kubelet notices on its next relist.
    r.noticing = true;
    r.current ??= container;
    this.host.clock.setTimer(this.host.random.duration(this.host.behaviour.relist), () => {
      r.noticing = false;
      if (this.finished) return;
      this.recordExit(r, exited);
    });
  }

  private recordExit(r: ContainerRecord, exited: Exited, restarting = false): void {
    r.restarting = restarting;
    r.current = undefined;
    r.seen = false;
    r.prior = r.last;
    r.last = exited;
    if (r.uncounted) { r.restartCount++; r.uncounted = false; }
    r.waiting = undefined;
    this.publish();
    this.requestSync();
  }

  /** `adopted`: what the previous kubelet reported of the container, the probes' state to go on from. */
  private startProbes(r: ContainerRecord, container: Container, faults: Partial<Record<ProbeKind, number>>, adopted?: { ready: boolean; started: boolean }): void {
    if (r.kind === 'init') return;
    const kinds: ProbeKind[] = ['startup', 'liveness', 'readiness'];
    const spec = this.specOf(r);
    // Copies (ports resolved): the probes and `launch` live as long as the container runs, and keep
    // nothing of the pod.
    const specs: Record<ProbeKind, ProbeSpec | undefined> = {
      startup: probeCopy(spec.startupProbe as ProbeSpec | undefined, spec),
      liveness: probeCopy(spec.livenessProbe as ProbeSpec | undefined, spec),
      readiness: probeCopy(spec.readinessProbe as ProbeSpec | undefined, spec),
    };
    const readyBefore = adopted?.ready;
    const launch = (kind: ProbeKind) => {
      const probe = specs[kind];
      if (!probe || r.probes?.[kind]) return;
      const worker = new ProbeWorker(kind, probe, container, this.podIP === undefined ? '' : ipText(this.podIP), this.host.clock, faults[kind], {
        onFailure: (output) => this.event('Warning', 'Unhealthy', `${PROBE_LABEL[kind]} probe failed: ${output}`, r),
        onChange: (success) => {
          if (kind === 'startup' && success) { launch('liveness'); launch('readiness'); this.publish(); this.requestSync(); return; }
          if ((kind === 'liveness' || kind === 'startup') && !success) return this.restartUnhealthy(r, container, kind, probe);
          this.publish();
        },
      });
      (r.probes ??= {})[kind] = worker;
      if (readyBefore !== undefined && kind === 'readiness') worker.assume(readyBefore);
      worker.start();
    };
    if (specs.startup && !adopted?.started) launch('startup');
    else for (const kind of kinds) launch(kind);
  }

  private stopProbes(r: ContainerRecord): void {
    if (!r.probes) return;
    for (const p of Object.values(r.probes)) p?.stop();
    r.probes = undefined;
  }

  private restartUnhealthy(r: ContainerRecord, container: Container, kind: ProbeKind, probe: ProbeSpec): void {
    if (r.current !== container || !container.running) return;
    this.event('Normal', 'Killing', `Container ${r.name} failed ${kind} probe, will be restarted`, r);
    r.killedToRestart = true;
    this.stopProbes(r);
    const grace = probe.terminationGracePeriodSeconds ?? this.pod.spec.terminationGracePeriodSeconds ?? 30;
    container.stop(grace * 1000, this.host.random.duration(this.host.behaviour.sigtermExit));
    this.publish();
  }

  private terminate(): void {
    if (this.terminating) return this.checkTerminated();
    this.terminating = true;
    this.sandboxTimer?.cancel();
    this.deadlineTimer?.cancel();
    const pod = this.pod;
    const grace = (pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    for (const r of this.records) {
      r.retry?.cancel();
      this.stopProbes(r);
      if (r.current?.running) {
        this.event('Normal', 'Killing', `Stopping container ${r.name}`, r);
        r.current.stop(grace, this.host.random.duration(this.host.behaviour.sigtermExit));
      } else if (r.noticing && r.current) {
        r.prior = r.last;
        r.last = { termination: r.current.termination!, id: this.idOf(r.current), startedAt: r.current.startedAt, image: r.image, imageID: r.imageID, log: r.current.log };
        r.current = undefined;
        r.noticing = false;
      }
    }
    this.checkTerminated();
  }

  private checkTerminated(): void {
    if (this.finished || this.records.some((r) => r.current?.running)) return;
    this.finished = true;
    this.publish(true);
    this.releasePodIP();
    this.host.crashBackOff.forgetPrefix(`${this.uid}/`);
    const pod = this.pod;
    if (!this.failure || pod.metadata.deletionTimestamp) this.host.deletePod(pod);
  }

  /**
   * The reason of a container that has not run yet: PodInitializing in every container of a pod
   * with init containers (even once they are done), ContainerCreating otherwise, as the kubelet's
   * convertToAPIContainerStatuses defaults them. kubectl reads the first as Init:N/M on an init
   * container and as PodInitializing on an app container.
   */
  private defaultWaitingReason(): string {
    return this.records.length > 0 && this.records[0]!.kind !== 'main' ? 'PodInitializing' : 'ContainerCreating';
  }

  /** `changed`: some container's view differs from its `shown` before (always, for a terminal view). */
  private view(pod: Pod, terminal: boolean): PodView & { changed: boolean } {
    const initialized = this.initialized();
    let changed = terminal;
    const containers: ContainerView[] = this.records.map((r) => {
      // Until its next relist the kubelet has not seen the exit; while it kills and restarts a
      // container it writes no status either: both times the status repeats what it last said.
      if (!terminal && (r.noticing || (r.restarting && !r.waiting))) {
        const shown = r.shownView(writtenStatusOf(pod, r));
        if (shown) return shown;
      }
      let state: ContainerState;
      let lastState: ContainerState = {};
      if (r.current && r.seen && !r.noticing) {
        state = { running: { startedAt: rfc3339(r.current.startedAt) } };
        if (r.last) lastState = terminated(r.last);
      } else if (r.last && r.waiting && !terminal) {
        state = { waiting: waitingState(r.waiting.reason, r.waiting.message) };
        lastState = terminated(r.last);
      } else if (r.last) {
        state = terminated(r.last);
        if (r.prior) lastState = terminated(r.prior);
      } else {
        const reason = r.waiting?.reason ?? this.defaultWaitingReason();
        state = { waiting: waitingState(reason, r.waiting?.message) };
      }
      const started = this.started(r) && !r.noticing;
      const succeeded = this.succeeded(r);
      const live = r.current ?? (r.last && (state.terminated || r.waiting) ? r.last : undefined);
      const mounts = this.specOf(r, pod).volumeMounts as SpecMount[] | undefined;
      // Every member in one literal (one shape, no property array: the last view stays as `shown`).
      const view: ContainerView = {
        name: r.name,
        kind: r.kind,
        state,
        lastState,
        ready: r.kind === 'init' ? succeeded : this.ready(r) && !r.noticing && !terminal,
        started: r.kind === 'init' ? false : started && !terminal,
        restartCount: r.restartCount,
        // The resolved image shows once a container of it ran; before that, the spec's reference.
        image: r.imageID && (state.running || state.terminated || r.last) ? r.image : r.specImage,
        imageID: r.imageID && (state.running || state.terminated || r.last) ? r.imageID : '',
        succeeded,
        containerID: live && (state.running || state.terminated) ? `containerd://${this.idOf(live)}` : undefined,
        volumeMounts: mounts?.length ? viewMounts(mounts, r.shownMounts) : undefined,
      };
      // A view that says what the last one said does not replace it: once written back, only the
      // print of that one is kept (ContainerRecord.showWritten), and a settled pod stays so.
      if (!terminal && !r.sameAsShown(view)) {
        changed = true;
        r.show(view);
      }
      return view;
    });
    return { sandboxReady: this.sandboxReported, initialized, terminal, initFailed: this.initFailed, containers, changed };
  }

  /**
   * Computes the status and hands it to the host, which writes it when it changed. `midSync`: the
   * worker is still inside what the kubelet does in one SyncPod (containers just started, not yet
   * seen by a relist), so a sandbox created meanwhile does not show yet.
   *
   * A status the same as the last one handed over is not handed over again: the host would find it
   * equal to what it writes or wrote (it compares fingerprints of the text), so skipping it changes
   * nothing it does and spares building, serializing and hashing the status. It is the same when its
   * phase, pod IP and QoS class, every container's view and the conditions serialize alike.
   */
  private publish(terminal = false, midSync = false): void {
    if (this.adopting) return;
    if (!midSync && this.sandboxReady) this.sandboxReported = true;
    const now = this.host.clock.now();
    const pod = this.pod;
    const view = this.view(pod, terminal);
    const podIP = this.podIP !== undefined && this.podIP !== '' && this.sandboxReported ? this.podIP : undefined;
    // Everything the phase and the conditions are computed from is what it was at the last
    // publish (the same version of the pod, the same views, sandbox, initialization and pod IP):
    // they come out the same, and so the status (see the comment above). Nothing to recompute.
    if (!terminal && !view.changed && this.publishedPhase !== undefined && this.has(W_PUBLISHED_POD) && podIP === this.publishedIP
      && this.sandboxReported === this.has(W_PUBLISHED_SANDBOX) && view.initialized === this.has(W_PUBLISHED_INITIALIZED)
      && this.initFailed === this.has(W_PUBLISHED_INIT_FAILED)) return;
    this.flag(W_PUBLISHED_POD, true);
    this.flag(W_PUBLISHED_SANDBOX, this.sandboxReported);
    this.flag(W_PUBLISHED_INITIALIZED, view.initialized);
    this.flag(W_PUBLISHED_INIT_FAILED, this.initFailed);
    const apiPhase = pod.status?.phase;
    const phase = isTerminalPhase(apiPhase) ? apiPhase : this.failure && terminal ? 'Failed' : podPhase(pod, view);
    const conditions = timedPodConditions(pod, view, phase, { statuses: this.conditionStatuses, times: this.conditionTimes }, now);
    for (const c of pod.status?.conditions ?? []) if (!KUBELET_CONDITIONS.has(c.type) && !this.foreign?.has(c.type)) (this.foreign ??= new Map()).set(c.type, c);
    // Other components' conditions (readiness gates, DisruptionTarget) first, in the order the pod
    // had them, then the kubelet's own: the order mergePodStatus gives them in 1.32.
    const all = this.foreign ? [...this.foreign.values(), ...conditions] : conditions;
    const qos = pod.status?.qosClass ?? qosClass(pod);
    // The conditions' print decides only when all else is what was last handed over; otherwise the
    // status differs whatever the conditions say, and the print is not made (-1: not known, so the
    // next status goes out; the host's fingerprint of what it wrote keeps an equal one from being
    // written twice). A pod start hands over two statuses, each with a phase of its own.
    const rest = !terminal && phase === this.publishedPhase && podIP === this.publishedIP && qos === this.publishedQoS && !view.changed;
    const print = rest ? jsonFingerprint(all) : -1;
    const same = rest && print === this.conditionsPrint;
    this.rememberConditions(conditions);
    const scheduled = lastConditionOf(conditions, 'PodScheduled');
    this.flag(W_SCHEDULED_PLAIN, !!scheduled && !scheduled.reason && !scheduled.message);
    this.conditionsPrint = print;
    this.publishedPhase = terminal ? undefined : phase;
    this.publishedIP = podIP;
    this.publishedQoS = qos;
    if (same) return;
    const status: PodStatus = {
      phase,
      conditions: all,
      hostIP: this.host.hostIP,
      hostIPs: [{ ip: this.host.hostIP }],
      startTime: rfc3339(this.startTime),
      qosClass: qos,
    };
    if (podIP !== undefined) {
      const ip = ipText(podIP);
      status.podIP = ip;
      status.podIPs = [{ ip }];
    }
    if (this.failure && terminal) {
      if (this.failure.reason) status.reason = this.failure.reason;
      if (this.failure.message) status.message = this.failure.message;
    }
    const inits = view.containers.filter((c) => c.kind !== 'main');
    if (inits.length > 0) status.initContainerStatuses = inits.map(containerStatus);
    status.containerStatuses = view.containers.filter((c) => c.kind === 'main').map(containerStatus);
    this.host.writeStatus(pod, status);
  }
}

/**
 * A resourceVersion as the worker keeps it: the small integer it spells when it is one (the
 * store's revisions are), else the text. A string per running pod otherwise.
 */
function compactVersion(rv: string | undefined): string | number | undefined {
  if (rv === undefined || rv.length > 9) return rv;
  const n = Number(rv);
  return Number.isInteger(n) && n >= 0 && String(n) === rv ? n : rv;
}

/** Whether `rv` is the version kept as `kept` (see compactVersion). */
function isVersion(rv: string | undefined, kept: string | number | undefined): boolean {
  return typeof kept === 'number' ? rv !== undefined && rv.length <= 9 && String(kept) === rv : rv === kept;
}

/** The last condition of `type` in `conditions`, as lastOfType and conditionMemo read them. */
function lastConditionOf(conditions: readonly PodCondition[], type: string): PodCondition | undefined {
  for (let i = conditions.length - 1; i >= 0; i--) if (conditions[i]!.type === type) return conditions[i];
  return undefined;
}

/** The pod's status of the container of `r`, as last written (by this kubelet or another writer). */
function writtenStatusOf(pod: Pod, r: ContainerRecord): ContainerStatus | undefined {
  const name = r.name;
  return (r.kind === 'main' ? pod.status?.containerStatuses : pod.status?.initContainerStatuses)?.find((c) => c.name === name);
}

type SpecMount = { name: string; mountPath: string; readOnly?: boolean };

/**
 * The mounts a container's status lists, as the kubelet reports them (recursiveReadOnly with
 * readOnly). The ones the last view had when they say the same (most of the time: they follow the
 * spec), so views share one list instead of making it anew each time.
 */
function viewMounts(mounts: SpecMount[], last: ContainerView['volumeMounts']): NonNullable<ContainerView['volumeMounts']> {
  if (last && last.length === mounts.length && mounts.every((m, i) => {
    const l = last[i]!;
    return l.name === m.name && l.mountPath === m.mountPath && (m.readOnly
      ? l.readOnly === true && l.recursiveReadOnly === 'Disabled' && Object.keys(l).length === 4
      : l.readOnly === undefined && l.recursiveReadOnly === undefined && Object.keys(l).length === 2);
  })) return last;
  // Each shape in one literal (a spread made and copied a second object per mount, four views a pod start).
  return mounts.map((m) => (m.readOnly ? { name: m.name, mountPath: m.mountPath, readOnly: true, recursiveReadOnly: 'Disabled' } : { name: m.name, mountPath: m.mountPath }));
}

/** A waiting state's members, as the view writes them (message only when there is one); one literal each, no spread. */
function waitingState(reason: string, message: string | undefined): { reason: string; message?: string } {
  return message ? { reason, message } : { reason };
}

/** A log of a container that ended before this kubelet started: nothing to follow. */
function ended(log: ContainerLog): ContainerLog {
  log.end();
  return log;
}

/** The adopted container's process; one that cannot start again (it did once) just stays running idle. */
function startProcessOrIdle(argv: string[], context: ProcessContext): Process | undefined {
  const started = startProcess(argv, context);
  return 'error' in started ? undefined : started.process;
}
