import { mkdirSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MvccEngine } from './engine';
import type { PackerStats } from './packing/value-packer';
import { LogRecord, encodeJson } from './durable/log-record';
import { acquireDataDirLock } from './durable/lock';
import { readSnapshot, writeSnapshot } from './durable/snapshot';
import { DATA_DIR_MODE, fsyncDirectory } from './durable/fs-util';
import { WriteAheadLog, listSegments, readSegment, removeSegmentsBefore, segmentName } from './durable/wal';
import { storeClosed } from './memory';
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

export interface DurableStoreOptions {
  dataDir: string;
  /** Take a snapshot (and start a new log segment) once the current segment exceeds this. Default 64 MiB. */
  snapshotAfterBytes?: number;
}

export interface OpenReport {
  /** Bytes cut from the end of the log because they were torn or corrupt. */
  droppedBytes: number;
  /** Log records replayed on top of the snapshot. */
  replayedRecords: number;
}

/**
 * The MVCC store with a write-ahead log and snapshots in a data directory.
 *
 * A transaction is applied to the in-memory engine at once (so compares see every earlier write),
 * its effective writes are appended to the log, and its promise resolves after the batch holding
 * it is fsync'd. Only then is its revision published: reads, `revision()` and watchers never see a
 * write that a crash could lose. A transaction that wrote nothing still waits for the writes it may
 * have observed. Should a write or fsync fail, the store refuses all further calls (as etcd stops):
 * memory would be ahead of the disk.
 *
 * Files: LOCK (the owner's pid), snapshot.db, wal-<seq>.log (see durable/snapshot.ts, durable/wal.ts).
 */
export class DurableStore implements KVStore {
  private closed = false;
  private snapshotting: Promise<void> | undefined;
  private snapshotError: Error | undefined;

  private constructor(
    private readonly dataDir: string,
    private readonly engine: MvccEngine,
    private readonly wal: WriteAheadLog,
    private readonly releaseLock: () => void,
    private readonly snapshotAfterBytes: number,
    readonly openReport: OpenReport,
  ) {}

