import * as zlib from 'node:zlib';
import type { StoredKv } from './stored-kv';
import { type ValueCodec, wellFormed } from './value-codec';

/**
 * Cold values of one resource deflated together, as one stream against the resource's dictionary.
 *
 * Values of a resource written around the same time are nearly the same text (one pod template,
 * one event text, consecutive names and timestamps): deflated one by one each still pays for what
 * it does not share with the dictionary and for its own string, while many in one stream refer
 * back to each other. An event goes from ~140 bytes to ~58, a Running pod from ~170 to ~135.
 *
 * The stream holds a header, the UTF-8 byte length of each value in decimal, comma-separated and
 * ended by a newline, then the values' UTF-8 bytes one after the other. A member (a `StoredKv`)
 * refers to its block and its index; reading its value inflates the whole block, so the last few
 * inflated blocks are kept (as Buffers, with their value offsets): a list reads in key order, and
 * blocks are made of values in key order, so a list inflates each block once. Each read decodes
 * only its own value from the Buffer, as a string of its own: a slice of one large decoded string
 * would keep the whole block's text alive for as long as anyone holds the value.
 *
 * The block also keeps its members, for the packer to see which are still retained (compaction
 * drops superseded versions, see value-packer.ts) and to move the retained ones into a new block
 * once most are gone. A member no longer retained is let go (its slot cleared); its bytes stay in
 * the stream until the block is repacked or dropped.
 */
export class ValueBlock {
  /** Members not yet found dropped by compaction. */
  live: number;
  /**
   * The packer is done with it: its retained members have moved, or are about to move, into
   * other blocks (or to be packed on their own); it lives on only as long as a member still reads from it.
   */
  retired = false;
  /**
   * While fossils refer to it (fossil.ts): its id in the engine's fossil table times FOSSIL_REFS,
   * plus how many of their versions are in it (at most its size); 0 while none are. One field, not
   * two: most blocks never hear of a fossil, and a block's fields are paid for as long as it lives.
   */
  fossil = 0;
  /** Values in the stream (members, cleared or not, while the block is not retired). */
  readonly size: number;

  constructor(
    /** Whose dictionary the stream was deflated against. */
    readonly codec: ValueCodec,
    /** The deflated stream, one latin1 character per byte (on the V8 heap, no Buffer per block). */
    private readonly packed: string,
    /**
     * The members in stream order; a slot is cleared once the packer finds its version dropped.
     * Empty once retired: nothing looks at a retired block's members again, and a member still
     * reading from it (a retained value waiting through busy passes, an old version kept until the
     * next compaction, an inflated block cached) would otherwise keep every other member alive
     * with it, versions compaction dropped since included.
     */
    public members: (StoredKv | undefined)[],
  ) {
    this.size = members.length;
    this.live = members.length;
  }

  /** Marks the block retired and lets go of its members; the members it had (for the packer to move). */
  retire(): (StoredKv | undefined)[] {
    const members = this.members;
    this.retired = true;
    this.members = [];
    return members;
  }

  /** Packed length, in characters (bytes). */
  get packedLength(): number {
    return this.packed.length;
  }

  valueAt(index: number): string {
    if (lastBlock === this && lastIndex === index) return lastText;
    const inflated = this.inflated();
    const text = inflated.bytes.toString('utf8', inflated.ends[index] - inflated.lengths[index], inflated.ends[index]);
    lastBlock = this;
    lastIndex = index;
    lastText = text;
    return text;
  }

  /**
   * A block of `texts` (in that order) deflated against `codec`'s dictionary, or undefined if it
   * would not give them back exactly (a text that is not well-formed UTF-16: UTF-8 cannot carry a
   * lone surrogate). The caller points each member at the block.
   */
  static pack(codec: ValueCodec, members: StoredKv[], texts: string[]): ValueBlock | undefined {
    // Byte lengths that add up are not yet the same text: a lone surrogate becomes U+FFFD (3 bytes) too.
    for (const text of texts) if (!wellFormed(text)) return undefined;
    const lengths = new Array<number>(texts.length);
    let total = 0;
    for (let i = 0; i < texts.length; i++) total += lengths[i] = Buffer.byteLength(texts[i], 'utf8');
    const header = `${lengths.join(',')}\n`;
    const plain = Buffer.allocUnsafe(header.length + total);
    let at = plain.write(header, 0, 'latin1');
    for (const text of texts) at += plain.write(text, at, 'utf8');
    if (at !== plain.length) return undefined;
    const packed = zlib.deflateRawSync(plain, { dictionary: codec.dictionary, level: LEVEL }).toString('latin1');
    return new ValueBlock(codec, packed, members);
  }

  private inflated(): Inflated {
    for (let i = 0; i < cache.length; i++) {
      const hit = cache[i];
      if (hit.block !== this) continue;
      if (i > 0) {
        cache.splice(i, 1);
        cache.unshift(hit);
      }
      return hit;
    }
    // The least recently read entry's buffer is reused: reading blocks allocates nothing.
    const entry: Inflated = cache.length < CACHED_BLOCKS ? { block: this, buffer: Buffer.allocUnsafe(INFLATED_BYTES), bytes: EMPTY, lengths: [], ends: [] } : cache.pop()!;
    entry.block = this;
    const n = this.codec.inflateInto(this.packed, entry.buffer);
    entry.bytes = n >= 0 ? entry.buffer.subarray(0, n) : zlib.inflateRawSync(Buffer.from(this.packed, 'latin1'), { dictionary: this.codec.dictionary });
    const bytes = entry.bytes;
    const count = this.size;
    const lengths = (entry.lengths = new Array<number>(count));
    const ends = (entry.ends = new Array<number>(count));
    let at = 0;
    for (let i = 0; i < count; i++) {
      let length = 0;
      for (let c = bytes[at++]; c !== 44 /* , */ && c !== 10 /* \n */; c = bytes[at++]) length = length * 10 + (c - 48);
      lengths[i] = length;
    }
    for (let i = 0; i < count; i++) ends[i] = at += lengths[i];
    cache.unshift(entry);
    return entry;
  }
}

interface Inflated {
  block: ValueBlock;
  /** Kept from one block to the next; `bytes` is its filled part, or a Buffer of its own for a block that did not fit. */
  buffer: Buffer;
  bytes: Buffer;
  lengths: number[];
  /** ends[i]: the byte offset just past value i. */
  ends: number[];
}

/** What a block's `fossil` counts its fossils' versions up to: more than a block holds (MAX_BLOCK_VALUES, value-packer.ts). */
export const FOSSIL_REFS = 128;

const LEVEL = 6;
/**
 * Inflated blocks kept (most recent first), in buffers of 64 KB outside the heap (1 MB in all). A
 * list in key order moves between as many blocks at once as its resource has runs of blocks (at
 * most MAX_GENERATIONS, value-packer.ts): with as many kept it inflates each block once.
 */
const CACHED_BLOCKS = 16;
const cache: Inflated[] = [];
/** What a cache entry's buffer holds: a block of BLOCK_CHARS text (value-packer.ts), with room for multi-byte characters. */
const INFLATED_BYTES = 64 * 1024;
const EMPTY = Buffer.alloc(0);
/** The last value read: a reader often reads the same value twice in a row. */
let lastBlock: ValueBlock | undefined;
let lastIndex = -1;
let lastText = '';

/** Forgets the inflated blocks (they are a cache; tests use this to read from the packed form). */
export function dropInflatedBlocks(): void {
  cache.length = 0;
  lastBlock = undefined;
  lastIndex = -1;
  lastText = '';
}
