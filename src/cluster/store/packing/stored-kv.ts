import type { KeyValue } from '../types';
import type { ValueCodec } from './value-codec';

/**
 * A version of a key as the engine holds it: a KeyValue whose value may be packed (see
 * value-packer.ts). `value` gives the text back either way, so callers see an ordinary KeyValue.
 *
 * Packing changes the representation of this same object, never what `value` returns, which is
 * why the object can stay shared between history, the watch log, results and whoever still holds
 * it (the API server keeps the KeyValue of each object it decoded): none of them keeps the plain
 * text alive once it is packed.
 */
export class StoredKv implements KeyValue {
  /** The plain text, or its packed form when `codec` is set. */
  private text: string;
  private codec: ValueCodec | undefined = undefined;

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
    return this.codec === undefined ? this.text : this.codec.unpack(this.text);
  }

  get packed(): boolean {
    return this.codec !== undefined;
  }

  /** The plain text while not packed (what a packer packs). */
  get plainText(): string | undefined {
    return this.codec === undefined ? this.text : undefined;
  }

  /** Replaces the plain text with its packed form (`codec.unpack(packed)` must give the text back). */
  pack(codec: ValueCodec, packed: string): void {
    this.text = packed;
    this.codec = codec;
  }

  /** JSON.stringify and structured logs see the fields a plain KeyValue has. */
  toJSON(): KeyValue {
    return { key: this.key, value: this.value, createRevision: this.createRevision, modRevision: this.modRevision, version: this.version };
  }
}
