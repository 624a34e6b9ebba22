import { StoredKv } from './stored-kv';
import { FOSSIL_REFS, ValueBlock } from './value-block';
import { ValueCodec } from './value-codec';
import { varint } from './value-delta';

/**
 * A key's superseded versions, once packed, folded into one string: its fossil.
 *
 * Between two compactions a pod keeps the version it was created with and its ContainerCreating
 * one. As objects of their own (a StoredKv each, 72 bytes, and the array of the key's versions)
 * they cost more than their packed texts, which are a ~10-character delta and an index into a
 * block (value-delta.ts, value-block.ts). A fossil holds the same: for each version, newest first,
 * its revision, version and createRevision and its packed text, as variable-length integers of 7
 * bits a character and the text's characters (~20 characters for a pod's two versions). It is
 * the `past` of the version after them (stored-kv.ts), and is read by making StoredKv objects of
 * its versions again (`thaw`), their texts still packed: a read at an old revision, a watch
 * replaying one, a prevKv.
 *
 * An entry: the revision below the newer version's (the holder's for the first entry), then a tag
 * (the form of the text, and whether version and createRevision follow), then the text:
 * - TOMBSTONE: nothing (a delete: version 0, createRevision 0);
 * - PLAIN: its length, then the text (a value too short to pack);
 * - DELTA: its length, then a delta against the newer version's text (value-delta.ts);
 * - CODEC: the codec's id in this table, the packed length, then the packed text (value-codec.ts);
 * - BLOCK: the block's id in this table, then the value's index in it (value-block.ts).
 * Version and createRevision are left out when they follow from the newer version (the same
 * generation: one less, the same creation), as they do but for the last version before a delete.
 *
 * Entries are relative to the newer one only, so a fossil with older versions after it is the two
 * strings one after the other, and dropping a fossil's oldest versions (compaction) keeps a prefix.
 *
 * Blocks and codecs are named by ids in this table (an engine has one), not held by the string:
 * a block is in it for as long as some fossil's version is in the block (counted on the block),
 * and leaves it when compaction drops the last of them. Codecs stay (a store makes a few).
 */

const TOMBSTONE = 0;
const PLAIN = 1;
const DELTA = 2;
const CODEC = 3;
const BLOCK = 4;
const FORM = 7;
/** The tag bit saying version and createRevision are written out. */
const EXPLICIT = 8;

export class Fossils {
  private readonly blocks = new Map<number, ValueBlock>();
  private nextBlock = 1;
  private readonly codecs: ValueCodec[] = [];
  private readonly codecIds = new Map<ValueCodec, number>();

  /** Blocks fossils refer to (tests). */
  get blockCount(): number {
    return this.blocks.size;
  }

  /** Whether `kv`, the version before `newer`, holds its text in a form a fossil can keep. */
  static foldable(kv: StoredKv, newer: StoredKv): boolean {
    if (kv.modRevision > newer.modRevision) return false;
    const held = kv.heldIn;
    if (kv.version === 0) return kv.createRevision === 0 && held === undefined && kv.heldText === '';
    if (kv.createRevision > kv.modRevision) return false;
    return held instanceof StoredKv ? held === newer : true;
  }

  /**
   * The fossil of `versions` (newest first, each the one before the one ahead of it, the first the
   * one before `holder`; each `foldable`), followed by `older`, the fossil that was the last one's past.
   */
  fold(holder: StoredKv, versions: readonly StoredKv[], older: string | undefined): string {
    const parts: string[] = [];
    let newer = holder;
    for (const kv of versions) {
      const held = kv.heldIn;
      const text = kv.heldText;
      let form: number;
      if (kv.version === 0) form = TOMBSTONE;
      else if (held === undefined) form = PLAIN;
      else if (held instanceof StoredKv) form = DELTA;
      else if (held instanceof ValueBlock) form = BLOCK;
      else form = CODEC;
      const implied = kv.version === 0 || (newer.version >= 2 && kv.version === newer.version - 1 && kv.createRevision === newer.createRevision);
      parts.push(varint(newer.modRevision - kv.modRevision), String.fromCharCode(form | (implied ? 0 : EXPLICIT)));
      if (!implied) parts.push(varint(kv.version), varint(kv.modRevision - kv.createRevision));
      if (form === PLAIN || form === DELTA) {
        parts.push(varint((text as string).length), text as string);
      } else if (form === CODEC) {
        parts.push(varint(this.codecId(held as ValueCodec)), varint((text as string).length), text as string);
      } else if (form === BLOCK) {
        parts.push(varint(this.blockId(held as ValueBlock)), varint(text as number));
      }
      newer = kv;
    }
    if (older !== undefined) parts.push(older);
    // join copies the parts into one new string (no string kept as a part of it).
    return parts.join('');
  }

  /**
   * Visits the versions of `fossil` (the past of `holder`), newest first, as StoredKv objects of
   * their own whose texts are still packed (a delta's base the object made before it, or `holder`),
   * until `visit` returns false.
   */
  thaw(key: string, holder: StoredKv, fossil: string, visit: (kv: StoredKv) => boolean): void {
    const r = new Reader(fossil, holder);
    let newer = holder;
    while (r.next()) {
      const kv = new StoredKv(key, r.form === PLAIN ? fossil.substr(r.at, r.length) : '', r.create, r.mod, r.version);
      if (r.form === DELTA) kv.packAgainst(newer, fossil.substr(r.at, r.length));
      else if (r.form === CODEC) kv.pack(this.codecs[r.ref], fossil.substr(r.at, r.length));
      else if (r.form === BLOCK) kv.packIn(this.block(r.ref), r.length);
      if (!visit(kv)) return;
      newer = kv;
    }
  }

