import { EventLog, RevisionBatch } from './event-log';
import { Fossils } from './packing/fossil';
import { StoredKv, StoredKvWithPast, pastOf } from './packing/stored-kv';
import { MIN_PACKED_LENGTH, PackerStats, ValuePacker } from './packing/value-packer';
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
 * - every key that has retained history has its newest version in a Map (its slot), and that
 *   version has the one before it as its `past` (stored-kv.ts), and so on back to the oldest one
 *   retained: no array or record per key (at 150,000 pods an array of versions was ~72 bytes a
 *   pod). A delete writes a tombstone (version 0, empty value) that ends the generation. Once the
 *   packer has packed superseded versions, the engine folds them into one fossil string, the past
 *   of the version after them (`fold`, packing/fossil.ts), and makes objects of them again when
 *   they are read (`versions`). A `SortedIndex` of the keys gives key order for range scans.
 * - `log` holds the key and revision of every write after the compacted one, which watchers
 *   replay as events (`eventOf` makes each from the key's history).
 *
 * The engine applies writes synchronously. What readers and watchers see is a separate, published
 * revision: the memory store publishes at once, the durable store only after the write's fsync, so
 * nothing a client can observe is ever lost in a crash. Transactions compare against the newest
 * applied state, which keeps compare-and-swap linearizable while writes wait for their fsync.
 *
 * KeyValue and event objects are shared between history, results and watchers, and are not copied
 * or frozen (freezing cost a fifth of put throughput): callers must treat them as read-only. A
 * version read from a fossil is a new object at each read (its text still packed, shared).
 *
 * Values: every version is a `StoredKv`, whose text a background packer deflates once it has not
 * been written for a while (packing/value-packer.ts); `value` inflates it again on read.
 */

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
  private readonly records = new Map<string, StoredKv>();
  private readonly fossils = new Fossils();
  private readonly index = new SortedIndex();
  private current = 1;
  private published = 1;
  private compacted = 0;
  private log = new EventLog(2, (key, revision, nth) => this.eventOf(key, revision, nth));
  readonly watchers: WatchHub;
  private readonly packer = new ValuePacker({
    holds: (kv) => this.holds(kv),
    isLatest: (kv) => this.records.get(kv.key) === kv,
    successor: (kv) => this.successor(kv),
    fold: (key) => this.fold(key),
    scan: (start, end, visit) =>
      this.index.scan(start, end, (key) => {
        const latest = this.records.get(key)!;
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
    for (const [key, latest] of this.records) {
      if (latest.version === 0 && latest.modRevision <= revision) {
        this.dropPast(latest);
        this.records.delete(key);
        this.index.remove(key);
        continue;
      }
      // The newest version at or below `revision` stays (not a tombstone: a delete's generation
      // has ended), and everything before it goes.
      let newer = latest;
      let kv = latest.modRevision <= revision ? undefined : pastOf(latest);
      while (kv instanceof StoredKv && kv.modRevision > revision) {
        newer = kv;
        kv = pastOf(kv);
      }
      if (kv === undefined || newer.modRevision <= revision) {
        if (newer.modRevision <= revision) this.cutPast(newer);
      } else if (typeof kv === 'string') {
        (newer as StoredKvWithPast).past = this.fossils.cut(newer, kv, revision);
      } else if (kv.version === 0) {
        this.cutPast(newer);
      } else {
        this.cutPast(kv);
      }
    }
    this.log.compactThrough(revision);
    this.compacted = revision;
    this.packer.compacted();
    this.watchers.schedule();
  }

  /**
   * The live version of every retained key at `revision`, in key order: a capture for a background
   * snapshot, which may read their values later (a version's value never changes; one made from a
   * fossil refers to its packed text itself, not to the fossil). Made as it is read, over many
   * turns of the event loop: keys written meanwhile are read at `revision` all the same, and keys
   * created meanwhile have no version there. History at `revision` must stay: the caller holds
   * compaction back until it is done.
   */
  *captureAt(revision: number): Generator<KeyValue> {
    for (const key of this.index.toArray()) {
      const record = this.records.get(key);
      const kv = record && this.versionOf(record, revision);
      if (kv) yield kv;
    }
  }

  /** The retained watch log of revisions `from..to`, made as it is read (see captureAt). */
  logFrom(from: number, to: number): Iterable<RevisionBatch> {
    return this.log.batchesFrom(from, to);
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
      const latest = this.records.get(key);
      const kv = latest && this.versionOf(latest, revision);
      if (kv) fn(kv);
      return;
    }
    if (end !== '\0' && end <= key) return;
    this.index.scan(key, end === '\0' ? undefined : end, (k) => {
      const kv = this.versionOf(this.records.get(k)!, revision);
      if (kv) fn(kv);
    });
  }

  private compare(c: Compare): boolean {
    const latest = this.records.get(c.key);
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
    const latest = this.records.get(key);
    const prev = latest && latest.version !== 0 ? latest : undefined;
    const kv =
      latest === undefined
        ? new StoredKv(key, value, revision, revision, 1)
        : new StoredKvWithPast(
            // The slot's own key string: the caller's is a new string per write, and every retained
            // version (and the newest one, for as long as the key lives) would keep its own copy.
            latest.key,
            value,
            prev ? prev.createRevision : revision,
            revision,
            prev ? prev.version + 1 : 1,
            latest,
          );
    this.packer.track(kv, value.length);
    this.records.set(key, kv);
    if (latest === undefined) this.index.insert(key);
    return prev ? { type: 'put', kv, prevKv: prev } : { type: 'put', kv };
  }

  private delete(key: string, revision: number): StoreWatchEvent | undefined {
    const latest = this.records.get(key);
    if (!latest || latest.version === 0) return undefined;
    const tombstone = new StoredKvWithPast(latest.key, '', 0, revision, 0, latest);
    this.records.set(key, tombstone);
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
    const latest = this.records.get(key)!;
    const past = pastOf(latest);
    // What a watcher that keeps up reads: the key's newest version, written alone in its revision,
    // the version before it (if any) still an object.
    if (latest.modRevision === revision && nth === 0 && typeof past !== 'string' && (past === undefined || past.modRevision < revision)) {
      if (latest.version === 0) return { type: 'delete', kv: latest, prevKv: past };
      return past !== undefined && latest.version !== 1 ? { type: 'put', kv: latest, prevKv: past } : { type: 'put', kv: latest };
    }
    // Newest first: the writes of `revision` (one transaction may write a key more than once, a
    // put then a delete: the same modRevision), then the version before them.
    const written: StoredKv[] = [];
    let prev: StoredKv | undefined;
    this.versions(latest, (kv) => {
      if (kv.modRevision > revision) return true;
      if (kv.modRevision === revision) {
        written.push(kv);
        return true;
      }
      prev = kv;
      return false;
    });
    const at = written.length - 1 - nth;
    const kv = written[at];
    if (at + 1 < written.length) prev = written[at + 1];
    if (kv.version === 0) return { type: 'delete', kv, prevKv: prev };
    // A key's first version has no live one before it (an Event, most of what a cluster writes).
    return prev !== undefined && prev.version !== 0 && kv.version !== 1 ? { type: 'put', kv, prevKv: prev } : { type: 'put', kv };
  }

  /**
   * Visits `latest` and the versions before it, newest first, until `visit` returns false; versions
   * folded into a fossil are made into objects of their own as they are reached.
   */
  private versions(latest: StoredKv, visit: (kv: StoredKv) => boolean): void {
    let holder = latest;
    if (!visit(latest)) return;
    let past = pastOf(latest);
    while (past instanceof StoredKv) {
      if (!visit(past)) return;
      holder = past;
      past = pastOf(past);
    }
    if (past !== undefined) this.fossils.thaw(latest.key, holder, past, visit);
  }

  /** The live version of the key whose newest version is `latest` as of `revision`, if it had one. */
  private versionOf(latest: StoredKv, revision: number): KeyValue | undefined {
    let found: StoredKv | string | undefined = latest;
    let holder = latest;
    while (found instanceof StoredKv && found.modRevision > revision) {
      holder = found;
      found = pastOf(found);
    }
    if (typeof found === 'string') found = this.fossils.at(latest.key, holder, found, revision);
    return found && found.version !== 0 ? found : undefined;
  }

  /** Drops what `kv` retains before it. */
  private cutPast(kv: StoredKv): void {
    if (!(kv instanceof StoredKvWithPast) || kv.past === undefined) return;
    this.dropPast(kv);
    kv.past = undefined;
  }

  /** Lets go of the fossil in `latest`'s chain of versions, if any (the chain is being dropped). */
  private dropPast(latest: StoredKv): void {
    let holder = latest;
    let past = pastOf(latest);
    while (past instanceof StoredKv) {
      holder = past;
      past = pastOf(past);
    }
    if (past !== undefined) this.fossils.release(holder, past);
  }

  /**
   * The version after `kv` (a superseded version still an object of its own) and how many deltas
   * a read would apply if `kv` became a delta against it: its own, those it would be read through
   * (the next version may be a delta in turn), and those read through it (older versions that are
   * deltas against it).
   */
  private successor(kv: StoredKv): { base: StoredKv; chain: number } | undefined {
    const latest = this.records.get(kv.key);
    if (latest === undefined || latest === kv) return undefined;
    let newer = latest;
    let past = pastOf(latest);
    while (past instanceof StoredKv && past !== kv) {
      newer = past;
      past = pastOf(past);
    }
    if (past !== kv) return undefined;
    let chain = 1;
    for (let next = newer.deltaBase; next !== undefined; next = next.deltaBase) chain++;
    let holder = kv;
    let older = pastOf(kv);
    while (older instanceof StoredKv && older.deltaBase === holder) {
      chain++;
      holder = older;
      older = pastOf(older);
    }
    if (typeof older === 'string') chain += this.fossils.leadingDeltas(holder, older);
    return { base: newer, chain };
  }

  /**
   * Folds the superseded versions of `key` the packer is done with into the fossil of the version
   * after them: the oldest versions still objects of their own, as far back as each holds its text
   * packed (or too short to pack, or is a tombstone).
   */
  private fold(key: string): void {
    const latest = this.records.get(key);
    // Most keys have no superseded version still an object (events; folded already).
    if (latest === undefined || !(pastOf(latest) instanceof StoredKv)) return;
    const chain: StoredKv[] = [latest];
    let past = pastOf(latest);
    while (past instanceof StoredKv) {
      chain.push(past);
      past = pastOf(past);
    }
    // chain[from..] (oldest last) fold; chain[from - 1] holds them.
    let from = chain.length;
    while (from > 1 && foldable(chain[from - 1], chain[from - 2])) from--;
    if (from === chain.length) return;
    const holder = chain[from - 1] as StoredKvWithPast;
    holder.past = this.fossils.fold(holder, chain.slice(from), past);
  }

  /** Whether a version is still retained (compaction drops superseded versions at or below its revision). */
  private holds(kv: StoredKv): boolean {
    if (kv.modRevision > this.compacted) return true;
    for (let v: StoredKv | string | undefined = this.records.get(kv.key); v instanceof StoredKv; v = pastOf(v)) if (v === kv) return true;
    return false;
  }
}

function validateOp(op: TxnOp): void {
  if (typeof op.key !== 'string' || op.key.length === 0) throw new Error('etcdserver: key is not provided');
  if (op.type === 'put' && typeof op.value !== 'string') throw new Error(`store values are strings (key ${op.key})`);
}

/** Whether `kv`, the version before `newer`, can go into a fossil: what the packer will do with its text is done. */
function foldable(kv: StoredKv, newer: StoredKv): boolean {
  const done = kv.packed || kv.version === 0 || kv.value.length < MIN_PACKED_LENGTH;
  return done && Fossils.foldable(kv, newer);
}
