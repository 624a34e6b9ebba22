import type { StoredKv } from './packing/stored-kv';
import type { StoreWatchEvent } from './types';

export interface RevisionBatch {
  readonly revision: number;
  readonly events: readonly StoreWatchEvent[];
}

/**
 * The retained history as a stream of events, one entry per revision after the compacted one:
 * what watchers replay from. Stored flat (all entries in one array, plus where each revision
 * starts) rather than as an object per revision: the log lives as long as the history it covers,
 * and fewer long-lived objects per write is most of what keeps puts cheap.
 *
 * An entry is the event's version itself (the `kv`), not an event object: the rest of an event
 * follows from it and from its key's history, which the engine keeps for at least as long as the
 * log (`eventOf`, engine.ts). An event object per write, kept until the compactor's round, cost
 * ~56 bytes a write and ~7 writes a pod; the events handed out are made as they are read (once per
 * watched range and flush, see watch-hub.ts) and live as long as their readers keep them.
 */
export class EventLog {
  private kvs: StoredKv[] = [];
  /** starts[i]: index in `kvs` of the first entry of revision `first + i`. */
  private starts: number[] = [];
  /** The revision of starts[0]. */
  private first: number;

  constructor(
    nextRevision: number,
    /** The event that wrote `kv` (its type and previous version), from the key's retained history. */
    private readonly eventOf: (kv: StoredKv) => StoreWatchEvent,
  ) {
    this.first = nextRevision;
  }

  /** The next revision to append. */
  get next(): number {
    return this.first + this.starts.length;
  }

  /** Appends revision `next` with the versions its events wrote (possibly none, for a replayed no-op). */
  append(events: readonly StoreWatchEvent[]): void {
    this.starts.push(this.kvs.length);
    for (const e of events) this.kvs.push(e.kv as StoredKv);
  }

  /** Drops every revision up to and including `revision`. */
  compactThrough(revision: number): void {
    const drop = Math.min(revision - this.first + 1, this.starts.length);
    if (drop <= 0) return;
    const cut = drop < this.starts.length ? this.starts[drop] : this.kvs.length;
    this.kvs = this.kvs.slice(cut);
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
    const end = hi < this.starts.length ? this.starts[hi] : this.kvs.length;
    for (let i = begin; i < end; i++) {
      const kv = this.kvs[i];
      if (match(kv.key)) out.push(this.eventOf(kv));
    }
    return out;
  }

  /** Per-revision batches from `from` on (snapshots). */
  batchesFrom(from: number): RevisionBatch[] {
    const out: RevisionBatch[] = [];
    for (let i = Math.max(0, from - this.first); i < this.starts.length; i++) {
      const end = i + 1 < this.starts.length ? this.starts[i + 1] : this.kvs.length;
      const events: StoreWatchEvent[] = [];
      for (let j = this.starts[i]; j < end; j++) events.push(this.eventOf(this.kvs[j]));
      out.push({ revision: this.first + i, events });
    }
    return out;
  }
}
