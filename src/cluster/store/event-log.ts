import type { StoredKv } from './packing/stored-kv';
import type { StoreWatchEvent } from './types';

export interface RevisionBatch {
  readonly revision: number;
  readonly events: readonly StoreWatchEvent[];
}

/**
 * The retained history as a stream of events of the revisions after the compacted one: what
 * watchers replay from. Stored flat, all entries in one array in revision order, rather than as an
 * object per revision: the log lives as long as the history it covers, and fewer long-lived
 * objects per write is most of what keeps puts cheap. Where a revision starts is found by
 * bisection on the entries' modRevision (an array of start indexes cost 8 bytes a revision).
 *
 * An entry is the event's version itself (the `kv`), not an event object: the rest of an event
 * follows from it and from its key's history, which the engine keeps for at least as long as the
 * log (`eventOf`, engine.ts). An event object per write, kept until the compactor's round, cost
 * ~56 bytes a write and ~7 writes a pod; the events handed out are made as they are read (once per
 * watched range and flush, see watch-hub.ts) and live as long as their readers keep them.
 */
export class EventLog {
  /** In revision order: a version's modRevision is the revision that wrote it. */
  private kvs: StoredKv[] = [];
  /** The oldest revision retained, and the next one to append. */
  private first: number;
  private nextRevision: number;

  constructor(
    nextRevision: number,
    /** The event that wrote `kv` (its type and previous version), from the key's retained history. */
    private readonly eventOf: (kv: StoredKv) => StoreWatchEvent,
  ) {
    this.first = this.nextRevision = nextRevision;
  }

  /** The next revision to append. */
  get next(): number {
    return this.nextRevision;
  }

  /** Appends revision `next` with the versions its events wrote (possibly none, for a replayed no-op). */
  append(events: readonly StoreWatchEvent[]): void {
    for (const e of events) this.kvs.push(e.kv as StoredKv);
    this.nextRevision++;
  }

  /** Drops every revision up to and including `revision`. */
  compactThrough(revision: number): void {
    if (revision < this.first) return;
    this.kvs = this.kvs.slice(this.indexAfter(revision));
    this.first = Math.min(revision + 1, this.nextRevision);
  }

  /** Events of revisions `from..to` whose key passes `match`, in revision order. */
  between(from: number, to: number, match: (key: string) => boolean): StoreWatchEvent[] {
    const out: StoreWatchEvent[] = [];
    const kvs = this.kvs;
    for (let i = this.indexAfter(Math.max(from, this.first) - 1); i < kvs.length; i++) {
      const kv = kvs[i];
      if (kv.modRevision > to) break;
      if (match(kv.key)) out.push(this.eventOf(kv));
    }
    return out;
  }

  /** Per-revision batches from `from` on (snapshots), one for every revision, with events or not. */
  batchesFrom(from: number): RevisionBatch[] {
    const out: RevisionBatch[] = [];
    const kvs = this.kvs;
    let i = this.indexAfter(Math.max(from, this.first) - 1);
    for (let revision = Math.max(from, this.first); revision < this.nextRevision; revision++) {
      const events: StoreWatchEvent[] = [];
      for (; i < kvs.length && kvs[i].modRevision === revision; i++) events.push(this.eventOf(kvs[i]));
      out.push({ revision, events });
    }
    return out;
  }

  /** The index of the first entry written after `revision`. */
  private indexAfter(revision: number): number {
    let lo = 0;
    let hi = this.kvs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.kvs[mid].modRevision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
