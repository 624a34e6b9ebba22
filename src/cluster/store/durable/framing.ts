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

/** Frames payloads (a string is written as UTF-8) into one buffer, ready for a single write. */
export function encodeRecords(payloads: readonly (string | Buffer)[]): Buffer {
  let total = 0;
  const lengths = payloads.map((p) => {
    const n = typeof p === 'string' ? Buffer.byteLength(p) : p.length;
    total += HEADER_BYTES + n;
    return n;
  });
  const buf = Buffer.allocUnsafe(total);
  let offset = 0;
  for (let i = 0; i < payloads.length; i++) {
    const n = lengths[i];
    const p = payloads[i];
    if (typeof p === 'string') buf.write(p, offset + HEADER_BYTES, n, 'utf8');
    else p.copy(buf, offset + HEADER_BYTES);
    buf.writeUInt32LE(n, offset);
    buf.writeUInt32LE(crc32(buf.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + n)), offset + 4);
    offset += HEADER_BYTES + n;
  }
  return buf;
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
