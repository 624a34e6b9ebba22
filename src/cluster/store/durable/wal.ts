import { closeSync, ftruncateSync, fsyncSync, openSync, readdirSync, readFileSync, unlinkSync, close } from 'node:fs';
import { join } from 'node:path';
import { DATA_FILE_MODE, dataSync, fsyncDirectory, writeFully } from './fs-util';
import { FrameWriter, decodeRecords } from './framing';
import { LogRecord, decodePayload, frameWrites } from './log-record';
import { RevisionBatch } from '../event-log';

/**
 * The write-ahead log: numbered segment files `wal-<seq>.log` of framed records, appended in
 * revision order. A snapshot names the first segment it does not cover; older segments are deleted
 * once that snapshot is safely renamed into place.
 *
 * Group commit: writes queue up while a batch is being written and fsync'd, and all of them go out
 * as the next batch (one write, one fdatasync). A write's promise resolves only after the fsync of
 * its batch, and `onDurable` is told the batch's highest revision first, so a caller that sees its
 * write acknowledged can also read it.
 */

const SEGMENT = /^wal-(\d{10})\.log$/;

export function segmentName(seq: number): string {
  return `wal-${String(seq).padStart(10, '0')}.log`;
}

export function listSegments(dataDir: string): number[] {
  return readdirSync(dataDir)
    .map((name) => SEGMENT.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/**
 * Reads a segment's records. In the newest segment a torn or corrupt tail is cut off (those writes
 * were never acknowledged: their fsync did not complete); in an older segment, which was fully
 * fsync'd before the next one was started, it is real corruption and fails the open.
 */
export function readSegment(dataDir: string, seq: number, newest: boolean): { records: LogRecord[]; droppedBytes: number } {
  const path = join(dataDir, segmentName(seq));
  const buf = readFileSync(path);
  const decoded = decodeRecords(buf);
  const records = decoded.payloads.map((p) => decodePayload(p) as LogRecord);
  if (!decoded.truncated) return { records, droppedBytes: 0 };
  if (!newest) {
    throw new Error(`store log ${path} is corrupt at byte ${decoded.validBytes} and is not the newest segment; refusing to open`);
  }
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, decoded.validBytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { records, droppedBytes: buf.length - decoded.validBytes };
}

export function removeSegmentsBefore(dataDir: string, seq: number): void {
  let removed = false;
  for (const s of listSegments(dataDir)) {
    if (s >= seq) continue;
    unlinkSync(join(dataDir, segmentName(s)));
    removed = true;
  }
  if (removed) fsyncDirectory(dataDir);
}

/**
 * A record to log: a revision's writes (framed when its batch goes out, straight from the events
 * the engine keeps anyway), or any other payload as it is.
 */
export type WalPayload = RevisionBatch | string | Buffer;

interface Pending {
  /** Undefined for a barrier: resolves once everything queued before it is durable. */
  payload: WalPayload | undefined;
  revision: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

interface RotationRequest {
  onRotated: (durableRevision: number, newSeq: number) => void;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class WriteAheadLog {
  private queue: Pending[] = [];
  private running = false;
  private rotation: RotationRequest | undefined;
  private failure: Error | undefined;
  private fd: number;
  private durableRevision: number;
  /** One batch is written at a time, so one buffer serves them all. */
  private readonly writer = new FrameWriter();
  /** Bytes appended since the current segment was started. */
  bytesInSegment = 0;
  /** Batches (fsyncs) and records written since open: their ratio is the group commit factor. */
  readonly stats = { batches: 0, records: 0 };

  private constructor(
    private readonly dataDir: string,
    private seq: number,
    durableRevision: number,
    private readonly onDurable: (revision: number) => void,
  ) {
    this.fd = openSync(join(dataDir, segmentName(seq)), 'wx', DATA_FILE_MODE);
    fsyncDirectory(dataDir);
    this.durableRevision = durableRevision;
  }

  /** Starts a fresh segment `seq` after the replayed state at `durableRevision`. */
  static create(dataDir: string, seq: number, durableRevision: number, onDurable: (revision: number) => void): WriteAheadLog {
    return new WriteAheadLog(dataDir, seq, durableRevision, onDurable);
  }

  /** Set once a write or fsync failed; the log accepts nothing after that. */
  get failed(): Error | undefined {
    return this.failure;
  }

  get segment(): number {
    return this.seq;
  }

  /** Queues a record; resolves once it is on disk. `revision` 0: the record carries no revision. */
  append(payload: WalPayload, revision: number): Promise<void> {
    return this.enqueue(payload, revision);
  }

  /** Whether a batch is being written or records wait for one. */
  get busy(): boolean {
    return this.running || this.queue.length > 0;
  }

  /** Resolves once every record queued so far is on disk. */
  barrier(): Promise<void> {
    if (!this.running && this.queue.length === 0 && !this.failure) return Promise.resolve();
    return this.enqueue(undefined, 0);
  }

  /**
   * Switches to a new segment at the next batch boundary and calls `onRotated` there, synchronously,
   * with the revision every older segment covers: the moment to capture a snapshot.
   */
  rotate(onRotated: (durableRevision: number, newSeq: number) => void): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.rotation = { onRotated, resolve, reject };
      this.kick();
    });
  }

  /** Waits for queued writes, then closes the segment. */
  async close(): Promise<void> {
    await this.barrier().catch(() => undefined);
    closeSync(this.fd);
  }

  private enqueue(payload: WalPayload | undefined, revision: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ payload, revision, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    // A microtask later, so a burst of synchronous writes forms the first batch together.
    queueMicrotask(() => void this.run());
  }

  private async run(): Promise<void> {
    let batch: Pending[] = [];
    try {
      while (this.queue.length > 0 || this.rotation) {
        if (this.rotation) await this.rotateNow(this.rotation);
        if (this.queue.length === 0) continue;
        batch = this.queue;
        this.queue = [];
        const writer = this.writer;
        let records = 0;
        let revision = 0;
        for (const p of batch) {
          const payload = p.payload;
          if (p.revision > revision) revision = p.revision;
          if (payload === undefined) continue;
          records++;
          if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
            writer.begin();
            writer.raw(payload);
            writer.end();
          } else {
            frameWrites(writer, payload.revision, payload.events);
          }
        }
        if (records > 0) {
          const buf = writer.take();
          await writeFully(this.fd, buf);
          await dataSync(this.fd);
          this.bytesInSegment += buf.length;
          this.stats.batches++;
          this.stats.records += records;
        }
        if (revision > this.durableRevision) {
          this.durableRevision = revision;
          this.onDurable(revision);
        }
        for (const p of batch) p.resolve();
        batch = [];
      }
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const p of batch) p.reject(error);
      this.fail(error);
    } finally {
      this.running = false;
    }
  }

  private async rotateNow(request: RotationRequest): Promise<void> {
    const next = this.seq + 1;
    const fd = openSync(join(this.dataDir, segmentName(next)), 'wx', DATA_FILE_MODE);
    fsyncDirectory(this.dataDir);
    const old = this.fd;
    this.fd = fd;
    this.seq = next;
    this.bytesInSegment = 0;
    this.rotation = undefined;
    await new Promise<void>((resolve) => close(old, () => resolve()));
    try {
      request.onRotated(this.durableRevision, next);
      request.resolve();
    } catch (err) {
      request.reject(err instanceof Error ? err : new Error(String(err))); // the snapshot's problem, not the log's
    }
  }

  /** A failed write or fsync leaves the log's state unknown: everything pending and later fails. */
  private fail(err: Error): void {
    this.failure = err;
    const pending = this.queue;
    this.queue = [];
    for (const p of pending) p.reject(err);
    this.rotation?.reject(err);
    this.rotation = undefined;
  }
}
