/**
 * The cluster clock: the only source of time for every component (API server timestamps, leases,
 * kubelet timings, back-offs, scheduler back-off, controllers).
 *
 * Contract:
 * - `now()` is virtual time in epoch milliseconds. It never goes backwards.
 * - Timers fire in order of their virtual due time; ties fire in the order they were set.
 * - Running at `speed` S, one real millisecond is S virtual milliseconds. `speed = Infinity` runs
 *   "as fast as possible": whenever timers are pending, virtual time jumps to the next one as soon
 *   as the work the previous timers started has settled (a few turns of the event loop, as
 *   `advance` lets it), so that virtual time does not race ahead of in-flight API calls and
 *   periodic timers (heartbeats) do not fire many times over during one pod's start-up
 *   (benchmarks use this).
 * - Paused, virtual time stands still until `resume()` or `advance(ms)`.
 * - `advance(ms)` moves virtual time forward by exactly `ms`, firing every timer due on the way,
 *   and lets the promise chains a timer starts (API calls through the in-process transport) settle
 *   before the next timer fires. Tests construct a paused clock (`ManualClock`) and only advance it.
 * - Settling also waits for work outside the event loop's turns that the cluster names with
 *   `setPendingWork`: writes waiting for the durable store's fsync. Without it a step of minutes
 *   fired every lease renewal before the first one was on disk, and a healthy node looked silent.
 */

import { PendingTimer, TimerQueue } from './timer-queue';

export interface Timer {
  /** Cancels the timer; a no-op if it already fired. */
  cancel(): void;
}

export interface Clock {
  now(): number;
  setTimer(delayMs: number, callback: () => void): Timer;
  /** Resolves after `delayMs` of cluster time. */
  sleep(delayMs: number): Promise<void>;
}

export type ClockState = 'running' | 'paused';

/** Turns of the event loop an Infinity-speed clock waits before jumping to the next timer. */
const INFINITY_SETTLE_TURNS = 20;

/**
 * Runs `round` every `intervalMs` of cluster time, each interval counted from when the previous
 * round settled, so a slow round never overlaps the next. A round that fails goes to `onError` and
 * the rounds go on. Returns what stops them (a round under way finishes; none follows).
 */
export function everyInterval(clock: Clock, intervalMs: number, round: () => Promise<unknown>, onError: (err: unknown) => void): { stop(): void } {
  let stopped = false;
  let timer: Timer | undefined;
  const schedule = () => {
    if (stopped) return;
    timer = clock.setTimer(intervalMs, () => {
      void round().catch(onError).finally(schedule);
    });
  };
  schedule();
  return {
    stop() {
      stopped = true;
      timer?.cancel();
      timer = undefined;
    },
  };
}

/** Yields to the event loop a few times so that promise chains and I/O callbacks started by a timer run. */
export async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Work in flight outside the event loop's turns (e.g. a pending fsync); undefined when there is none. */
export type PendingWork = () => Promise<unknown> | undefined;

/** More rounds than this means the work never goes quiet (a write loop): time moves on regardless. */
const MAX_PENDING_WORK_ROUNDS = 50;

export class VirtualClock implements Clock {
  private virtualBase: number;
  private realBase: number;
  private speedFactor: number;
  private paused: boolean;
  private readonly queue = new TimerQueue();
  private seq = 0;
  private realTimer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private advancing = false;
  private readonly listeners = new Set<() => void>();
  private pendingWork: PendingWork | undefined;
  /** Bumped whenever the real timer is cleared, so a wait for pending work that outlived it stops. */
  private realTimerGeneration = 0;

  constructor(options: { start?: number; speed?: number; paused?: boolean } = {}) {
    this.virtualBase = options.start ?? Date.now();
    this.realBase = performance.now();
    this.speedFactor = options.speed ?? 1;
    if (!(this.speedFactor > 0)) throw new Error(`clock speed must be greater than 0, got ${this.speedFactor}`);
    this.paused = options.paused ?? false;
    this.schedule();
  }

  now(): number {
    if (this.paused || this.advancing || this.speedFactor === Infinity) return this.virtualBase;
    return this.virtualBase + Math.floor((performance.now() - this.realBase) * this.speedFactor);
  }

  get state(): ClockState {
    return this.paused ? 'paused' : 'running';
  }

  get speed(): number {
    return this.speedFactor;
  }

  setSpeed(speed: number): void {
    if (!(speed > 0)) throw new Error(`clock speed must be greater than 0, got ${speed}`);
    this.rebase();
    this.speedFactor = speed;
    this.schedule();
    this.emit();
  }

  pause(): void {
    if (this.paused) return;
    this.rebase();
    this.paused = true;
    this.schedule();
    this.emit();
  }