  static async open(options: DurableStoreOptions): Promise<DurableStore> {
    const dataDir = resolve(options.dataDir);
    if (mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE }) !== undefined) fsyncDirectory(dirname(dataDir));
    const releaseLock = acquireDataDirLock(dataDir);
    try {
      const engine = new MvccEngine();
      const snapshot = readSnapshot(dataDir);
      let firstSeq = 1;
      if (snapshot) {
        engine.loadBase(snapshot.compacted, Math.max(1, snapshot.compacted), snapshot.base);
        for (const b of snapshot.batches) engine.replay(b.revision, b.mutations);
        engine.publish(engine.appliedRevision);
        firstSeq = snapshot.walSeq;
        removeSegmentsBefore(dataDir, firstSeq); // left behind by a crash right after the snapshot
      }
      const segments = listSegments(dataDir);
      const report: OpenReport = { droppedBytes: 0, replayedRecords: 0 };
      const emptySegments: number[] = [];
      for (const seq of segments) {
        const { records, droppedBytes } = readSegment(dataDir, seq, seq === segments[segments.length - 1]);
        report.droppedBytes += droppedBytes;
        for (const record of records) {
          applyLogRecord(engine, record);
          report.replayedRecords++;
        }
        if (records.length === 0) emptySegments.push(seq);
      }
      // Every open starts a new segment; do not let restarts without writes pile up empty files.
      for (const seq of emptySegments) unlinkSync(join(dataDir, segmentName(seq)));
      const nextSeq = Math.max(firstSeq, (segments[segments.length - 1] ?? 0) + 1);
      const wal = WriteAheadLog.create(dataDir, nextSeq, engine.appliedRevision, (revision) => engine.publish(revision));
      return new DurableStore(dataDir, engine, wal, releaseLock, options.snapshotAfterBytes ?? 64 << 20, report);
    } catch (err) {
      releaseLock();
      throw err;
    }
  }

  revision(): Promise<number> {
    return this.guard(() => Promise.resolve(this.engine.visibleRevision));
  }

  pendingWrites(): Promise<void> | undefined {
    return this.wal.busy && !this.closed ? this.wal.barrier() : undefined;
  }

  compactedRevision(): Promise<number> {
    return this.guard(() => Promise.resolve(this.engine.compactedRevision));
  }

  range(options: RangeOptions): Promise<RangeResult> {
    return this.guard(() => Promise.resolve(this.engine.range(options)));
  }

  txn(compares: Compare[], success: TxnOp[], failure?: TxnOp[]): Promise<TxnResult> {
    return this.guard(() => {
      const { result, batch } = this.engine.txn(compares, success, failure);
      if (!batch) {
        // It wrote nothing, but it may have read writes still waiting for their fsync.
        if (this.engine.appliedRevision === this.engine.visibleRevision) return Promise.resolve(result);
        return this.wal.barrier().then(() => result);
      }
      return this.wal.append(batch, batch.revision).then(() => {
        this.maybeSnapshot();
        return result;
      });
    });
  }

  watch(options: WatchOptions, onEvents: (events: StoreWatchEvent[]) => void, onError?: (err: Error) => void): StoreWatcher {
    if (this.closed) {
      queueMicrotask(() => onError?.(storeClosed()));
      return { cancel: () => undefined };
    }
    return this.engine.watchers.watch(options, onEvents, onError);
  }

  /**
   * A compaction asked for while a snapshot is being written waits for it: the snapshot reads the
   * history at its capture's compacted revision until it is done (takeSnapshot). etcd compacts in
   * the background too; what a client sees of it is only the later compacted revision.
   */
  compact(revision: number): Promise<void> {
    if (this.snapshotting) return this.snapshotting.catch(() => undefined).then(() => this.compact(revision));
    return this.guard(() => {
      this.engine.compact(revision);
      return this.wal.append(encodeJson({ c: revision }), 0);
    });
  }

  /** Writes a snapshot now (tests; also what the size trigger runs). */
  async snapshot(): Promise<void> {
    if (this.snapshotting) await this.snapshotting;
    this.snapshotting = this.takeSnapshot().finally(() => (this.snapshotting = undefined));
    await this.snapshotting;
  }

  packValues(): Promise<number> {
    return this.guard(() => Promise.resolve(this.engine.packValues()));
  }

  /** What the value packer has done so far (benchmarks). */
  get packerStats(): PackerStats {
    return this.engine.packerStats;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.engine.watchers.cancelAll();
    this.engine.close();
    try {
      await this.snapshotting?.catch(() => undefined);
      await this.wal.close();
    } finally {
      this.releaseLock();
    }
  }

  /** Log batches (fsyncs) and records written since open. */
  get logStats(): { batches: number; records: number } {
    return { ...this.wal.stats };
  }

  /** Why the last background snapshot failed, if it did (the log still holds everything). */
  get lastSnapshotError(): Error | undefined {
    return this.snapshotError;
  }

  private maybeSnapshot(): void {
    if (this.snapshotting || this.closed || this.wal.bytesInSegment < this.snapshotAfterBytes) return;
    this.snapshotting = this.takeSnapshot()
      .catch((err: Error) => {
        this.snapshotError = err;
      })
      .finally(() => (this.snapshotting = undefined));
  }

  private async takeSnapshot(): Promise<void> {
    let capture: Parameters<typeof writeSnapshot>[1] | undefined;
    await this.wal.rotate((revision, walSeq) => {
      const compacted = this.engine.compactedRevision;
      // Read while the snapshot is written, over many turns of the event loop (a capture of 100,000
      // keys made at once blocked it for over a second); compaction waits for it (compact()).
      capture = { revision, compacted, walSeq, base: compacted > 0 ? this.engine.captureAt(compacted) : [], batches: this.engine.logFrom(compacted + 1, revision) };
    });
    if (!capture) return;
    await writeSnapshot(this.dataDir, capture);
    removeSegmentsBefore(this.dataDir, capture.walSeq);
    this.snapshotError = undefined;
  }

  private guard<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(storeClosed());
    const failed = this.wal.failed;
    if (failed) return Promise.reject(new Error(`store log failed earlier; restart to recover: ${failed.message}`));
    try {
      return fn();
    } catch (err) {
      return Promise.reject(err);
    }
  }
}

function applyLogRecord(engine: MvccEngine, record: LogRecord): void {
  if ('r' in record) {
    if (record.r <= engine.appliedRevision) return; // already in the snapshot
    engine.replay(record.r, record.m);
    engine.publish(record.r);
  } else if (record.c > engine.compactedRevision) {
    engine.compact(record.c);
  }
}
