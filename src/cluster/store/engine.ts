import { EventLog, RevisionBatch } from './event-log';
import { StoredKv } from './packing/stored-kv';
import { PackerStats, ValuePacker } from './packing/value-packer';
import { SortedIndex } from './sorted-index';
import {
  CompactedError,
  Compare,
  FutureRevisionError,
  KeyValue,
  RangeOptions,
  RangeResult,
  StoreWatchEvent,
  TxnOp,
  TxnOpResult,
  TxnResult,
} from './types';
import { WatchHub } from './watch-hub';

/**
 * The in-memory MVCC engine both stores share (see types.ts for the data model).
 *
 * Layout:
 * - every key that has retained history has a slot in a Map: its one retained version itself (a
 *   `StoredKv`, the common case: most keys hold a single version between compactions, and one object
 *   less per key is a good part of what a key costs at 150,000 pods), or the array of its versions
 *   in revision order once it has several (`Slot`). A delete appends a tombstone (version 0, empty
 *   value) that ends the generation. A `SortedIndex` of the keys gives key order for range scans.
 * - `log` holds the versions written by every revision after the compacted one, which watchers
 *   replay as events (`eventOf` makes each from the key's history).
 *
 * The engine applies writes synchronously. What readers and watchers see is a separate, published
 * revision: the memory store publishes at once, the durable store only after the write's fsync, so
 * nothing a client can observe is ever lost in a crash. Transactions compare against the newest
 * applied state, which keeps compare-and-swap linearizable while writes wait for their fsync.
 *
 * KeyValue and event objects are shared between history, results and watchers, and are not copied
 * or frozen (freezing cost a fifth of put throughput): callers must treat them as read-only.
 *
 * Values: every version is a `StoredKv`, whose text a background packer deflates once it has not
 * been written for a while (packing/value-packer.ts); `value` inflates it again on read.
 */

/**
 * What the engine holds for a key: its only retained version, or, once it has several, every
 * retained version in revision order (two or more, the newest last). A history array is never
 * changed in place (snapshots hold old ones): a write or a compaction replaces it (see
 * `appended`). It is the slot itself, with no record object around it: a record (key, newest
 * version, history) cost 50 bytes a key with history, ~150,000 of them after a bring-up of as many
 * pods, for what the array says already.
 */
type Slot = StoredKv | StoredKv[];

function latestOf(slot: Slot): StoredKv {
  return Array.isArray(slot) ? slot[slot.length - 1] : slot;
}

function historyOf(slot: Slot): StoredKv[] {
  return Array.isArray(slot) ? slot : [slot];
}

function keyOf(slot: Slot): string {
  return Array.isArray(slot) ? slot[0].key : slot.key;
}

/** One write of a transaction as it is logged: [key, value] for a put, [key] for a delete. */
export type Mutation = [key: string, value: string] | [key: string];

export type { RevisionBatch };

export interface AppliedTxn {
  result: TxnResult;
  /** The revision this transaction wrote, if it changed anything. */
  batch?: RevisionBatch;
}

/** Whether `key` is in the range [start, end) with etcd's conventions (no end: one key; '\0': no upper bound). */
export function inRange(key: string, start: string, end: string | undefined): boolean {
  if (end === undefined) return key === start;
  return key >= start && (end === '\0' || key < end);
}

export class MvccEngine {
  private readonly records = new Map<string, Slot>();
  private readonly index = new SortedIndex();
  private current = 1;
  private published = 1;
  private compacted = 0;
  private log = new EventLog(2, (key, revision, nth) => this.eventOf(key, revision, nth));
  readonly watchers: WatchHub;
  private readonly packer = new ValuePacker({
    holds: (kv) => this.holds(kv),
    isLatest: (kv) => {
      const slot = this.records.get(kv.key);
      return slot !== undefined && latestOf(slot) === kv;
    },
    versions: (key) => {
      const slot = this.records.get(key);
      return slot === undefined ? undefined : historyOf(slot);
    },
    scan: (start, end, visit) =>
      this.index.scan(start, end, (key) => {
        const latest = latestOf(this.records.get(key)!);
        return latest.version === 0 || visit(latest);
      }),
  });

