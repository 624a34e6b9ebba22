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
 * right after the metadata (as stored pods and nodes do). Anything else is serialized. Nothing is
 * remembered: the previous text is the store's, read by the write anyway.
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

export function shapeText(shape: object, previous?: PreviousRevision): string {
  const members = shape as Record<string, unknown>;
  const spec = members.spec;
  const kept = previous !== undefined && spec !== null && typeof spec === 'object' && Object.isFrozen(spec) && (previous.object as { spec?: unknown }).spec === spec ? specText(previous.text) : undefined;
  if (kept === undefined) return flatText(JSON.stringify(shape));
  let text = '{';
  for (const key of Object.keys(members)) {
    // JSON.stringify leaves out members whose value has no JSON (undefined, functions, symbols).
    const piece = key === 'spec' ? kept : key === 'metadata' ? metadataText(members[key]) : JSON.stringify(members[key]);
    if (piece === undefined) continue;
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${piece}`;
  }
  return flatText(`${text}}`);
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
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${piece}`;
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
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${piece}`;
  }
  return `${text}}`;
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
