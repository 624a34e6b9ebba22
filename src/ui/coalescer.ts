/**
 * Turns a burst of change notifications into one call: the first `schedule()` arms a timer, later
 * ones within the window ride along, and `flush` runs once when it fires. A burst of 5,000 node
 * heartbeats is one tree repaint. Plain Node (no vscode), so the unit tests drive it with fake timers.
 */
export interface TimerFunctions {
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

const wallTimers: TimerFunctions = {
  set: (callback, delayMs) => setTimeout(callback, delayMs),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class Coalescer {
  private pending: unknown;
  private armed = false;
  private disposed = false;

  constructor(
    private readonly flush: () => void,
    private readonly delayMs = 100,
    private readonly timers: TimerFunctions = wallTimers,
  ) {}

  schedule(): void {
    if (this.armed || this.disposed) return;
    this.armed = true;
    this.pending = this.timers.set(() => {
      this.armed = false;
      this.pending = undefined;
      if (!this.disposed) this.flush();
    }, this.delayMs);
  }

  /** Flushes now if a flush is pending (e.g. before revealing a row that must be on screen). */
  flushNow(): void {
    if (!this.armed || this.disposed) return;
    this.timers.clear(this.pending);
    this.armed = false;
    this.pending = undefined;
    this.flush();
  }

  dispose(): void {
    this.disposed = true;
    if (this.armed) this.timers.clear(this.pending);
    this.armed = false;
  }
}
