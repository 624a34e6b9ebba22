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
 * - every key that has retained history has a `KeyRecord` holding its versions in revision order;
 *   a delete appends a tombstone (version 0, empty value) that ends the generation. Records are
 *   found by key through a Map and in key order through a `SortedIndex`.
 * - `log` holds the events of every revision after the compacted one, which watchers replay.
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

export interface KeyRecord {
  readonly key: string;
  /**
   * The newest version, kept on the record itself so that scanning many keys at the current
   * revision touches one object per key.
   */
  latest: StoredKv;
  /**
   * Every retained version in revision order (ending with `latest`), or undefined while `latest` is
   * the only one: most keys have a single retained version, and not allocating an array for them
   * is a good part of what a new key costs. Replaced, never shortened in place (snapshots hold old
   * arrays).
   */
  history: StoredKv[] | undefined;
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
  private readonly records = new Map<string, KeyRecord>();
  private readonly index = new SortedIndex<KeyRecord>();
  private current = 1;
  private published = 1;
  private compacted = 0;
  private log = new EventLog(2);
  readonly watchers: WatchHub;
  private readonly packer = new ValuePacker({
    holds: (kv) => this.holds(kv),
    isLatest: (kv) => this.records.get(kv.key)?.latest === kv,
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
      const record: KeyRecord = { key: kv.key, latest: copy, history: undefined };
      this.records.set(kv.key, record);
      this.index.insert(record);
    }
    this.compacted = compacted;
    this.current = Math.max(1, revision);
    this.published = this.current;
    this.log = new EventLog(this.current + 1);
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
    for (const record of this.records.values()) {
      const h = record.history ?? [record.latest];
      if (h.length === 1 && h[0].version !== 0) continue;
      let keep = lastAtOrBefore(h, revision);
      if (keep >= 0 && h[keep].version === 0) keep++;
      if (keep <= 0) continue;
      if (keep >= h.length) {
        this.records.delete(record.key);
        this.index.remove(record.key);
      } else {
        record.history = keep === h.length - 1 ? undefined : h.slice(keep);
      }
    }
    this.log.compactThrough(revision);
    this.compacted = revision;
    this.watchers.schedule();
  }

  /** Every retained key's history arrays (a consistent capture for a background snapshot). */
  captureHistories(): StoredKv[][] {
    return this.index.toArray().map((r) => r.history ?? [r.latest]);
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
      const record = this.records.get(key);
      const kv = record && versionOf(record, revision);
      if (kv) fn(kv);
      return;
    }
    if (end !== '\0' && end <= key) return;
    this.index.scan(key, end === '\0' ? undefined : end, (record) => {
      const kv = versionOf(record, revision);
      if (kv) fn(kv);
    });
  }

  private compare(c: Compare): boolean {
    const record = this.records.get(c.key);
    const latest = record?.latest;
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
    let record = this.records.get(key);
    const latest = record?.latest;
    const prev = latest && latest.version !== 0 ? latest : undefined;
    const kv = new StoredKv(
      // The record's own key string: the caller's is a new string per write, and every retained
      // version (and the newest one, for as long as the key lives) would keep its own copy.
      record ? record.key : key,
      value,
      prev ? prev.createRevision : revision,
      revision,
      prev ? prev.version + 1 : 1,
    );
    this.packer.track(kv, value.length);
    if (record) {
      if (record.history) record.history.push(kv);
      else record.history = [record.latest, kv];
      record.latest = kv;
    } else {
      record = { key, latest: kv, history: undefined };
      this.records.set(key, record);
      this.index.insert(record);
    }
    return prev ? { type: 'put', kv, prevKv: prev } : { type: 'put', kv };
  }

  private delete(key: string, revision: number): StoreWatchEvent | undefined {
    const record = this.records.get(key);
    const latest = record?.latest;
    if (!record || !latest || latest.version === 0) return undefined;
    const tombstone = new StoredKv(record.key, '', 0, revision, 0);
    if (record.history) record.history.push(tombstone);
    else record.history = [latest, tombstone];
    record.latest = tombstone;
    return { type: 'delete', kv: tombstone, prevKv: latest };
  }

  /** Whether a version is still retained (compaction drops superseded versions at or below its revision). */
  private holds(kv: StoredKv): boolean {
    if (kv.modRevision > this.compacted) return true;
    const record = this.records.get(kv.key);
    return record !== undefined && (record.latest === kv || record.history?.[0] === kv);
  }
}

function validateOp(op: TxnOp): void {
  if (typeof op.key !== 'string' || op.key.length === 0) throw new Error('etcdserver: key is not provided');
  if (op.type === 'put' && typeof op.value !== 'string') throw new Error(`store values are strings (key ${op.key})`);
}

function versionOf(record: KeyRecord, revision: number): KeyValue | undefined {
  const latest = record.latest;
  if (latest.modRevision <= revision) return latest.version !== 0 ? latest : undefined;
  return record.history ? versionAt(record.history, revision) : undefined;
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
