import { MvccEngine } from './engine';
import type { PackerStats } from './packing/value-packer';
import {
  Compare,
  KVStore,
  RangeOptions,
  RangeResult,
  StoreWatchEvent,
  StoreWatcher,
  TxnOp,
  TxnResult,
  WatchOptions,
} from './types';

/**
 * The MVCC store kept in memory only: every write is visible (and "durable") as soon as it is
 * applied. Used by tests and whenever the cluster runs without a data directory.
 *
 * KeyValues and watch events it returns are shared with the store's history: treat them as read-only.
 */
export class MemoryStore implements KVStore {
  private readonly engine = new MvccEngine();
  private closed = false;

  revision(): Promise<number> {
    return this.guard(() => this.engine.visibleRevision);
  }

  compactedRevision(): Promise<number> {
    return this.guard(() => this.engine.compactedRevision);
  }

  range(options: RangeOptions): Promise<RangeResult> {
    return this.guard(() => this.engine.range(options));
  }

  txn(compares: Compare[], success: TxnOp[], failure?: TxnOp[]): Promise<TxnResult> {
    return this.guard(() => {
      const { result, batch } = this.engine.txn(compares, success, failure);
      if (batch) this.engine.publish(batch.revision);
      return result;
    });
  }

  watch(options: WatchOptions, onEvents: (events: StoreWatchEvent[]) => void, onError?: (err: Error) => void): StoreWatcher {
    if (this.closed) {
      queueMicrotask(() => onError?.(storeClosed()));
      return { cancel: () => undefined };
    }
    return this.engine.watchers.watch(options, onEvents, onError);
  }

  compact(revision: number): Promise<void> {
    return this.guard(() => this.engine.compact(revision));
  }

  packValues(): Promise<number> {
    return this.guard(() => this.engine.packValues());
  }

  /** What the value packer has done so far (benchmarks). */
  get packerStats(): PackerStats {
    return this.engine.packerStats;
  }

  close(): Promise<void> {
    this.closed = true;
    this.engine.watchers.cancelAll();
    this.engine.close();
    return Promise.resolve();
  }

  private guard<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(storeClosed());
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

export function storeClosed(): Error {
  return new Error('store is closed');
}
