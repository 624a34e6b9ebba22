/**
 * The stored text of an object, with the spec of the revision it replaces spliced in rather than
 * serialized again. A status write keeps the stored spec itself (frozen and shared, see
 * RegistryStore.copyForUpdate), and a pod's spec is about half its text: each of the kubelet's
 * status writes serialized again a spec whose text was in the stored value it had just read.
 *
 * Contract: the text is exactly JSON.stringify of the stored shape. The previous revision's spec is
 * taken from its stored text only when the shape's spec is that revision's decoded spec itself,
 * frozen (so it is still what the text says: stored text is always JSON.stringify's output, and
 * JSON.parse then JSON.stringify gives the same text back), and the text holds it as the member
 * right after the metadata (as stored pods and nodes do). Anything else is serialized.
 *
 * Where that spec sits in the previous text is found by a scan of the text (its metadata, then the
 * spec), which cost about what serializing the spec again does (~4 us for a pod: the managedFields
 * field sets are a thicket of short strings). So a write of a kind whose status writes keep the
 * spec (`keepsSpec`) builds its text member by member and marks its shape, the object the write's
 * watch fan-out takes as the text's decode (written.ts), with where the spec's text is in it
 * (SPEC_AT, not enumerable: no copy, walk or serialization sees it). The next status write finds
 * its previous revision's spec by that mark instead of a scan. A decoded object has no mark and is
 * scanned as before; a mark is only ever on the shape of the very text it describes, since the
 * registry takes a shape for a stored value only when the value is its text.
 */
import { closingBracket, flatText } from './codec';
import { frozenFieldsText } from '../patch/managed-fields-recent';

/** The revision a write replaces: its stored text, and the decoded object of that text. */
export interface PreviousRevision {
  text: string;
  object: object;
}

const METADATA = '"metadata":{';
const SPEC = ',"spec":';

/** On a shape whose text was built here: where its spec's text is in that text (see markSpec). */
const SPEC_AT = Symbol('specAt');
/** A mark packs the spec's start and length into one small integer (a Smi): texts beyond these bounds are not marked. */
const LENGTH_BITS = 0x10000;
const MAX_START = 0x7fff;

export function shapeText(shape: object, previous?: PreviousRevision, keepsSpec = false): string {
  const members = shape as Record<string, unknown>;
  const spec = members.spec;
  const isObject = spec !== null && typeof spec === 'object';
  const kept = previous !== undefined && isObject && Object.isFrozen(spec) && (previous.object as { spec?: unknown }).spec === spec ? keptSpecText(previous) : undefined;
  if (kept === undefined && !(keepsSpec && isObject)) return flatText(JSON.stringify(shape));
  const parts = takeParts();
  parts.push('{');
  let specStart = -1;
  let specLength = 0;
  for (const key of Object.keys(members)) {
    if (key === 'metadata') {
      pushKey(parts, key);
      pushMetadata(parts, members[key]);
    } else if (key === 'spec') {
      const piece = kept ?? JSON.stringify(spec);
      if (piece === undefined) continue;
      pushKey(parts, key);
      specStart = parts.length;
      specLength = piece.length;
      parts.push(piece);
    } else pushMember(parts, key, JSON.stringify(members[key]));
  }
  parts.push('}');
  const out = joinParts(parts);
  if (keepsSpec && specStart >= 0) markSpec(shape, specStart, specLength);
  return out;
}

/**
 * The text is built as a list of pieces joined once: join writes them into one flat string (what
 * the store keeps, see flatText), where `+=` made a rope node per piece, and a flat copy of short
 * ones, before the flattening copy. One list is reused from write to write, its slots overwritten
 * and blanked after the join (`length = 0` would free its backing store, to be grown again); a
 * write made while another is being built (a toJSON that writes, say) takes a list of its own.
 */
class TextParts {
  private readonly slots: string[] = [];
  private count = 0;

  push(piece: string): void {
    this.slots[this.count++] = piece;
  }

  /** Whether the last piece pushed opens an object (no value's JSON is `{` alone). */
  afterOpen(): boolean {
    return this.count > 0 && this.slots[this.count - 1] === '{';
  }

  get length(): number {
    let length = 0;
    for (let i = 0; i < this.count; i++) length += this.slots[i].length;
    return length;
  }

  /** The pieces as one flat string; the list is empty after. Slots past the count are blank. */
  join(): string {
    const text = this.slots.join('');
    this.slots.fill('', 0, this.count);
    this.count = 0;
    return text;
  }
}

let spareParts: TextParts | undefined;

function takeParts(): TextParts {
  const parts = spareParts ?? new TextParts();
  spareParts = undefined;
  return parts;
}

function joinParts(parts: TextParts): string {
  const text = parts.join();
  spareParts = parts;
  return text;
}

/** Pushes a member's key and colon, with the comma before it unless it is its object's first. */
function pushKey(parts: TextParts, key: string): void {
  parts.push(memberKey(key, !parts.afterOpen()));
}

/** Pushes a member, or nothing when its value has no JSON (undefined, functions, symbols), as JSON.stringify leaves it out. */
function pushMember(parts: TextParts, key: string, piece: string | undefined): void {
  if (piece === undefined) return;
  pushKey(parts, key);
  parts.push(piece);
}