  constructor() {
    this.watchers = new WatchHub({
      visibleRevision: () => this.published,
      compactedRevision: () => this.compacted,
      eventsBetween: (from, to, key, end) => this.eventsBetween(from, to, key, end),
    });
  }

  /** The newest applied revision (may be ahead of the published one in a durable store). */
  get appliedRevision(): number {
    return this.current;
  }

  get visibleRevision(): number {
    return this.published;
  }

  get compactedRevision(): number {
    return this.compacted;
  }

  get keyCount(): number {
    return this.index.size;
  }

  /** Packs every value now instead of in the background (see ValuePacker.packAll); how many it packed. */
  packValues(): number {
    return this.packer.packAll();
  }

  get packerStats(): PackerStats {
    return this.packer.summary;
  }

  /** Stops the background packer (the store is closing). */
  close(): void {
    this.packer.stop();
  }

  /** Makes revisions up to `revision` visible to readers and watchers. */
  publish(revision: number): void {
    if (revision <= this.published) return;
    this.published = Math.min(revision, this.current);
    this.watchers.schedule();
  }

  txn(compares: Compare[], success: TxnOp[], failure: TxnOp[] = []): AppliedTxn {
    for (const op of success) validateOp(op);
    for (const op of failure) validateOp(op);
    const succeeded = compares.every((c) => this.compare(c));
    const ops = succeeded ? success : failure;
    const revision = this.current + 1;
    const events: StoreWatchEvent[] = [];
    const results: TxnOpResult[] = [];
    for (const op of ops) {
      if (op.type === 'put') {
        const event = this.put(op.key, op.value, revision);
        events.push(event);
        results.push(event.prevKv ? { type: 'put', prevKv: event.prevKv } : { type: 'put' });
      } else if (op.type === 'delete') {
        const event = this.delete(op.key, revision);
        if (event) events.push(event);
        results.push(event ? { type: 'delete', deleted: 1, prevKv: event.prevKv } : { type: 'delete', deleted: 0 });
      } else {
        // A range inside a transaction sees the transaction's own earlier writes.
        results.push({ type: 'range', kvs: this.scan(op.key, op.end, revision) });
      }
    }
    if (events.length === 0) return { result: { succeeded, revision: this.current, results } };
    const batch: RevisionBatch = { revision, events };
    this.current = revision;
    this.log.append(events);
    return { result: { succeeded, revision, results }, batch };
  }

  /** Re-applies a logged revision (log replay, snapshot load). */
  replay(revision: number, mutations: readonly Mutation[]): void {
    if (revision !== this.current + 1) {
      throw new Error(`store log is not contiguous: expected revision ${this.current + 1}, found ${revision}`);
    }
    const events: StoreWatchEvent[] = [];
    for (const m of mutations) {
      const event = m.length === 2 ? this.put(m[0], m[1], revision) : this.delete(m[0], revision);
      if (event) events.push(event);
    }
    this.current = revision;
    this.log.append(events);
  }

  /** Loads the state at a compacted revision into an empty engine (snapshot load). */
  loadBase(compacted: number, revision: number, kvs: readonly KeyValue[]): void {
    if (this.records.size > 0 || this.current !== 1) throw new Error('loadBase needs an empty store');
    for (const kv of kvs) {
      const copy = new StoredKv(kv.key, kv.value, kv.createRevision, kv.modRevision, kv.version);
      this.packer.track(copy, kv.value.length);
      this.records.set(kv.key, copy);
      this.index.insert(kv.key);
    }
    this.compacted = compacted;
    this.current = Math.max(1, revision);
    this.published = this.current;
    this.log = new EventLog(this.current + 1, (key, revision, nth) => this.eventOf(key, revision, nth));
  }

  range(options: RangeOptions): RangeResult {
    const revision = options.revision && options.revision > 0 ? options.revision : this.published;
    this.checkReadable(revision);
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const kvs: KeyValue[] = [];
    let count = 0;
    this.visit(options.key, options.end, revision, (kv) => {
      count++;
      if (!options.countOnly && kvs.length < limit) kvs.push(kv);
    });
    return { kvs, count, more: !options.countOnly && count > kvs.length, revision };
  }

