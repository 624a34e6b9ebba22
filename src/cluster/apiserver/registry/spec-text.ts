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
    const piece = key === 'spec' ? kept : JSON.stringify(members[key]);
    if (piece === undefined) continue;
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${piece}`;
  }
  return flatText(`${text}}`);
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
