/**
 * The scheduling queue (kube-scheduler's PriorityQueue), three parts:
 *
 * - activeQ: pods ready to be tried, ordered by the QueueSort plugin (PrioritySort).
 * - backoffQ: pods that failed recently, waiting out a back-off of 1 s doubling per attempt up to
 *   10 s; they move to activeQ when it ends.
 * - unschedulablePods: pods no node fits, parked until a cluster event that may help them (a node
 *   added or changed, a pod deleted …) or for at most 5 minutes. Gated pods (PreEnqueue said no)
 *   wait here too, until an update removes the gates.
 *
 * If a move request arrives while a pod is being scheduled (the cluster changed mid-cycle), a
 * failure of that pod goes to backoffQ rather than the pool, so it is not stranded.
 *
 * The queue is also the nominator: it remembers which pods preemption nominated to which node.
 * All timing uses the cluster clock.
 */
import type { Pod } from '../../api/types';
import type { Clock, Timer } from '../../clock';
import type { QueuedPodInfo, QueueSortPlugin } from '../framework/interface';
import { PodInfo } from '../framework/pod-info';
import type { Status } from '../framework/status';
import { eventMayHelp, type ClusterEvent } from './events';
import { KeyedHeap } from './heap';

const NONE: PodInfo[] = [];

export const INITIAL_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 10_000;
export const MAX_IN_UNSCHEDULABLE_PODS_MS = 5 * 60_000;

export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** 1 s, 2 s, 4 s, 8 s, 10 s, 10 s … for attempts 1, 2, 3 … */
export function backoffDuration(attempts: number): number {
  let d = INITIAL_BACKOFF_MS;
  for (let i = 1; i < attempts; i++) {
    d *= 2;
    if (d >= MAX_BACKOFF_MS) return MAX_BACKOFF_MS;
  }
  return d;
}

interface Parked {
  qp: QueuedPodInfo;
  since: number;
  timer?: Timer;
}

export class SchedulingQueue {
  private readonly activeQ: KeyedHeap<QueuedPodInfo>;
  private readonly backoffQ: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, Parked>();
  /** Pods popped and not yet done (being scheduled or bound). */
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private readonly nominated = new Map<string, PodInfo[]>();
  private readonly nominatedNodeOf = new Map<string, string>();
  private backoffTimer: Timer | undefined;
  private backoffTimerDue = Infinity;
  private waiters: ((qp: QueuedPodInfo | undefined) => void)[] = [];
  private closed = false;
  /** Incremented per pop; compared with moveRequestCycle to route failures. */
  schedulingCycle = 0;
  private moveRequestCycle = -1;
  private readonly sequence = new WeakMap<QueuedPodInfo, number>();
  private nextSeq = 0;

  constructor(
    private readonly clock: Clock,
    sort: QueueSortPlugin,
    private readonly preEnqueue: (pod: Pod) => Status,
    private readonly onGated: (pod: Pod, status: Status) => void = () => undefined,
  ) {
    // Ties (same priority, same clock reading) keep the order pods entered activeQ.
    this.activeQ = new KeyedHeap((q) => q.podInfo.key, (a, b) => sort.less(a, b) || (!sort.less(b, a) && this.seqOf(a) < this.seqOf(b)));
    this.backoffQ = new KeyedHeap((q) => q.podInfo.key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  }

  /** A new pending pod. */
  add(pod: Pod): void {
    const now = this.clock.now();
    const qp: QueuedPodInfo = { podInfo: new PodInfo(pod), initialAttemptTimestamp: now, timestamp: now, attempts: 0, unschedulablePlugins: new Set(), gated: false };
    // A nomination made before (e.g. by a scheduler that restarted) still holds room on that node.
    if (pod.status?.nominatedNodeName) this.addNominatedPod(qp.podInfo, pod.status.nominatedNodeName);
    this.enqueue(qp);
  }

  /** The pending pod changed (labels, gates removed, tolerations added …). */
  update(pod: Pod): void {
    const key = podKey(pod);
    const info = new PodInfo(pod);
    const inFlight = this.inFlight.get(key);
    if (inFlight) { inFlight.podInfo = info; return; }
    for (const q of [this.activeQ, this.backoffQ]) {
      const qp = q.get(key);
      if (qp) { qp.podInfo = info; q.addOrUpdate(qp); return; }
    }
    const parked = this.unschedulable.get(key);
    if (parked) {
      const changedSpec = JSON.stringify(parked.qp.podInfo.pod.spec) !== JSON.stringify(pod.spec) || JSON.stringify(parked.qp.podInfo.pod.metadata.labels) !== JSON.stringify(pod.metadata.labels);
      parked.qp.podInfo = info;
      if (parked.qp.gated || changedSpec) {
        this.unpark(key);
        const wasGated = parked.qp.gated;
        parked.qp.gated = false;
        this.enqueue(parked.qp, !wasGated);
      }
      return;
    }
    this.add(pod);
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unpark(key);
    this.inFlight.delete(key);
    this.deleteNominatedPod(pod);
  }

  has(pod: Pod): boolean {
    const key = podKey(pod);
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key) || this.inFlight.has(key);
  }

  /** Resolves with the next pod to schedule (waiting if none), or undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    const qp = this.popNow();
    if (qp || this.closed) return Promise.resolve(qp);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The next pod if one is ready now. */
  popNow(): QueuedPodInfo | undefined {
    const qp = this.activeQ.pop();
    if (!qp) return undefined;
    qp.attempts++;
    this.schedulingCycle++;
    this.inFlight.set(qp.podInfo.key, qp);
    return qp;
  }

