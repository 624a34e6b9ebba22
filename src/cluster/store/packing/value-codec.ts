import * as zlib from 'node:zlib';

/**
 * Raw deflate with a preset dictionary, for values the store holds in memory: a pod's JSON shares
 * nearly all of its text with every other pod's, so against a dictionary made of a few earlier
 * values of its resource it deflates to a few percent of its size.
 *
 * Packed values are one-byte strings (each deflated byte one latin1 character): they stay on the V8
 * heap, where heapUsed counts them and no Buffer wrapper is paid per value.
 *
 * zlib's one-shot calls (deflateRawSync) set a stream up for every value, which costs more than
 * the compression itself (~25 µs a pod, ~7 µs to inflate). A codec keeps one stream each way and
 * resets it between values through the handle node:zlib itself drives (`_handle.writeSync`), the
 * same calls its one-shot path makes: ~8 µs to deflate, ~1.5 µs to inflate. Where that handle is
 * not there (another Node.js), or a value does not fit the scratch buffers, the one-shot calls do
 * the same work, only slower; the bytes are the same either way.
 */

/** What node:zlib's binding handle offers (lib/zlib.js drives it the same way for the sync calls). */
interface ZlibHandle {
  reset(): void;
  close(): void;
  writeSync(flush: number, input: Buffer, inOff: number, inLen: number, out: Buffer, outOff: number, outLen: number): void;
  onerror: ((message: string, errno: number) => void) | undefined;
}

const SCRATCH = 1 << 16;
/** Shared by every codec: packing and unpacking are synchronous and never nest. */
const inputScratch = Buffer.alloc(SCRATCH);
const outputScratch = Buffer.alloc(SCRATCH);

const WINDOW_BITS = 15;
/** Values each codec unpacks again and compares after packing them (see `pack`). */
const CHECKED_VALUES = 64;
const LEVEL = 6;

/** One zlib stream reused for many whole values (reset before each). */
class ReusedStream {
  private failed = false;
  /** The handle threw rather than reporting an error: it is not the handle this class drives. */
  threw = false;

  private constructor(
    private readonly owner: zlib.Deflate | zlib.Inflate,
    private readonly handle: ZlibHandle,
    /** [avail_out, avail_in] after the last write (node:zlib's own write state array). */
    private readonly state: Uint32Array,
  ) {
    handle.onerror = () => {
      this.failed = true;
    };
  }

  static open(owner: zlib.Deflate | zlib.Inflate): ReusedStream | undefined {
    const internals = owner as unknown as { _handle?: ZlibHandle; _writeState?: Uint32Array };
    const handle = internals._handle;
    const state = internals._writeState;
    if (!handle || typeof handle.writeSync !== 'function' || typeof handle.reset !== 'function' || !(state instanceof Uint32Array)) {
      owner.close();
      return undefined;
    }
    return new ReusedStream(owner, handle, state);
  }

  /** Runs inputScratch[0, length) through as one whole stream; the bytes it wrote to `out`, or -1 if it failed or did not fit. */
  run(length: number, out: Buffer = outputScratch): number {
    this.failed = false;
    try {
      this.handle.reset();
      this.handle.writeSync(zlib.constants.Z_FINISH, inputScratch, 0, length, out, 0, out.length);
    } catch {
      // A handle of another shape (another Node.js's internals): it would throw again, and an
      // exception here would leave the packer's timer callback and end the process.
      this.failed = true;
      this.threw = true;
      return -1;
    }
    const availOut = this.state[0];
    const availIn = this.state[1];
    if (this.failed || availIn !== 0 || availOut === 0) return -1;
    return out.length - availOut;
  }

  get broken(): boolean {
    return this.failed;
  }

  close(): void {
    this.owner.close();
  }
}

/** Whether `text` survives UTF-8 (no lone surrogates): String.prototype.isWellFormed where Node has it. */
export function wellFormed(text: string): boolean {
  const native = (text as unknown as { isWellFormed?: () => boolean }).isWellFormed;
  if (typeof native === 'function') return native.call(text);
  return !/[\ud800-\udfff]/.test(text) || Buffer.from(text, 'utf8').toString('utf8') === text;
}

export class ValueCodec {
  private deflater: ReusedStream | undefined;
  private inflater: ReusedStream | undefined;
  private reuse = true;
  private checked = 0;
  /** The last value unpacked: a reader often asks for the same value twice in a row. */
  private lastPacked = '';
  private lastText = '';

  constructor(readonly dictionary: Buffer) {}