  resume(): void {
    if (!this.paused) return;
    this.realBase = performance.now();
    this.paused = false;
    this.schedule();
    this.emit();
  }

  /** Called whenever state, speed or (after advance) time changes; returns an unsubscribe function. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    const timer = new PendingTimer(this.now() + Math.max(0, delayMs), this.seq++, callback);
    this.queue.push(timer);
    if (this.queue.first === timer) this.schedule();
    return timer;
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(delayMs, resolve));
  }

  /** Names the work that settling waits for besides the event loop's turns (undefined: none). */
  setPendingWork(work: PendingWork | undefined): void {
    this.pendingWork = work;
  }

  /** Lets what the last timers started run: a few event loop turns, and the pending work named. */
  private async quiesce(): Promise<void> {
    await settle();
    for (let round = 0; round < MAX_PENDING_WORK_ROUNDS; round++) {
      const work = this.pendingWork?.();
      if (!work) return;
      await work.catch(() => undefined);
      await settle();
    }
  }

  /** Number of timers not yet fired or cancelled (for tests and diagnostics). */
  get pendingTimers(): number {
    return this.queue.countLive();
  }

  /**
   * Moves virtual time forward by `ms`, firing due timers in order and letting each one's
   * consequences settle before the next. Works paused or running.
   */
  async advance(ms: number): Promise<void> {
    if (this.advancing) throw new Error('clock.advance() is already in progress');
    const target = this.now() + ms;
    this.rebase();
    this.advancing = true;
    try {
      await this.quiesce();
      for (;;) {
        const next = this.peek();
        if (!next || next.due > target) break;
        this.pop();
        this.virtualBase = Math.max(this.virtualBase, next.due);
        next.callback!();
        await this.quiesce();
      }
      this.virtualBase = Math.max(this.virtualBase, target);
    } finally {
      this.advancing = false;
      this.realBase = performance.now();
      this.schedule();
      this.emit();
    }
  }

  /** Stops the real timer so that the process can exit; the clock keeps its timers. */
  dispose(): void {
    this.clearReal();
    this.listeners.clear();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }

  private rebase(): void {
    this.virtualBase = this.now();
    this.realBase = performance.now();
  }

  private clearReal(): void {
    this.realTimerGeneration++;
    if (this.realTimer === undefined) return;
    if (this.speedFactor === Infinity) clearImmediate(this.realTimer as NodeJS.Immediate);
    else clearTimeout(this.realTimer as NodeJS.Timeout);
    this.realTimer = undefined;
  }

  /** Arms one real timer for the earliest pending virtual timer. */
  private schedule(): void {
    this.clearReal();
    if (this.paused || this.advancing) return;
    const next = this.peek();
    if (!next) return;
    if (this.speedFactor === Infinity) {
      let turns = 0;
      let waits = 0;
      const step = () => {
        if (++turns < INFINITY_SETTLE_TURNS) {
          this.realTimer = setImmediate(step);
          return;
        }
        // Bounded, as in quiesce(): writes that never stop coming (a client's loop) must not starve the timers.
        const work = waits < MAX_PENDING_WORK_ROUNDS ? this.pendingWork?.() : undefined;
        if (work) {
          waits++;
          // As fast as possible, but not faster than the store commits: wait, then settle again.
          turns = 0;
          const generation = this.realTimerGeneration;
          void work.catch(() => undefined).then(() => {
            if (generation !== this.realTimerGeneration) return;
            this.realTimer = setImmediate(step);
          });
          return;
        }
        this.fireDue(true);
      };
      this.realTimer = setImmediate(step);
      return;
    }
    const realDelay = Math.max(0, (next.due - this.now()) / this.speedFactor);
    // Node timers cap at about 24.8 days; re-arm on the way for longer waits.
    const timer = setTimeout(() => this.fireDue(false), Math.min(realDelay, 2 ** 31 - 1));
    timer.unref();
    this.realTimer = timer;
  }

  private fireDue(jump: boolean): void {
    this.realTimer = undefined;
    if (jump) {
      const next = this.peek();
      if (next && next.due > this.virtualBase) this.virtualBase = next.due;
    }
    const now = this.now();
    for (;;) {
      const next = this.peek();
      if (!next || next.due > now) break;
      this.pop();
      next.callback!();
    }
    this.schedule();
  }

  private peek(): PendingTimer | undefined {
    const queue = this.queue;
    while (queue.length > 0 && queue.first!.cancelled) queue.pop();
    return queue.first;
  }

  private pop(): PendingTimer | undefined {
    return this.queue.pop();
  }
}

/** A paused clock that moves only when a test calls `advance(ms)`. */
export class ManualClock extends VirtualClock {
  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    super({ start, paused: true });
  }
}
