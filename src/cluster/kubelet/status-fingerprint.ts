/**
 * How the kubelet tells one pod status from the next without keeping it: a fingerprint of the
 * status's JSON text (FNV-1a of its characters, mixed with its length).
 *
 * Contract: `jsonFingerprint(v) === textFingerprint(JSON.stringify(v))` for every JSON-serializable
 * value. It walks the value and hashes the characters JSON.stringify would write, without building
 * the text (a status is ~1 KB; the walk takes less than half the time of stringify + hash, and
 * leaves no string behind). Anything unusual (a string that needs escaping, toJSON, boxed
 * primitives) is hashed from JSON.stringify's own text for that part, so the result never differs.
 */

/** FNV-1a of the text, mixed with its length. */
export function textFingerprint(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) * 65536 + (text.length & 0xffff);
}

/** The fingerprint of `value`'s JSON text, without the text. */
export function jsonFingerprint(value: unknown): number {
  hash = 2166136261;
  length = 0;
  addValue(value);
  return (hash >>> 0) * 65536 + (length & 0xffff);
}

let hash = 0;
let length = 0;

/**
 * The fingerprint of a JSON array written element by element, without the array: `beginArray()`,
 * then `element(v)` (JSON's array rules: undefined, functions and symbols as null) or a nested
 * `beginArray()` ... `endArray()`, and `endArray()`; the outermost `endArray()` returns what
 * jsonFingerprint of the array would. For prints made many times a pod (statusPrint), whose arrays
 * would only be made to be walked. Not reentrant (nor is jsonFingerprint): nothing else runs between.
 */
let depth = 0;
/** Per nesting level (as bits, from the lowest): an element has been written at that level. */
let started = 0;

/**
 * beginArray for a print's outermost array: starts afresh whatever a print that threw midway left
 * (statusPrint reads statuses other writers stored: a null volume mount throws). Without it, every
 * later print would nest inside the abandoned one and end as -1, all alike.
 */
export function beginPrint(): void {
  depth = 0;
  beginArray();
}

export function beginArray(): void {
  if (depth === 0) { hash = 2166136261; length = 0; started = 0; }
  else separate();
  depth++;
  started &= ~(1 << depth);
  addChar(91);
}

export function element(v: unknown): void {
  separate();
  if (skipped(v)) addText('null');
  else addValue(v);
}

/** Closes the array; the fingerprint once the outermost one is closed (else -1). */
export function endArray(): number {
  addChar(93);
  depth--;
  if (depth > 0) return -1;
  return (hash >>> 0) * 65536 + (length & 0xffff);
}

/** A comma before every element of the current array but its first. */
function separate(): void {
  const bit = 1 << depth;
  if (started & bit) addChar(44);
  else started |= bit;
}

function addText(text: string): void {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  hash = h;
  length += text.length;
}

function addChar(c: number): void {
  hash = Math.imul(hash ^ c, 16777619);
  length++;
}

/** A string as JSON writes it: quoted; escapes and surrogates are left to JSON.stringify. */
function addString(s: string): void {
  let h = Math.imul(hash ^ 34, 16777619);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return addText(JSON.stringify(s));
    h = Math.imul(h ^ c, 16777619);
  }
  hash = Math.imul(h ^ 34, 16777619);
  length += s.length + 2;
}

const skipped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

function addValue(v: unknown): void {
  switch (typeof v) {
    case 'string':
      return addString(v);
    case 'boolean':
      return addText(v ? 'true' : 'false');
    case 'number':
      return addText(Number.isFinite(v) ? String(v) : 'null');
    case 'object':
      break;
    default:
      return addText(JSON.stringify(v)); // bigint throws, as JSON.stringify does
  }
  if (v === null) return addText('null');
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function' || v instanceof String || v instanceof Number || v instanceof Boolean) {
    return addText(JSON.stringify(v));
  }
  if (Array.isArray(v)) {
    addChar(91);
    for (let i = 0; i < v.length; i++) {
      if (i > 0) addChar(44);
      const e: unknown = v[i];
      if (skipped(e)) addText('null');
      else addValue(e);
    }
    return addChar(93);
  }
  addChar(123);
  let first = true;
  for (const key in v) {
    if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
    const e = (v as Record<string, unknown>)[key];
    if (skipped(e)) continue;
    if (!first) addChar(44);
    first = false;
    addString(key);
    addChar(58);
    addValue(e);
  }
  addChar(125);
}