  /**
   * The packed form of `text`, or undefined when packing would not make it smaller or would not
   * give it back exactly (text that is not well-formed UTF-16). The first values a reused stream
   * packs are unpacked again and compared, which would catch a handle that does not behave as
   * node:zlib's own calls expect; after that the check is left to well-formedness alone (it cost a
   * fifth of the packing time).
   */
  pack(text: string): string | undefined {
    let packed: string | undefined;
    const stream = text.length * 3 <= SCRATCH ? this.deflateStream() : undefined;
    if (stream) {
      const n = stream.run(inputScratch.write(text, 0, 'utf8'));
      if (n >= 0) packed = outputScratch.toString('latin1', 0, n);
      else this.dropBroken(stream.threw);
    }
    if (packed === undefined) packed = zlib.deflateRawSync(Buffer.from(text, 'utf8'), this.options(true)).toString('latin1');
    if (packed.length >= text.length) return undefined;
    if (this.checked < CHECKED_VALUES) {
      if (this.unpack(packed) === text) {
        this.checked++;
        return packed;
      }
      // Text that is not well-formed UTF-16 cannot survive UTF-8: the streams are not at fault.
      if (wellFormed(text)) this.distrust();
      return undefined;
    }
    return wellFormed(text) ? packed : undefined;
  }

  unpack(packed: string): string {
    if (packed === this.lastPacked) return this.lastText;
    let text: string | undefined;
    const stream = packed.length <= SCRATCH ? this.inflateStream() : undefined;
    if (stream) {
      const n = stream.run(inputScratch.write(packed, 0, 'latin1'));
      if (n >= 0) text = outputScratch.toString('utf8', 0, n);
      else if (stream.broken) this.dropBroken(stream.threw);
    }
    // A value too large for the scratch buffer (or a stream that failed) takes the one-shot path.
    if (text === undefined) text = zlib.inflateRawSync(Buffer.from(packed, 'latin1'), this.options(false)).toString('utf8');
    this.lastPacked = packed;
    this.lastText = text;
    return text;
  }

  /**
   * Inflates a stream packed against this codec's dictionary (a block, value-block.ts) into `out`,
   * through the reused stream; the bytes written, or -1 where that does not work (the stream is
   * not there, or the text does not fit `out`): the caller then inflates it with the one-shot call.
   */
  inflateInto(packed: string, out: Buffer): number {
    const stream = packed.length <= SCRATCH ? this.inflateStream() : undefined;
    if (!stream) return -1;
    const n = stream.run(inputScratch.write(packed, 0, 'latin1'), out);
    if (n < 0 && stream.broken) this.dropBroken(stream.threw);
    return n;
  }

  /** Closes the deflate stream (its window and hash tables are ~256 KB outside the heap); the next pack opens it again. */
  releaseDeflater(): void {
    this.deflater?.close();
    this.deflater = undefined;
  }

  private deflateStream(): ReusedStream | undefined {
    if (!this.reuse) return undefined;
    if (!this.deflater) {
      this.deflater = ReusedStream.open(zlib.createDeflateRaw(this.options(true)));
      if (!this.deflater) this.reuse = false;
    }
    return this.deflater;
  }

  private inflateStream(): ReusedStream | undefined {
    if (!this.reuse) return undefined;
    if (!this.inflater) {
      this.inflater = ReusedStream.open(zlib.createInflateRaw(this.options(false)));
      if (!this.inflater) this.reuse = false;
    }
    return this.inflater;
  }

  /**
   * A value did not come back as it went in: the reused streams (the only part that is not
   * node:zlib's public API) are not used again, and the checks start over on the one-shot calls.
   * The value stays plain. Only values that passed CHECKED_VALUES checks in a row are packed
   * unchecked: a count of attempts would start trusting a stream that had failed every one.
   */
  private distrust(): void {
    this.dropBroken(true);
    this.checked = 0;
    this.lastPacked = this.lastText = '';
  }

  /**
   * A stream that reported an error is not trusted again: both are opened anew on next use, or
   * (`forGood`: a handle that threw, or gave a value back wrong) never again in this codec.
   */
  private dropBroken(forGood = false): void {
    if (forGood) this.reuse = false;
    this.deflater?.close();
    this.inflater?.close();
    this.deflater = undefined;
    this.inflater = undefined;
  }

  private options(deflate: boolean): zlib.ZlibOptions {
    return deflate ? { dictionary: this.dictionary, level: LEVEL, windowBits: WINDOW_BITS } : { dictionary: this.dictionary, windowBits: WINDOW_BITS };
  }
}