  /**
   * Forgets history before `revision`: each key keeps its newest version at or below it (dropped
   * too if that is a tombstone), and the watch log keeps revisions above it.
   */
  compact(revision: number): void {
    if (revision <= this.compacted) throw new CompactedError(revision, this.compacted);
    if (revision > this.published) throw new FutureRevisionError(revision, this.published);
    for (const [key, slot] of this.records) {
      if (!Array.isArray(slot)) {
        if (slot.version !== 0) continue;
        if (slot.modRevision <= revision) {
          this.records.delete(key);
          this.index.remove(key);
        }
        continue;
      }
      const h = slot;
      let keep = lastAtOrBefore(h, revision);
      if (keep >= 0 && h[keep].version === 0) keep++;
      if (keep <= 0) continue;
      if (keep >= h.length) {
        this.records.delete(key);
        this.index.remove(key);
      } else if (keep === h.length - 1) {
        // Back to a single version: the version is the slot (setting an existing key does not
        // disturb this iteration).
        this.records.set(key, h[keep]);
      } else {
        this.records.set(key, h.slice(keep));
      }
    }
    this.log.compactThrough(revision);
    this.compacted = revision;
    this.packer.compacted();
    this.watchers.schedule();
  }

  /** Every retained key's history arrays (a consistent capture for a background snapshot). */
  captureHistories(): StoredKv[][] {
    return this.index.toArray().map((key) => historyOf(this.records.get(key)!));
  }

  /** The retained watch log from revision `from` on. */
  logFrom(from: number): RevisionBatch[] {
    return this.log.batchesFrom(from);
  }

  private eventsBetween(from: number, to: number, key: string, end: string | undefined): StoreWatchEvent[] {
    return this.log.between(from, Math.min(to, this.current), (k) => inRange(k, key, end));
  }

  private checkReadable(revision: number): void {
    if (revision > this.published) throw new FutureRevisionError(revision, this.published);
    if (revision < this.compacted) throw new CompactedError(revision, this.compacted);
  }

  private scan(key: string, end: string | undefined, revision: number): KeyValue[] {
    const kvs: KeyValue[] = [];
    this.visit(key, end, revision, (kv) => kvs.push(kv));
    return kvs;
  }

  /** Visits the live key-values of [key, end) as of `revision`, in key order. */
  private visit(key: string, end: string | undefined, revision: number, fn: (kv: KeyValue) => void): void {
    if (end === undefined) {
      const slot = this.records.get(key);
      const kv = slot && versionOf(slot, revision);
      if (kv) fn(kv);
      return;
    }
    if (end !== '\0' && end <= key) return;
    this.index.scan(key, end === '\0' ? undefined : end, (k) => {
      const kv = versionOf(this.records.get(k)!, revision);
      if (kv) fn(kv);
    });
  }

  private compare(c: Compare): boolean {
    const slot = this.records.get(c.key);
    const latest = slot && latestOf(slot);
    const kv = latest && latest.version !== 0 ? latest : undefined;
    let actual: number | string;
    let expected: number | string;
    if (c.target === 'value') {
      actual = kv?.value ?? '';
      expected = String(c.value);
    } else {
      actual = kv ? (c.target === 'create' ? kv.createRevision : c.target === 'mod' ? kv.modRevision : kv.version) : 0;
      expected = Number(c.value);
    }
    switch (c.result) {
      case '=':
        return actual === expected;
      case '!=':
        return actual !== expected;
      case '<':
        return actual < expected;
      case '>':
        return actual > expected;
    }
  }

  private put(key: string, value: string, revision: number): StoreWatchEvent {
    const slot = this.records.get(key);
    const latest = slot && latestOf(slot);
    const prev = latest && latest.version !== 0 ? latest : undefined;
    const kv = new StoredKv(
      // The slot's own key string: the caller's is a new string per write, and every retained
      // version (and the newest one, for as long as the key lives) would keep its own copy.
      slot ? keyOf(slot) : key,
      value,
      prev ? prev.createRevision : revision,
      revision,
      prev ? prev.version + 1 : 1,
    );
    this.packer.track(kv, value.length);
    if (slot) {
      this.records.set(key, appended(slot, kv));
    } else {
      this.records.set(key, kv);
      this.index.insert(key);
    }
    return prev ? { type: 'put', kv, prevKv: prev } : { type: 'put', kv };
  }

