import type { StoreWatchEvent } from './types';

export interface RevisionBatch {
  readonly revision: number;
  readonly events: readonly StoreWatchEvent[];
}

/**
 * The retained history as a stream of events of the revisions after the compacted one: what
 * watchers replay from. Stored flat, all entries in one sequence in revision order, rather than as
 * an object per revision: the log lives as long as the history it covers, and fewer long-lived
 * objects per write is most of what keeps puts cheap.
 *
 * An entry is the written key and the revision that wrote it, not an event object nor the version
 * itself: the rest of an event follows from them and from the key's history, which the engine
 * keeps for at least as long as the log (`eventOf`, engine.ts). An event object per write, kept
 * until the compactor's round, cost ~56 bytes a write and ~7 writes a pod; a pointer to the version
 * would keep every superseded version alive as an object of its own, where the engine folds them
 * into a compact form once packed (packing/fossil.ts). The events handed out are made as they are
 * read (once per watched range and flush, see watch-hub.ts) and live as long as their readers keep
 * them.
 */
/** Entries per chunk of the log (see `EventLog`). */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK - 1;

/** One transaction may write a key more than once (a put, then a delete): `nth` tells which of its writes of the key an entry is (0: the first). */
export type EventOf = (key: string, revision: number, nth: number) => StoreWatchEvent;

/** Entries per group: each group's first revision is kept whole, the others as steps from the entry before. */
const GROUP_BITS = 6;
const GROUP = 1 << GROUP_BITS;
/** A step too long for a byte: the revision is in the chunk's `far`. */
const FAR = 255;

interface Chunk {
  /** The keys written, as the engine holds them (the slot's own string: no copy per entry). */
  readonly keys: (string | undefined)[];
  /**
   * The revision of each entry as its step from the entry before's (0: the same transaction; 1:
   * the next, as nearly every entry is), a byte each rather than a revision in 4: ~7 entries a pod
   * between two compactions. Every GROUP-th entry's revision is also in `starts`, so an entry's
   * revision is found from its group's start in at most GROUP - 1 steps.
   */
  readonly steps: Uint8Array;
  readonly starts: Float64Array;
  /** Revisions of entries whose step is FAR, by their index in the chunk (a revision that wrote nothing the log holds, which the store does not make). */
  far: Map<number, number> | undefined;
}

export class EventLog {
  /**
   * The entries in revision order, in chunks of CHUNK made at their full length: one array pushed
   * to grows its backing store by half again each time, and at a bring-up's ~7 writes a pod the
   * unused half-grown part was up to ~28 bytes a pod until the compactor's round (a quarter of that
   * on average); a chunk leaves at most one chunk unused. Entry `i` is at [i >> CHUNK_BITS][i &
   * IN_CHUNK], for `start <= i < end`.
   */
  private chunks: Chunk[] = [];
  private start = 0;
  private end = 0;
  /** The revision of the last entry appended (0: none yet). */
  private last = 0;
  /** The oldest revision retained, and the next one to append. */
  private first: number;
  private nextRevision: number;

  constructor(
    nextRevision: number,
    /** The event that wrote a key at a revision (its version, type and previous version), from the key's retained history. */
    private readonly eventOf: EventOf,
  ) {
    this.first = this.nextRevision = nextRevision;
  }

  /** The next revision to append. */
  get next(): number {
    return this.nextRevision;
  }

  /** Appends revision `next` with the keys its events wrote (possibly none, for a replayed no-op). */
  append(events: readonly StoreWatchEvent[]): void {
    const revision = this.nextRevision++;
    for (const e of events) {
      const at = this.end++;
      if ((at & IN_CHUNK) === 0) this.chunks.push({ keys: new Array<string | undefined>(CHUNK), steps: new Uint8Array(CHUNK), starts: new Float64Array(CHUNK >> GROUP_BITS), far: undefined });
      const chunk = this.chunks[at >> CHUNK_BITS];
      const i = at & IN_CHUNK;
      chunk.keys[i] = e.kv.key;
      const step = revision - this.last;
      if (step < FAR) {
        chunk.steps[i] = step;
      } else {
        chunk.steps[i] = FAR;
        (chunk.far ??= new Map()).set(i, revision);
      }
      if ((i & (GROUP - 1)) === 0) chunk.starts[i >> GROUP_BITS] = revision;
      this.last = revision;
    }
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
    // The dropped entries of the first chunk kept: let go of their keys.
    const chunk = this.chunks[0];
    if (chunk !== undefined) for (let i = this.start; i < from; i++) chunk.keys[i] = undefined;
    this.start = from;
    this.first = Math.min(revision + 1, this.nextRevision);
  }