  /**
   * The newest version of `fossil` (the past of `holder`) written at or below `revision`, made into
   * an object (with those it is read through), or undefined if none is: found before anything is
   * made, as a snapshot asks this of every key, most of them with no version that old.
   */
  at(key: string, holder: StoredKv, fossil: string, revision: number): StoredKv | undefined {
    const r = new Reader(fossil, holder);
    let n = 0;
    while (r.next() && r.mod > revision) n++;
    if (r.end === 0 || r.mod > revision) return undefined;
    let found: StoredKv | undefined;
    this.thaw(key, holder, fossil, (kv) => {
      found = kv;
      return n-- > 0;
    });
    return found;
  }

  /**
   * `fossil` (the past of `holder`) without its versions before the newest one at or below
   * `revision` (nor that one if it is a tombstone): undefined if none is left.
   */
  cut(holder: StoredKv, fossil: string, revision: number): string | undefined {
    const r = new Reader(fossil, holder);
    let end = 0;
    while (r.next()) {
      if (r.mod <= revision) {
        if (r.form !== TOMBSTONE) end = r.end;
        break;
      }
      end = r.end;
    }
    if (end === fossil.length) return fossil;
    this.releaseFrom(fossil, holder, end);
    return end === 0 ? undefined : [fossil.slice(0, 1), fossil.slice(1, end)].join('');
  }

  /** Lets go of every version of `fossil` (the past of `holder`): its key or these versions are dropped. */
  release(holder: StoredKv, fossil: string): void {
    this.releaseFrom(fossil, holder, 0);
  }

  /** How many versions from the newest on are deltas, each against the one ahead of it (a read of the last applies them all). */
  leadingDeltas(holder: StoredKv, fossil: string): number {
    const r = new Reader(fossil, holder);
    let n = 0;
    while (r.next() && r.form === DELTA) n++;
    return n;
  }

  /** The versions of `fossil` that start at or after `from` no longer refer to their blocks. */
  private releaseFrom(fossil: string, holder: StoredKv, from: number): void {
    const r = new Reader(fossil, holder);
    while (r.next()) {
      if (r.form !== BLOCK || r.start < from) continue;
      const block = this.block(r.ref);
      block.fossil--;
      if (block.fossil % FOSSIL_REFS === 0) {
        this.blocks.delete(r.ref);
        block.fossil = 0;
      }
    }
  }

  private block(id: number): ValueBlock {
    const block = this.blocks.get(id);
    // A fossil naming a block the table let go of would read another value: refuse instead.
    if (block === undefined) throw new Error(`store history names block ${id}, which it no longer holds`);
    return block;
  }

  private blockId(block: ValueBlock): number {
    if (block.fossil === 0) {
      const id = this.nextBlock++;
      block.fossil = id * FOSSIL_REFS;
      this.blocks.set(id, block);
    }
    // Each version of a block goes into a fossil once (later folds carry it along): fewer than FOSSIL_REFS.
    block.fossil++;
    return Math.floor(block.fossil / FOSSIL_REFS);
  }

  private codecId(codec: ValueCodec): number {
    let id = this.codecIds.get(codec);
    if (id === undefined) {
      id = this.codecs.push(codec) - 1;
      this.codecIds.set(codec, id);
    }
    return id;
  }
}

/** Walks a fossil's entries, newest first (see the top comment for the layout). */
class Reader {
  /** Where the current entry starts and ends in the string. */
  start = 0;
  end = 0;
  mod: number;
  version: number;
  create: number;
  form = TOMBSTONE;
  /** The codec's or block's id. */
  ref = 0;
  /** Where the text starts, and its length (a block's: the index). */
  at = 0;
  length = 0;

  constructor(
    private readonly fossil: string,
    holder: StoredKv,
  ) {
    this.mod = holder.modRevision;
    this.version = holder.version;
    this.create = holder.createRevision;
  }

  next(): boolean {
    if (this.end >= this.fossil.length) return false;
    this.start = this.end;
    this.end = this.start;
    const mod = this.mod - this.int();
    const tag = this.fossil.charCodeAt(this.end++);
    this.form = tag & FORM;
    if (this.form === TOMBSTONE) {
      this.version = this.create = 0;
    } else if (tag & EXPLICIT) {
      this.version = this.int();
      this.create = mod - this.int();
    } else {
      this.version--;
    }
    this.mod = mod;
    if (this.form === CODEC || this.form === BLOCK) this.ref = this.int();
    if (this.form !== TOMBSTONE) this.length = this.int();
    this.at = this.end;
    if (this.form === PLAIN || this.form === DELTA || this.form === CODEC) this.end += this.length;
    return true;
  }

  private int(): number {
    let n = 0;
    let shift = 1;
    for (let c = this.fossil.charCodeAt(this.end++); ; c = this.fossil.charCodeAt(this.end++)) {
      n += (c & 127) * shift;
      if (c < 128) return n;
      shift *= 128;
    }
  }
}
