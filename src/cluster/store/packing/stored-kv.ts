import type { KeyValue } from '../types';
import { ValueBlock } from './value-block';
import type { ValueCodec } from './value-codec';
import { applyDelta } from './value-delta';

/**
 * A version of a key as the engine holds it: a KeyValue whose value may be packed (see
 * value-packer.ts), on its own or in a block with others (value-block.ts), or, superseded, as a
 * delta against the key's next version (value-delta.ts). `value` gives the text back either way,
 * so callers see an ordinary KeyValue.
 *
 * Packing changes the representation of this same object, never what `value` returns, which is
 * why the object can stay shared between history, the watch log, results and whoever still holds
 * it (the API server keeps the KeyValue of each object it decoded): none of them keeps the plain
 * text alive once it is packed.
 */
export class StoredKv implements KeyValue {
  /**
   * The plain text; its packed form when `packedIn` is a codec; its index in the block when
   * `packedIn` is a block (a small integer: no object of its own); the delta against the next
   * version's text when `packedIn` is that version.
   */
  private text: string | number;
  private packedIn: ValueCodec | ValueBlock | StoredKv | undefined = undefined;

  constructor(
    readonly key: string,
    value: string,
    readonly createRevision: number,
    readonly modRevision: number,
    readonly version: number,
  ) {
    this.text = value;
  }

  get value(): string {
    const packedIn = this.packedIn;
    if (packedIn === undefined) return this.text as string;
    if (packedIn instanceof ValueBlock) return packedIn.valueAt(this.text as number);
    // The next version may be a delta too: chains are as long as the packer lets them be (value-packer.ts).
    if (packedIn instanceof StoredKv) return applyDelta(packedIn.value, this.text as string);
    return packedIn.unpack(this.text as string);
  }

  get packed(): boolean {
    return this.packedIn !== undefined;
  }

  /** The plain text while not packed (what a packer packs). */
  get plainText(): string | undefined {
    return this.packedIn === undefined ? (this.text as string) : undefined;
  }

  /** The block holding the value, if it is in one. */
  get block(): ValueBlock | undefined {
    return this.packedIn instanceof ValueBlock ? this.packedIn : undefined;
  }

  /** Replaces the plain text with its packed form (`codec.unpack(packed)` must give the text back). */
  pack(codec: ValueCodec, packed: string): void {
    this.text = packed;
    this.packedIn = codec;
  }

  /** The version this one is a delta against, if it is one. */
  get deltaBase(): StoredKv | undefined {
    return this.packedIn instanceof StoredKv ? this.packedIn : undefined;
  }

  /**
   * Replaces the plain text with a delta against `base`, the key's next version
   * (`applyDelta(base.value, delta)` must give the text back). `base` lives as long as this one.
   */
  packAgainst(base: StoredKv, delta: string): void {
    this.text = delta;
    this.packedIn = base;
  }

  /** Points the value at its place in a block (`block.valueAt(index)` must give the text back). */
  packIn(block: ValueBlock, index: number): void {
    this.text = index;
    this.packedIn = block;
  }

  /** The text as held: plain, packed, a delta, or a block index (see `text`); for fossil.ts. */
  get heldText(): string | number {
    return this.text;
  }

  /** What `heldText` is read through (see `packedIn`); for fossil.ts. */
  get heldIn(): ValueCodec | ValueBlock | StoredKv | undefined {
    return this.packedIn;
  }

  /** JSON.stringify and structured logs see the fields a plain KeyValue has. */
  toJSON(): KeyValue {
    return { key: this.key, value: this.value, createRevision: this.createRevision, modRevision: this.modRevision, version: this.version };
  }
}

/**
 * A version written over an earlier one its key still retains: `past` is the version before it,
 * which has its own `past` in turn, or, once the versions before it are packed, all of them in
 * one fossil string (fossil.ts). The history of a key is the chain from its newest version back:
 * no array per key, and the newest version (what every read wants) is the key's slot itself.
 * The first version of a key (most keys: events) has no such field at all.
 */
export class StoredKvWithPast extends StoredKv {
  constructor(key: string, value: string, createRevision: number, modRevision: number, version: number, public past: StoredKv | string | undefined) {
    super(key, value, createRevision, modRevision, version);
  }
}

/** The version before `kv` (or the fossil of all of them), if its key retains any. */
export function pastOf(kv: StoredKv): StoredKv | string | undefined {
  return kv instanceof StoredKvWithPast ? kv.past : undefined;
}
