import { Mutation } from '../engine';
import { StoreWatchEvent } from '../types';
import { FrameWriter } from './framing';

/**
 * What the log holds: a revision's writes, or a compaction.
 *
 * A revision's writes are binary, because they are most of what the store writes and their values
 * are JSON text that a JSON encoding would escape (every quote) and scan again:
 *
 *   0x01 | f64le revision | u32le count | count × (u8 1=put 2=delete | u32le key bytes | key
 *                                                   | for a put: u32le value bytes | value)
 *
 * Every other record (compactions, snapshot headers and chunks) is a JSON object, so its first
 * byte is '{'.
 */
export type LogRecord = { r: number; m: Mutation[] } | { c: number };

const WRITES = 0x01;
const PUT = 1;
const DELETE = 2;

/**
 * Frames a revision's writes straight from its events, with no intermediate mutation arrays or
 * payload buffer.
 */
export function frameWrites(writer: FrameWriter, revision: number, events: readonly StoreWatchEvent[]): void {
  writer.begin();
  writer.u8(WRITES);
  writer.f64(revision);
  writer.u32(events.length);
  for (const e of events) {
    if (e.type === 'put') {
      writer.u8(PUT);
      writer.text(e.kv.key);
      writer.text(e.kv.value);
    } else {
      writer.u8(DELETE);
      writer.text(e.kv.key);
    }
  }
  writer.end();
}

export function encodeJson(record: object): string {
  return JSON.stringify(record);
}

/** Decodes a payload: binary writes, or any JSON record. Throws on a malformed payload. */
export function decodePayload(payload: Buffer): LogRecord | Record<string, unknown> {
  if (payload[0] !== WRITES) return JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
  const revision = payload.readDoubleLE(1);
  const count = payload.readUInt32LE(9);
  let offset = 13;
  const text = () => {
    const n = payload.readUInt32LE(offset);
    if (offset + 4 + n > payload.length) throw new Error('malformed log record');
    const s = payload.toString('utf8', offset + 4, offset + 4 + n);
    offset += 4 + n;
    return s;
  };
  const m: Mutation[] = [];
  for (let i = 0; i < count; i++) {
    const kind = payload[offset++];
    if (kind === PUT) {
      const key = text();
      m.push([key, text()]);
    } else if (kind === DELETE) {
      m.push([text()]);
    } else {
      throw new Error('malformed log record');
    }
  }
  return { r: revision, m };
}
