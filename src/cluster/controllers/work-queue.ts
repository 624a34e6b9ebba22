/**
 * A controller's work queue (client-go workqueue, rate limited): a key waits at most once however
 * often it is added, is never worked on by two workers at once (added again while in flight, it
 * runs once more afterwards), and a key whose work failed comes back after a per-key backoff on the
 * cluster clock (5 ms doubling to 1000 s, as the default controller rate limiter), reset on success.
 * `addAfter` delays a key on the clock (a controller's requeue for minReadySeconds, say); as
 * client-go's delaying queue, a key waits on at most one timer, the soonest asked for: a
 * ReplicaSet of 10,000 pods with minReadySeconds asks once per pod that turns ready, and each ask
 * used to leave a timer of its own.
 */
import type { Clock, Timer } from '../clock';

const BASE_BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 1_000_000;

export class WorkQueue {
  private readonly waiting = new Set<string>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly failures = new Map<string, number>();
  /** Keys waiting on the clock: when each is due and its timer. */
  private readonly delayed = new Map<string, { due: number; timer: Timer }>();
  private active = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly work: (key: string) => Promise<void>,
    private readonly workers = 1,
    private readonly onError: (key: string, err: unknown) => void = () => undefined,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    this.waiting.add(key);
    this.pump();
  }

  addAfter(key: string, delayMs: number): void {
    if (this.stopped) return;
    if (delayMs <= 0) return this.add(key);
    const due = this.clock.now() + delayMs;
    const existing = this.delayed.get(key);
    if (existing && existing.due <= due) return;
    existing?.timer.cancel();
    const timer = this.clock.setTimer(delayMs, () => {
      this.delayed.delete(key);
      this.add(key);
    });
    this.delayed.set(key, { due, timer });
  }

  /** Resolves when nothing waits or runs (timers pending later do not count). Tests use it. */
  idle(): Promise<void> {
    if (this.waiting.size === 0 && this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const { timer } of this.delayed.values()) timer.cancel();
    this.delayed.clear();
    this.waiting.clear();
  }

  private pump(): void {
    while (!this.stopped && this.active < this.workers && this.waiting.size > 0) {
      const key = this.waiting.values().next().value as string;
      this.waiting.delete(key);
      this.running.add(key);
      this.active++;
      void this.run(key);
    }
    if (this.waiting.size === 0 && this.active === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async run(key: string): Promise<void> {
    try {
      await this.work(key);
      this.failures.delete(key);
    } catch (err) {
      this.onError(key, err);
      const n = this.failures.get(key) ?? 0;
      this.failures.set(key, n + 1);
      if (!this.stopped) this.addAfter(key, Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** n));
    } finally {
      this.running.delete(key);
      this.active--;
      if (this.again.delete(key)) this.waiting.add(key);
      this.pump();
    }
  }
}