  private delete(key: string, revision: number): StoreWatchEvent | undefined {
    const slot = this.records.get(key);
    const latest = slot && latestOf(slot);
    if (!slot || !latest || latest.version === 0) return undefined;
    const tombstone = new StoredKv(keyOf(slot), '', 0, revision, 0);
    this.records.set(key, appended(slot, tombstone));
    return { type: 'delete', kv: tombstone, prevKv: latest };
  }

  /**
   * The watch event of the `nth` write of `key` at `revision`, a write the log holds: a delete if
   * it left a tombstone, and the key's version before it as prevKv if that one was live (as `put`
   * and `delete` made it). The key's history holds both: the log covers revisions after the
   * compacted one, and compaction keeps every version written after it and the newest one at or
   * before it (a tombstone there goes, but it would not have been a prevKv).
   */
  private eventOf(key: string, revision: number, nth: number): StoreWatchEvent {
    const slot = this.records.get(key)!;
    let kv: StoredKv;
    let prev: StoredKv | undefined;
    if (Array.isArray(slot)) {
      const h = slot;
      // One transaction may write a key more than once (a put, then a delete): same modRevision.
      let at = lastAtOrBefore(h, revision);
      while (at > 0 && h[at - 1].modRevision === revision) at--;
      at += nth;
      kv = h[at];
      if (at > 0) prev = h[at - 1];
    } else {
      kv = slot;
    }
    if (kv.version === 0) return { type: 'delete', kv, prevKv: prev };
    // A key's first version has no live one before it (an Event, most of what a cluster writes).
    return prev !== undefined && prev.version !== 0 && kv.version !== 1 ? { type: 'put', kv, prevKv: prev } : { type: 'put', kv };
  }

  /** Whether a version is still retained (compaction drops superseded versions at or below its revision). */
  private holds(kv: StoredKv): boolean {
    if (kv.modRevision > this.compacted) return true;
    const slot = this.records.get(kv.key);
    return slot === kv || (Array.isArray(slot) && (slot[slot.length - 1] === kv || slot[0] === kv));
  }
}

/**
 * `history` and `kv` in a new array of their exact length: a pushed-to array grows its backing
 * store by half plus 16 slots (a key's third version took 210 bytes of array instead of 73), and
 * most keys stop at three or four versions until compaction. History arrays are never changed in
 * place (snapshots hold old ones), and a key has few enough versions between compactions that
 * copying them on each write costs less than a put's other work.
 */
function appended(slot: Slot, kv: StoredKv): StoredKv[] {
  return Array.isArray(slot) ? slot.concat([kv]) : [slot, kv];
}

function validateOp(op: TxnOp): void {
  if (typeof op.key !== 'string' || op.key.length === 0) throw new Error('etcdserver: key is not provided');
  if (op.type === 'put' && typeof op.value !== 'string') throw new Error(`store values are strings (key ${op.key})`);
}

function versionOf(slot: Slot, revision: number): KeyValue | undefined {
  const latest = latestOf(slot);
  if (latest.modRevision <= revision) return latest.version !== 0 ? latest : undefined;
  return Array.isArray(slot) ? versionAt(slot, revision) : undefined;
}

/** The live version of a key as of `revision`, or undefined if it did not exist then. */
export function versionAt(history: readonly KeyValue[], revision: number): KeyValue | undefined {
  const last = history[history.length - 1];
  const kv = last.modRevision <= revision ? last : history[lastAtOrBefore(history, revision)];
  return kv && kv.version !== 0 ? kv : undefined;
}

/** Index of the last version with modRevision <= revision, -1 if none. */
function lastAtOrBefore(history: readonly KeyValue[], revision: number): number {
  let lo = 0;
  let hi = history.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (history[mid].modRevision <= revision) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