  /** The pod's cycle ended (bound, or handed back through requeue). */
  done(pod: Pod): void {
    this.inFlight.delete(podKey(pod));
  }

  /**
   * A failed attempt: Unschedulable goes to the pool (or backoffQ if the cluster changed during the
   * cycle); errors go to backoffQ.
   */
  requeue(qp: QueuedPodInfo, cycle: number, unschedulable: boolean): void {
    const key = qp.podInfo.key;
    if (!this.inFlight.has(key)) return; // deleted meanwhile
    this.inFlight.delete(key);
    qp.timestamp = this.clock.now();
    if (!unschedulable || this.moveRequestCycle >= cycle) return this.addToBackoff(qp);
    this.park(qp);
  }

  /** A cluster event: moves the parked pods it may help to backoffQ or activeQ. */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent): void {
    this.moveRequestCycle = this.schedulingCycle;
    for (const [key, parked] of [...this.unschedulable]) {
      if (parked.qp.gated || !eventMayHelp(event, parked.qp.unschedulablePlugins)) continue;
      this.unpark(key);
      this.enqueue(parked.qp, true);
    }
  }

  close(): void {
    this.closed = true;
    this.backoffTimer?.cancel();
    for (const p of this.unschedulable.values()) p.timer?.cancel();
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  get counts(): { active: number; backoff: number; unschedulable: number; inFlight: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size, inFlight: this.inFlight.size };
  }

  // ---- nominator ------------------------------------------------------------------------------

  addNominatedPod(info: PodInfo, nodeName: string): void {
    this.deleteNominatedPod(info.pod);
    if (!nodeName) return;
    const list = this.nominated.get(nodeName) ?? [];
    list.push(info);
    this.nominated.set(nodeName, list);
    this.nominatedNodeOf.set(info.key, nodeName);
  }

  deleteNominatedPod(pod: Pod): void {
    const key = podKey(pod);
    const node = this.nominatedNodeOf.get(key);
    if (!node) return;
    this.nominatedNodeOf.delete(key);
    const list = (this.nominated.get(node) ?? []).filter((p) => p.key !== key);
    if (list.length) this.nominated.set(node, list);
    else this.nominated.delete(node);
  }

  nominatedPodsForNode(nodeName: string): PodInfo[] {
    // Asked for every node of every cycle; nominations are rare (preemption only).
    if (this.nominated.size === 0) return NONE;
    return this.nominated.get(nodeName) ?? NONE;
  }

  // ---- internals ------------------------------------------------------------------------------

  private enqueue(qp: QueuedPodInfo, respectBackoff = false): void {
    const gate = this.preEnqueue(qp.podInfo.pod);
    if (!gate.isSuccess()) {
      qp.gated = true;
      this.park(qp, false);
      this.onGated(qp.podInfo.pod, gate);
      return;
    }
    if (respectBackoff && this.clock.now() < this.backoffExpiry(qp)) return this.addToBackoff(qp);
    this.toActive(qp);
    this.wake();
  }

  private toActive(qp: QueuedPodInfo): void {
    this.sequence.set(qp, this.nextSeq++);
    this.activeQ.addOrUpdate(qp);
  }

  private seqOf(qp: QueuedPodInfo): number {
    return this.sequence.get(qp) ?? 0;
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.activeQ.size > 0) {
      const qp = this.popNow();
      this.waiters.shift()!(qp);
    }
  }

  private backoffExpiry(qp: QueuedPodInfo): number {
    return qp.timestamp + backoffDuration(qp.attempts);
  }

  private addToBackoff(qp: QueuedPodInfo): void {
    this.backoffQ.addOrUpdate(qp);
    this.armBackoffTimer();
  }

  private armBackoffTimer(): void {
    const head = this.backoffQ.peek();
    if (!head) return;
    const due = this.backoffExpiry(head);
    if (this.backoffTimer && this.backoffTimerDue <= due) return;
    this.backoffTimer?.cancel();
    this.backoffTimerDue = due;
    this.backoffTimer = this.clock.setTimer(Math.max(0, due - this.clock.now()), () => {
      this.backoffTimer = undefined;
      this.backoffTimerDue = Infinity;
      this.flushBackoffQCompleted();
    });
  }

  /** Moves every pod whose back-off has ended to activeQ. */
  flushBackoffQCompleted(): void {
    const now = this.clock.now();
    for (;;) {
      const head = this.backoffQ.peek();
      if (!head || this.backoffExpiry(head) > now) break;
      this.backoffQ.pop();
      this.toActive(head);
    }
    this.wake();
    this.armBackoffTimer();
  }

  private park(qp: QueuedPodInfo, withTimeout = true): void {
    const key = qp.podInfo.key;
    const parked: Parked = { qp, since: this.clock.now() };
    if (withTimeout && !this.closed) {
      parked.timer = this.clock.setTimer(MAX_IN_UNSCHEDULABLE_PODS_MS, () => {
        if (this.unschedulable.get(key) !== parked) return;
        this.unpark(key);
        this.enqueue(qp, true);
      });
    }
    this.unschedulable.set(key, parked);
  }

  private unpark(key: string): void {
    const parked = this.unschedulable.get(key);
    if (!parked) return;
    parked.timer?.cancel();
    this.unschedulable.delete(key);
  }
}
