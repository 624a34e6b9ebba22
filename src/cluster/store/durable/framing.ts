import { crc32 } from 'node:zlib';

/**
 * Record framing shared by the write-ahead log and the snapshot file:
 *
 *   u32le payload length | u32le CRC-32 of the payload | payload (see log-record.ts)
 *
 * A reader stops at the first record that is short, has a zero or absurd length or fails its
 * checksum: everything before it is whole, nothing after it is trusted. A half-written batch at the
 * end of the log (a crash during write) is therefore dropped as a unit, never applied.
 */

const HEADER_BYTES = 8;
/** Larger than any record we write; a bigger length is garbage, not a record. */
const MAX_RECORD_BYTES = 1 << 30;

/**
 * Frames records straight into one growing buffer, reused from batch to batch: a record's bytes
 * are written once, where they will be written to disk from, with no per-record allocation and no
 * separate pass to measure strings first (the log's group commit frames a thousand records per
 * batch; measuring, allocating and copying each was a quarter of a durable put).
 *
 * Usage: `begin()`, the payload's fields, `end()` for each record, then `take()` for the framed
 * bytes. The buffer `take` returns is valid until the next `begin`.
 */
export class FrameWriter {
  private buf: Buffer;
  private offset = 0;
  private recordStart = -1;

  constructor(private readonly initialBytes = 64 << 10) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  begin(): void {
    this.ensure(HEADER_BYTES);
    this.recordStart = this.offset;
    this.offset += HEADER_BYTES;
  }

  u8(value: number): void {
    this.ensure(1);
    this.buf[this.offset++] = value;
  }

  u32(value: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(value, this.offset);
    this.offset += 4;
  }

  f64(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.offset);
    this.offset += 8;
  }

  /** A u32le byte length, then the UTF-8 bytes. */
  text(value: string): void {
    this.ensure(4 + 3 * value.length); // a UTF-16 code unit is at most 3 bytes of UTF-8
    const n = this.buf.write(value, this.offset + 4, 'utf8');
    this.buf.writeUInt32LE(n, this.offset);
    this.offset += 4 + n;
  }

  /** Bytes as they are: a whole payload (a string is written as UTF-8). */
  raw(payload: string | Buffer): void {
    if (typeof payload === 'string') {
      this.ensure(3 * payload.length);
      this.offset += this.buf.write(payload, this.offset, 'utf8');
    } else {
      this.ensure(payload.length);
      payload.copy(this.buf, this.offset);
      this.offset += payload.length;
    }
  }

  end(): void {
    const start = this.recordStart + HEADER_BYTES;
    const n = this.offset - start;
    if (this.recordStart < 0 || n === 0) throw new Error('a framed record needs begin() and a non-empty payload');
    this.buf.writeUInt32LE(n, this.recordStart);
    this.buf.writeUInt32LE(crc32(this.buf.subarray(start, this.offset)), this.recordStart + 4);
    this.recordStart = -1;
  }

  get length(): number {
    return this.offset;
  }

  /** The framed records so far; the writer starts over (and reuses its buffer) at the next record. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.offset);
    this.offset = 0;
    // Do not keep one unusually large batch's buffer for the life of the store.
    if (this.buf.length > 16 << 20) this.buf = Buffer.allocUnsafe(this.initialBytes);
    return out;
  }

  private ensure(n: number): void {
    if (this.offset + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.offset + n));
    this.buf.copy(grown, 0, 0, this.offset);
    this.buf = grown;
  }
}

export interface DecodedRecords {
  /** The payloads of the whole, valid records (views into the input). */
  payloads: Buffer[];
  /** Bytes of whole, valid records from the start of the buffer. */
  validBytes: number;
  /** Whether bytes after `validBytes` were dropped (a torn or corrupt tail). */
  truncated: boolean;
}

export function decodeRecords(buf: Buffer): DecodedRecords {
  const payloads: Buffer[] = [];
  let offset = 0;
  while (offset < buf.length) {
    if (buf.length - offset < HEADER_BYTES) break;
    const n = buf.readUInt32LE(offset);
    if (n === 0 || n > MAX_RECORD_BYTES || n > buf.length - offset - HEADER_BYTES) break;
    const payload = buf.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + n);
    if (crc32(payload) !== buf.readUInt32LE(offset + 4)) break;
    payloads.push(payload);
    offset += HEADER_BYTES + n;
  }
  return { payloads, validBytes: offset, truncated: offset < buf.length };
}