  /** Events of revisions `from..to` whose key passes `match`, in revision order. */
  between(from: number, to: number, match: (key: string) => boolean): StoreWatchEvent[] {
    const out: StoreWatchEvent[] = [];
    const i0 = this.indexAfter(Math.max(from, this.first) - 1);
    let revision = i0 < this.end ? this.revisionAt(i0) : 0;
    for (let i = i0; i < this.end; i++) {
      if (i > i0) revision = this.stepFrom(i, revision);
      if (revision > to) break;
      const key = this.keyAt(i);
      if (match(key)) out.push(this.eventOf(key, revision, this.nth(i, key)));
    }
    return out;
  }

  /**
   * Per-revision batches `from..to` (snapshots), one for every revision, with events or not, made as
   * they are read: a snapshot reads them over many turns of the event loop while writes go on.
   * Writes only append, so the entries read stay where they are; compacting through a revision not
   * yet read (which moves them) is what the caller must not do before it is done.
   */
  *batchesFrom(from: number, to = this.nextRevision - 1): Generator<RevisionBatch> {
    let i = this.indexAfter(Math.max(from, this.first) - 1);
    let at = i < this.end ? this.revisionAt(i) : Infinity;
    for (let revision = Math.max(from, this.first); revision <= to; revision++) {
      const events: StoreWatchEvent[] = [];
      for (; i < this.end && at === revision; i++, at = i < this.end ? this.stepFrom(i, at) : Infinity) {
        const key = this.keyAt(i);
        events.push(this.eventOf(key, revision, this.nth(i, key)));
      }
      yield { revision, events };
    }
  }

  /** How many entries the log holds. */
  get size(): number {
    return this.end - this.start;
  }

  private keyAt(i: number): string {
    return this.chunks[i >> CHUNK_BITS].keys[i & IN_CHUNK]!;
  }

  /** The revision of entry `i`, given `previous`, entry i - 1's. */
  private stepFrom(i: number, previous: number): number {
    const chunk = this.chunks[i >> CHUNK_BITS];
    const step = chunk.steps[i & IN_CHUNK];
    return step === FAR ? chunk.far!.get(i & IN_CHUNK)! : previous + step;
  }

  private revisionAt(i: number): number {
    const chunk = this.chunks[i >> CHUNK_BITS];
    const k = i & IN_CHUNK;
    let j = k & ~(GROUP - 1);
    let revision = chunk.starts[j >> GROUP_BITS];
    while (j < k) {
      const step = chunk.steps[++j];
      revision = step === FAR ? chunk.far!.get(j)! : revision + step;
    }
    return revision;
  }

  /** How many entries of the same revision before entry `i` wrote `key` too. */
  private nth(i: number, key: string): number {
    let n = 0;
    for (let j = i; j > this.start && this.chunks[j >> CHUNK_BITS].steps[j & IN_CHUNK] === 0; j--) if (this.keyAt(j - 1) === key) n++;
    return n;
  }

  /** The index of the first entry written after `revision`. */
  private indexAfter(revision: number): number {
    // The last group starting at or below `revision` (groups start at multiples of GROUP) ...
    let lo = this.start >> GROUP_BITS;
    let hi = (this.end + GROUP - 1) >> GROUP_BITS;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.groupStart(mid) <= revision) lo = mid + 1;
      else hi = mid;
    }
    // ... holds the first entry after it, or the group after it does.
    let i = Math.max(this.start, (lo - 1) << GROUP_BITS);
    if (i >= this.end) return this.end;
    let at = this.revisionAt(i);
    while (at <= revision && ++i < this.end) at = this.stepFrom(i, at);
    return i;
  }

  /** The revision of group `g`'s first entry. */
  private groupStart(g: number): number {
    const i = g << GROUP_BITS;
    return this.chunks[i >> CHUNK_BITS].starts[(i & IN_CHUNK) >> GROUP_BITS];
  }
}
