/**
 * WebSocket (RFC 6455) for the server side of the RemoteCommand streams (`kubectl exec`): the
 * handshake's accept key, parsing of client frames and encoding of server frames. Nothing more of
 * the protocol is needed: no extensions (kubectl's gorilla/websocket offers none by default), no
 * text messages on the way out.
 *
 * Client frames must be masked (RFC 6455 §5.1: a server closes the connection on an unmasked one).
 * Data messages may come fragmented; control frames (close, ping, pong) may come between the
 * fragments and are at most 125 bytes.
 */
import { createHash } from 'node:crypto';

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** Close codes used here (RFC 6455 §7.4.1). */
export const CLOSE = { normal: 1000, protocolError: 1002, tooBig: 1009 } as const;

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The Sec-WebSocket-Accept answering a Sec-WebSocket-Key. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
}

/** A whole message (data) or a control frame, as the parser hands it on. */
export interface Message {
  opcode: number;
  payload: Buffer;
}

export class FrameError extends Error {
  constructor(message: string, readonly closeCode: number = CLOSE.protocolError) {
    super(message);
  }
}

/**
 * Incremental parser of client frames: `push` the bytes as they arrive; each complete data message
 * (fragments joined) and each control frame comes out through `onMessage`, in order. A protocol
 * violation throws a FrameError, after which the parser must not be used again.
 */
export class FrameParser {
  private buffered: Buffer = Buffer.alloc(0);
  /**
   * Chunks not yet joined to `buffered`, and the bytes the frame being read needs: a large frame
   * arriving in small chunks is joined once, not copied again with every chunk (which made a 1 MiB
   * message sent in 1-byte records cost ~0.5 TB of copying).
   */
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  private needed = 0;
  private fragments: Buffer[] = [];
  private fragmentOpcode: number | undefined;
  private fragmentBytes = 0;

  constructor(private readonly onMessage: (message: Message) => void, private readonly maxMessageBytes = 1024 * 1024) {}

  push(chunk: Buffer): void {
    this.waiting.push(chunk);
    this.waitingBytes += chunk.length;
    if (this.buffered.length + this.waitingBytes < this.needed) return;
    this.buffered = this.buffered.length === 0 && this.waiting.length === 1 ? chunk : Buffer.concat([this.buffered, ...this.waiting]);
    this.waiting = [];
    this.waitingBytes = 0;
    for (;;) {
      const consumed = this.frame(this.buffered);
      if (consumed === 0) return;
      this.buffered = this.buffered.subarray(consumed);
    }
  }

  /**
   * Parses one frame at the start of `data`: the bytes it took, or 0 when it is not all there yet
   * (`needed` then says how many bytes to wait for).
   */
  private frame(data: Buffer): number {
    this.needed = 2;
    if (data.length < 2) return 0;
    const first = data[0]!;
    const second = data[1]!;
    const fin = (first & 0x80) !== 0;
    if ((first & 0x70) !== 0) throw new FrameError('reserved bits set: no extension was negotiated');
    const opcode = first & 0x0f;
    if ((second & 0x80) === 0) throw new FrameError('client frames must be masked');
    let length = second & 0x7f;
    let offset = 2;
    if (length === 126) {
      this.needed = 4;
      if (data.length < 4) return 0;
      length = data.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      this.needed = 10;
      if (data.length < 10) return 0;
      const high = data.readUInt32BE(2);
      if (high !== 0) throw new FrameError('frame too large', CLOSE.tooBig);
      length = data.readUInt32BE(6);
      offset = 10;
    }
    const control = opcode >= 0x8;
    if (control && (length > 125 || !fin)) throw new FrameError('control frames are unfragmented and at most 125 bytes');
    if (!control && opcode !== OPCODE.continuation && opcode !== OPCODE.text && opcode !== OPCODE.binary) throw new FrameError(`unknown opcode ${opcode}`);
    if (control && opcode !== OPCODE.close && opcode !== OPCODE.ping && opcode !== OPCODE.pong) throw new FrameError(`unknown opcode ${opcode}`);
    if (length > this.maxMessageBytes || this.fragmentBytes + length > this.maxMessageBytes) throw new FrameError('message too large', CLOSE.tooBig);
    this.needed = offset + 4 + length;
    if (data.length < this.needed) return 0;
    const mask = data.subarray(offset, offset + 4);
    const payload = Buffer.allocUnsafe(length);
    const start = offset + 4;
    for (let i = 0; i < length; i++) payload[i] = data[start + i]! ^ mask[i & 3]!;

    if (control) {
      this.onMessage({ opcode, payload });
    } else if (opcode === OPCODE.continuation) {
      if (this.fragmentOpcode === undefined) throw new FrameError('continuation frame without a message to continue');
      this.fragments.push(payload);
      this.fragmentBytes += length;
      if (fin) this.finishFragments();
    } else {
      if (this.fragmentOpcode !== undefined) throw new FrameError('new message before the previous one ended');
      if (fin) this.onMessage({ opcode, payload });
      else {
        this.fragmentOpcode = opcode;
        this.fragments = [payload];
        this.fragmentBytes = length;
      }
    }
    return start + length;
  }

  private finishFragments(): void {
    const opcode = this.fragmentOpcode!;
    const payload = Buffer.concat(this.fragments, this.fragmentBytes);
    this.fragmentOpcode = undefined;
    this.fragments = [];
    this.fragmentBytes = 0;
    this.onMessage({ opcode, payload });
  }
}

/** One unmasked, unfragmented server frame. */
export function encodeFrame(opcode: number, payload: Buffer | Uint8Array): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) frame[1] = length;
  else if (length < 0x10000) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2);
    frame.writeUInt32BE(length, 6);
  }
  frame.set(payload, headerLength);
  return frame;
}

/** The close frame's payload: the code, then an optional UTF-8 reason. */
export function closePayload(code: number, reason = ''): Buffer {
  const text = Buffer.from(reason.slice(0, 120));
  const payload = Buffer.allocUnsafe(2 + text.length);
  payload.writeUInt16BE(code, 0);
  text.copy(payload, 2);
  return payload;
}
