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
  let text = '{';
  let specStart = -1;
  let specLength = 0;
  for (const key of Object.keys(members)) {
    // JSON.stringify leaves out members whose value has no JSON (undefined, functions, symbols).
    const piece = key === 'spec' ? (kept ?? JSON.stringify(spec)) : key === 'metadata' ? metadataText(members[key]) : JSON.stringify(members[key]);
    if (piece === undefined) continue;
    text += memberKey(key, text.length > 1);
    if (key === 'spec') {
      specStart = text.length;
      specLength = piece.length;
    }
    text += piece;
  }
  const out = flatText(`${text}}`);
  if (keepsSpec && specStart >= 0) markSpec(shape, specStart, specLength);
  return out;
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
 * JSON.stringify of a status write's metadata, with the text of each frozen managedFields field
 * set made once for all the writes that carry it (frozenFieldsText) instead of serialized again:
 * the creator's set of a pod (every field of its spec) is most of the metadata, and every status
 * write of every pod carries it unchanged, as the kubelet's own set mostly is. Anything that is not
 * a plain object or array on the way to a field set is serialized by JSON.stringify, whole.
 */
function metadataText(meta: unknown): string | undefined {
  const entries = plainJson(meta) ? (meta as { managedFields?: unknown }).managedFields : undefined;
  if (!Array.isArray(entries) || !plainJson(entries)) return JSON.stringify(meta);
  const members = meta as Record<string, unknown>;
  let text = '{';
  for (const key of Object.keys(members)) {
    const piece = key === 'managedFields' ? entriesText(entries) : JSON.stringify(members[key]);
    if (piece === undefined) continue;
    text += memberKey(key, text.length > 1) + piece;
  }
  return `${text}}`;
}

function entriesText(entries: unknown[]): string {
  let text = '[';
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    // In an array, what has no JSON is written as null.
    const piece = plainJson(entry) ? entryText(entry as Record<string, unknown>) : JSON.stringify(entry);
    text += `${i > 0 ? ',' : ''}${piece ?? 'null'}`;
  }
  return `${text}]`;
}

function entryText(entry: Record<string, unknown>): string {
  let text = '{';
  for (const key of Object.keys(entry)) {
    const value = entry[key];
    const piece = key === 'fieldsV1' && plainJson(value) && Object.isFrozen(value) ? frozenFieldsText(value as object) : JSON.stringify(value);
    if (piece === undefined) continue;
    text += memberKey(key, text.length > 1) + piece;
  }
  return `${text}}`;
}

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
