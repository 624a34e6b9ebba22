import { existsSync, openSync, readFileSync, renameSync, unlinkSync, fsync, close } from 'node:fs';
import { join } from 'node:path';
import { KeyValue } from '../types';
import { Mutation, RevisionBatch } from '../engine';
import { DATA_FILE_MODE, fsyncDirectory, writeFully } from './fs-util';
import { FrameWriter, decodeRecords } from './framing';
import { decodePayload, encodeJson, frameWrites } from './log-record';

/**
 * The snapshot file `snapshot.db`: the store at revision R as framed records
 *
 *   header  {"snapshot":1,"revision":R,"compacted":C,"walSeq":N}
 *   base    {"base":[[key,value,createRevision,modRevision,version],...]}   the live keys at C, in chunks
 *   batches the log's binary write records (log-record.ts)                 every revision C+1..R
 *   end     {"end":R}
 *
 * so that a restart keeps the retained history (reads and watches from any revision after C still
 * work) and the compaction point. `walSeq` is the first log segment the snapshot does not cover.
 * It is written to `snapshot.db.tmp`, fsync'd, renamed over the old one and the directory fsync'd:
 * a reader sees the old snapshot or the new one, never a mix.
 */

export const SNAPSHOT_FILE = 'snapshot.db';
const TEMP_FILE = 'snapshot.db.tmp';
const CHUNK = 2000;
const FLUSH_BYTES = 4 << 20;

export interface SnapshotCapture {
  revision: number;
  compacted: number;
  walSeq: number;
  /**
   * The live version of each retained key at `compacted`, in key order (none if nothing was
   * compacted); read while the snapshot is written.
   */
  base: Iterable<KeyValue>;
  /** The watch log from compacted+1 on (batches after `revision` are ignored); read while the snapshot is written. */
  batches: Iterable<RevisionBatch>;
}

export interface LoadedSnapshot {
  revision: number;
  compacted: number;
  walSeq: number;
  base: KeyValue[];
  batches: { revision: number; mutations: Mutation[] }[];
}

/** Writes the capture in chunks, yielding to the event loop between them so writes keep flowing. */
export async function writeSnapshot(dataDir: string, capture: SnapshotCapture): Promise<void> {
  const tmp = join(dataDir, TEMP_FILE);
  const fd = openSync(tmp, 'w', DATA_FILE_MODE);
  const writer = new FrameWriter(FLUSH_BYTES + (1 << 20));
  const flush = async () => {
    if (writer.length > 0) await writeFully(fd, writer.take());
  };
  const maybeFlush = () => (writer.length >= FLUSH_BYTES ? flush() : undefined);
  const add = async (record: object) => {
    writer.begin();
    writer.raw(encodeJson(record));
    writer.end();
    await maybeFlush();
  };
  try {
    const { revision, compacted, walSeq } = capture;
    await add({ snapshot: 1, revision, compacted, walSeq });
    let base: [string, string, number, number, number][] = [];
    for (const kv of capture.base) {
      base.push([kv.key, kv.value, kv.createRevision, kv.modRevision, kv.version]);
      if (base.length < CHUNK) continue;
      await add({ base });
      base = [];
      await yieldToEventLoop();
    }
    if (base.length > 0) await add({ base });
    let n = 0;
    for (const batch of capture.batches) {
      if (batch.revision > revision) break;
      frameWrites(writer, batch.revision, batch.events);
      await maybeFlush();
      if (++n % CHUNK === 0) await yieldToEventLoop();
    }
    await add({ end: revision });
    await flush();
    await new Promise<void>((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
  } finally {
    await new Promise<void>((resolve) => close(fd, () => resolve()));
  }
  renameSync(tmp, join(dataDir, SNAPSHOT_FILE));
  fsyncDirectory(dataDir);
}

/** Reads `snapshot.db` if present. A snapshot is renamed into place whole, so any damage is fatal. */
export function readSnapshot(dataDir: string): LoadedSnapshot | undefined {
  const tmp = join(dataDir, TEMP_FILE);
  if (existsSync(tmp)) unlinkSync(tmp); // an interrupted snapshot; the log still covers it
  const path = join(dataDir, SNAPSHOT_FILE);
  if (!existsSync(path)) return undefined;
  const decoded = decodeRecords(readFileSync(path));
  const records = decoded.payloads.map((p) => decodePayload(p) as Record<string, unknown>);
  const header = records[0];
  const end = records[records.length - 1];
  if (decoded.truncated || !header || header.snapshot !== 1 || !end || end.end !== header.revision) {
    throw new Error(`store snapshot ${path} is damaged; refusing to open`);
  }
  const snapshot: LoadedSnapshot = {
    revision: header.revision as number,
    compacted: header.compacted as number,
    walSeq: header.walSeq as number,
    base: [],
    batches: [],
  };
  for (const record of records.slice(1, -1)) {
    if (Array.isArray(record.base)) {
      for (const [key, value, createRevision, modRevision, version] of record.base as [string, string, number, number, number][]) {
        snapshot.base.push({ key, value, createRevision, modRevision, version });
      }
    } else if (typeof record.r === 'number') {
      snapshot.batches.push({ revision: record.r, mutations: record.m as Mutation[] });
    }
  }
  return snapshot;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

