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
/** Entries per chunk of the log (see `EventLog`). */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK - 1;

export class EventLog {
  /**
   * The entries in revision order (a version's modRevision is the revision that wrote it), in
   * chunks of CHUNK made at their full length: one array pushed to grows its backing store by half
   * again each time, and at a bring-up's ~7 writes a pod the unused half-grown part was up to ~28
   * bytes a pod until the compactor's round (a quarter of that on average); a chunk leaves at most
   * one chunk unused. Entry `i` is chunks[i >> CHUNK_BITS][i & IN_CHUNK], for `start <= i < end`.
   */
  private chunks: (StoredKv | undefined)[][] = [];
  private start = 0;
  private end = 0;
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
    for (const e of events) {
      const at = this.end++;
      if ((at & IN_CHUNK) === 0) this.chunks.push(new Array<StoredKv | undefined>(CHUNK));
      this.chunks[at >> CHUNK_BITS][at & IN_CHUNK] = e.kv as StoredKv;
    }
    this.nextRevision++;
  }

  /** Drops every revision up to and including `revision`. */
  compactThrough(revision: number): void {
    if (revision < this.first) return;
    let from = this.indexAfter(revision);
    const whole = from >> CHUNK_BITS;
    if (whole > 0) {
      this.chunks = this.chunks.slice(whole);
      from -= whole * CHUNK;
      this.end -= whole * CHUNK;
      this.start = 0;
    }
    // The dropped entries of the first chunk kept: let go of their versions.
    const chunk = this.chunks[0];
    if (chunk !== undefined) for (let i = this.start; i < from; i++) chunk[i] = undefined;
    this.start = from;
    this.first = Math.min(revision + 1, this.nextRevision);
  }

  /** Events of revisions `from..to` whose key passes `match`, in revision order. */
  between(from: number, to: number, match: (key: string) => boolean): StoreWatchEvent[] {
    const out: StoreWatchEvent[] = [];
    for (let i = this.indexAfter(Math.max(from, this.first) - 1); i < this.end; i++) {
      const kv = this.at(i);
      if (kv.modRevision > to) break;
      if (match(kv.key)) out.push(this.eventOf(kv));
    }
    return out;
  }

  /** Per-revision batches from `from` on (snapshots), one for every revision, with events or not. */
  batchesFrom(from: number): RevisionBatch[] {
    const out: RevisionBatch[] = [];
    let i = this.indexAfter(Math.max(from, this.first) - 1);
    for (let revision = Math.max(from, this.first); revision < this.nextRevision; revision++) {
      const events: StoreWatchEvent[] = [];
      for (; i < this.end && this.at(i).modRevision === revision; i++) events.push(this.eventOf(this.at(i)));
      out.push({ revision, events });
    }
    return out;
  }

  /** How many entries the log holds. */
  get size(): number {
    return this.end - this.start;
  }

  private at(i: number): StoredKv {
    return this.chunks[i >> CHUNK_BITS][i & IN_CHUNK]!;
  }

  /** The index of the first entry written after `revision`. */
  private indexAfter(revision: number): number {
    let lo = this.start;
    let hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at(mid).modRevision <= revision) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
