import { StoreWatchEvent } from './types';

export interface RevisionBatch {
  readonly revision: number;
  readonly events: readonly StoreWatchEvent[];
}

/**
 * The retained history as a stream of events, one entry per revision after the compacted one:
 * what watchers replay from. Stored flat (all events in one array, plus where each revision starts)
 * rather than as an object per revision: the log lives as long as the history it covers, and fewer
 * long-lived objects per write is most of what keeps puts cheap.
 */
export class EventLog {
  private events: StoreWatchEvent[] = [];
  /** starts[i]: index in `events` of the first event of revision `first + i`. */
  private starts: number[] = [];
  /** The revision of starts[0]. */
  private first: number;

  constructor(nextRevision: number) {
    this.first = nextRevision;
  }

  /** The next revision to append. */
  get next(): number {
    return this.first + this.starts.length;
  }

  /** Appends revision `next` with its events (possibly none, for a replayed no-op). */
  append(events: readonly StoreWatchEvent[]): void {
    this.starts.push(this.events.length);
    for (const e of events) this.events.push(e);
  }

  /** Drops every revision up to and including `revision`. */
  compactThrough(revision: number): void {
    const drop = Math.min(revision - this.first + 1, this.starts.length);
    if (drop <= 0) return;
    const cut = drop < this.starts.length ? this.starts[drop] : this.events.length;
    this.events = this.events.slice(cut);
    this.starts = this.starts.slice(drop).map((s) => s - cut);
    this.first += drop;
  }

  /** Events of revisions `from..to` whose key passes `match`, in revision order. */
  between(from: number, to: number, match: (key: string) => boolean): StoreWatchEvent[] {
    const out: StoreWatchEvent[] = [];
    const lo = Math.max(0, from - this.first);
    const hi = Math.min(to - this.first + 1, this.starts.length);
    if (lo >= hi) return out;
    const begin = this.starts[lo];
    const end = hi < this.starts.length ? this.starts[hi] : this.events.length;
    for (let i = begin; i < end; i++) {
      const e = this.events[i];
      if (match(e.kv.key)) out.push(e);
    }
    return out;
  }

  /** Per-revision batches from `from` on (snapshots). */
  batchesFrom(from: number): RevisionBatch[] {
    const out: RevisionBatch[] = [];
    for (let i = Math.max(0, from - this.first); i < this.starts.length; i++) {
      const end = i + 1 < this.starts.length ? this.starts[i + 1] : this.events.length;
      out.push({ revision: this.first + i, events: this.events.slice(this.starts[i], end) });
    }
    return out;
  }
}
