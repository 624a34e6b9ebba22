import { CompactedError, StoreWatchEvent, StoreWatcher, WatchOptions } from './types';

/** What the hub needs from the MVCC engine: the published history as per-revision batches. */
export interface WatchSource {
  /** The newest revision watchers may see (for a durable store: the newest fsync'd revision). */
  visibleRevision(): number;
  compactedRevision(): number;
  /** Events of revisions `from..to` (inclusive) whose key is in the range, in revision order. */
  eventsBetween(from: number, to: number, key: string, end: string | undefined): StoreWatchEvent[];
}

interface Registration {
  readonly key: string;
  readonly end: string | undefined;
  /** `key` and `end` as one string: watchers of one range share a flush's filtering pass by it. */
  readonly range: string;
  /** The next revision this watcher has not been offered yet: the whole delivery state. */
  next: number;
  readonly onEvents: (events: StoreWatchEvent[]) => void;
  readonly onError: ((err: Error) => void) | undefined;
}

/**
 * Delivers the store's history to watchers.
 *
 * Each watcher holds one cursor, the next revision it has not been offered. A flush offers every
 * watcher the events from its cursor up to the visible revision and moves the cursor past it, so
 * each event is delivered exactly once, in revision order, with no gaps, and a transaction's events
 * (one revision) always land in the same batch. A watcher that starts in the past simply has an old
 * cursor. Flushes run in a microtask after a publish, never inside the writer's call stack, so a
 * callback may write to the store without reentrancy.
 *
 * Dispatch cost: watchers at the same cursor on the same range (100 informers on one prefix) share
 * one filtering pass per flush; each gets its own array.
 */
export class WatchHub {
  private readonly registrations = new Set<Registration>();
  private flushScheduled = false;

  constructor(private readonly source: WatchSource) {}

  get size(): number {
    return this.registrations.size;
  }

  watch(options: WatchOptions, onEvents: (events: StoreWatchEvent[]) => void, onError?: (err: Error) => void): StoreWatcher {
    const start = options.startRevision && options.startRevision > 0 ? options.startRevision : this.source.visibleRevision() + 1;
    const compacted = this.source.compactedRevision();
    if (start <= compacted) {
      const err = new CompactedError(start, compacted);
      queueMicrotask(() => onError?.(err));
      return { cancel: () => undefined };
    }
    const range = `${options.key}\u0000${options.end ?? ''}`;
    const registration: Registration = { key: options.key, end: options.end, range, next: start, onEvents, onError };
    this.registrations.add(registration);
    if (start <= this.source.visibleRevision()) this.schedule();
    return { cancel: () => this.registrations.delete(registration) };
  }

  /** Called after the visible revision moved forward or history was compacted. */
  schedule(): void {
    if (this.flushScheduled || this.registrations.size === 0) return;
    this.flushScheduled = true;
    queueMicrotask(() => this.flush());
  }

  /** Stops every watcher without calling it again. */
  cancelAll(): void {
    this.registrations.clear();
  }

  private flush(): void {
    this.flushScheduled = false;
    const to = this.source.visibleRevision();
    const compacted = this.source.compactedRevision();
    // By range, the events from the cursor of the last watcher of that range (most often every
    // watcher's: all move to `to + 1` at each flush); a watcher at another cursor filters its own.
    const shared = new Map<string, { from: number; events: StoreWatchEvent[] }>();
    for (const w of [...this.registrations]) {
      if (!this.registrations.has(w) || w.next > to) continue;
      if (w.next <= compacted) {
        this.registrations.delete(w);
        w.onError?.(new CompactedError(w.next, compacted));
        continue;
      }
      let batch = shared.get(w.range);
      if (batch === undefined || batch.from !== w.next) {
        batch = { from: w.next, events: this.source.eventsBetween(w.next, to, w.key, w.end) };
        shared.set(w.range, batch);
      }
      const { events } = batch;
      w.next = to + 1;
      if (events.length === 0) continue;
      try {
        w.onEvents(events.slice());
      } catch (err) {
        // A watcher whose callback throws is ended, so it cannot silently miss later events.
        this.registrations.delete(w);
        w.onError?.(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }
}