/**
 * Marks `shape` (a fresh object of the registry's, not yet handed to anybody) with where its spec's
 * text is in its stored text. A shape is marked once, as it is made; the registry's own objects are
 * read-only after that, and the mark is not writable.
 */
function markSpec(shape: object, start: number, length: number): void {
  if (start > MAX_START || length >= LENGTH_BITS || Object.isFrozen(shape) || Object.prototype.hasOwnProperty.call(shape, SPEC_AT)) return;
  Object.defineProperty(shape, SPEC_AT, { value: start * LENGTH_BITS + length });
}

/** The text of the previous revision's spec: by its shape's mark, when it has one that fits its text; else by a scan. */
function keptSpecText(previous: PreviousRevision): string | undefined {
  const at = (previous.object as { [SPEC_AT]?: unknown })[SPEC_AT];
  if (typeof at === 'number') {
    const start = Math.floor(at / LENGTH_BITS);
    const end = start + (at % LENGTH_BITS);
    const text = previous.text;
    // The mark describes this very text (see the header); what it points at is checked all the same.
    if (text.charCodeAt(start) === 123 /* { */ && text.charCodeAt(end - 1) === 125 /* } */ && text.startsWith(SPEC, start - SPEC.length)) return text.slice(start, end);
  }
  return specText(previous.text);
}

/**
 * Pushes JSON.stringify of a status write's metadata, with the text of each frozen managedFields
 * field set made once for all the writes that carry it (frozenFieldsText) instead of serialized
 * again: the creator's set of a pod (every field of its spec) is most of the metadata, and every
 * status write of every pod carries it unchanged, as the kubelet's own set mostly is. Anything that
 * is not a plain object or array on the way to a field set is serialized by JSON.stringify, whole.
 */
function pushMetadata(parts: TextParts, meta: unknown): void {
  const entries = plainJson(meta) ? (meta as { managedFields?: unknown }).managedFields : undefined;
  if (!Array.isArray(entries) || !plainJson(entries)) {
    parts.push(JSON.stringify(meta));
    return;
  }
  const members = meta as Record<string, unknown>;
  parts.push('{');
  for (const key of Object.keys(members)) {
    if (key === 'managedFields') {
      pushKey(parts, key);
      pushEntries(parts, entries);
    } else pushMember(parts, key, JSON.stringify(members[key]));
  }
  parts.push('}');
}

function pushEntries(parts: TextParts, entries: unknown[]): void {
  parts.push('[');
  for (let i = 0; i < entries.length; i++) {
    if (i > 0) parts.push(',');
    const entry = entries[i];
    // In an array, what has no JSON is written as null.
    if (plainJson(entry)) pushEntry(parts, entry as Record<string, unknown>);
    else parts.push(JSON.stringify(entry) ?? 'null');
  }
  parts.push(']');
}

function pushEntry(parts: TextParts, entry: Record<string, unknown>): void {
  parts.push('{');
  for (const key of Object.keys(entry)) {
    const value = entry[key];
    pushMember(parts, key, key === 'fieldsV1' && plainJson(value) && Object.isFrozen(value) ? frozenFieldsText(value as object) : typeof value === 'string' ? entryStringText(key, value) : JSON.stringify(value));
  }
  parts.push('}');
}

/**
 * The JSON of an entry's string member. Managers, operations, API versions, field types and
 * subresources are a few names met at every write, and a time is the same for a second's writes.
 */
function entryStringText(key: string, value: string): string {
  if (key === 'time') {
    if (value !== lastTime.value) lastTime = { value, text: JSON.stringify(value) };
    return lastTime.text;
  }
  let text = entryTexts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    if (entryTexts.size < MAX_KEY_TEXTS) entryTexts.set(value, text);
  }
  return text;
}

const entryTexts = new Map<string, string>();
let lastTime = { value: '', text: '""' };

/** `"key":` and `,"key":` by key: the keys written member by member here are a few dozen names of the API's, met at every write. */
const keyTexts = new Map<string, string>();
const laterKeyTexts = new Map<string, string>();
/** Past this many distinct keys, a key's text is made each time (its object was not the API's). */
const MAX_KEY_TEXTS = 256;

/** The JSON of a member's key and its colon, preceded by a comma unless it is the first member. */
function memberKey(key: string, later: boolean): string {
  const texts = later ? laterKeyTexts : keyTexts;
  let text = texts.get(key);
  if (text === undefined) {
    text = `${later ? ',' : ''}${JSON.stringify(key)}:`;
    if (texts.size < MAX_KEY_TEXTS) texts.set(key, text);
  }
  return text;
}

/** A plain object or array that JSON.stringify serializes member by member (no toJSON of its own or inherited). */
function plainJson(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== (Array.isArray(value) ? Array.prototype : Object.prototype)) return false;
  return typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/** The text of the spec of stored text, when it is an object right after the metadata; else undefined. */
export function specText(text: string): string | undefined {
  // `"metadata":{` cannot occur inside a JSON string (its quotes would be escaped), so the first is the member.
  const i = text.indexOf(METADATA);
  if (i < 0) return undefined;
  const end = closingBracket(text, i + METADATA.length - 1);
  if (end < 0 || !text.startsWith(SPEC, end + 1)) return undefined;
  const open = end + 1 + SPEC.length;
  if (text.charCodeAt(open) !== 123 /* { */) return undefined;
  const close = closingBracket(text, open);
  return close < 0 ? undefined : text.slice(open, close + 1);
}
