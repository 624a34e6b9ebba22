/**
 * The storage interface the API server is written against: etcd v3's data model, so that a real
 * etcd can sit behind it (see DESIGN.md, "Growth beyond one machine").
 *
 * Data model and guarantees:
 * - One global `revision` counter, starting at 1 for an empty store, incremented by exactly one by
 *   every transaction that writes (however many keys it writes). Read-only transactions do not bump it.
 * - Each key has `createRevision` (revision of the put that created this generation of the key),
 *   `modRevision` (revision of its last put) and `version` (puts since creation, 1 for a new key).
 *   A delete ends the generation; a later put starts a new one with version 1.
 * - `range` reads a consistent snapshot at `revision` (default: current). Keys are ordered by byte order.
 * - `txn` is atomic: compares are evaluated and either `success` or `failure` ops are applied, all at
 *   one revision. This is how the API server does compare-and-swap (optimistic concurrency).
 * - A promise returned by a write resolves only once the write is durable (for durable stores, after
 *   fsync); a write that rejected was not applied.
 * - `watch` delivers every event of revision >= `startRevision`, in revision order, with no gaps,
 *   each exactly once. Events of one transaction are delivered together. Watching from a revision at or below the compacted revision
 *   fails with `CompactedError`.
 * - `compact(rev)` forgets history before `rev`; reads at a lower revision then fail with `CompactedError`.
 */

export interface KeyValue {
  key: string;
  /** The stored value (the API server stores JSON text). Empty for delete events. */
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
}

export type CompareTarget = 'create' | 'mod' | 'version' | 'value';
export type CompareResult = '=' | '!=' | '<' | '>';

/** Compares a key's current `target` with `value`. A missing key has create/mod/version 0 and value ''. */
export interface Compare {
  key: string;
  target: CompareTarget;
  result: CompareResult;
  value: number | string;
}

export type TxnOp =
  | { type: 'put'; key: string; value: string }
  | { type: 'delete'; key: string }
  | { type: 'range'; key: string; end?: string };

export type TxnOpResult =
  | { type: 'put'; prevKv?: KeyValue }
  | { type: 'delete'; deleted: number; prevKv?: KeyValue }
  | { type: 'range'; kvs: KeyValue[] };

export interface TxnResult {
  succeeded: boolean;
  /** The store revision after the transaction (the new revision if it wrote). */
  revision: number;
  results: TxnOpResult[];
}

export interface RangeOptions {
  /** First key (inclusive). */
  key: string;
  /** End of the range (exclusive). Omitted: only `key`. Use `prefixEnd(prefix)` for a prefix. */
  end?: string;
  /** Snapshot revision; 0 or omitted means the current revision. */
  revision?: number;
  /** At most this many keys; `more` tells whether there were more. 0 or omitted: no limit. */
  limit?: number;
  /** Only count, return no kvs. */
  countOnly?: boolean;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** Total number of keys in the range at that revision (ignoring limit). */
  count: number;
  more: boolean;
  /** The revision the read was served at. */
  revision: number;
}

export interface StoreWatchEvent {
  type: 'put' | 'delete';
  /** For delete: the key with modRevision = the delete's revision and an empty value. */
  kv: KeyValue;
  /** The previous value of the key, if it existed. */
  prevKv?: KeyValue;
}

export interface WatchOptions {
  key: string;
  /** Exclusive end of the watched range; use `prefixEnd(prefix)` to watch a prefix. Omitted: one key. */
  end?: string;
  /** First revision to deliver. 0 or omitted: only changes after now. */
  startRevision?: number;
}

export interface StoreWatcher {
  cancel(): void;
}

export interface KVStore {
  /** The current revision. */
  revision(): Promise<number>;
  /** The revision below which history has been compacted (0 if never). */
  compactedRevision(): Promise<number>;
  range(options: RangeOptions): Promise<RangeResult>;
  txn(compares: Compare[], success: TxnOp[], failure?: TxnOp[]): Promise<TxnResult>;
  /**
   * Starts a watch. Events arrive in batches (one batch per revision or more), in revision order.
   * `onError` is called at most once, after which no more events arrive (e.g. CompactedError).
   */
  watch(options: WatchOptions, onEvents: (events: StoreWatchEvent[]) => void, onError?: (err: Error) => void): StoreWatcher;
  compact(revision: number): Promise<void>;
  /**
   * Resolves once no acknowledged write is still waiting for the disk; undefined when none is.
   * The cluster clock waits for it before moving on (stores without a disk have nothing to wait for).
   */
  pendingWrites?(): Promise<void> | undefined;
  /**
   * Packs (deflates in memory) every value the store holds now, instead of leaving it to the
   * background pass that packs values once they have not been written for a while; resolves with
   * how many it packed. Reads are unaffected either way. For tests and a benchmark's settle step.
   */
  packValues?(): Promise<number>;
  /** Flushes and releases files; later calls reject. */
  close(): Promise<void>;
}

/** The requested revision has been compacted away (etcd: "mvcc: required revision has been compacted"). */
export class CompactedError extends Error {
  constructor(readonly requestedRevision: number, readonly compactedRevision: number) {
    super(`mvcc: required revision has been compacted (requested ${requestedRevision}, compacted ${compactedRevision})`);
    this.name = 'CompactedError';
  }
}

/** The requested revision is newer than the store's current revision. */
export class FutureRevisionError extends Error {
  constructor(readonly requestedRevision: number, readonly currentRevision: number) {
    super(`mvcc: required revision is a future revision (requested ${requestedRevision}, current ${currentRevision})`);
    this.name = 'FutureRevisionError';
  }
}

/** The smallest key greater than every key that starts with `prefix` (etcd's clientv3.GetPrefixRangeEnd). */
export function prefixEnd(prefix: string): string {
  if (prefix.length === 0) return '\0';
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}
