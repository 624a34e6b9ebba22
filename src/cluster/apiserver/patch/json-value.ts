/**
 * Helpers over plain JSON values (what the wire carries), shared by the patch algorithms. Every patch
 * function works on copies: the live object a caller passes in is never mutated (unless the caller
 * says it owns it, see applyPatch's ownsLive).
 */
import { jsonCopy } from '../../api/json-copy';

export type JsonObject = { [key: string]: unknown };

const hasOwn = Object.prototype.hasOwnProperty;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `object[k] = value`, also for a member named `__proto__` (JSON.parse makes it an own member; assigning it would set the prototype). */
export function setMember(object: JsonObject, k: string, value: unknown): void {
  if (k === '__proto__') Object.defineProperty(object, k, { value, enumerable: true, writable: true, configurable: true });
  else object[k] = value;
}

export function clone<T>(v: T): T {
  return v === undefined ? v : jsonCopy(v);
}

/**
 * Structural equality of two JSON values (object key order does not matter). Allocates nothing
 * (no key arrays, no closures): the managedFields bookkeeping of every update compares the old and
 * new objects member by member with it.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  // Own enumerable members only, as Object.keys: JSON values inherit none, but a caller's might.
  let count = 0;
  for (const k in a) {
    if (!hasOwn.call(a, k)) continue;
    if (!hasOwn.call(b, k) || !deepEqual((a as JsonObject)[k], (b as JsonObject)[k])) return false;
    count++;
  }
  for (const k in b) if (hasOwn.call(b, k) && --count < 0) return false;
  return count === 0;
}

/**
 * A value printed as Go's `%v` prints the result of decoding JSON into interface{}, so that error
 * messages quoting patch content read as kube-apiserver's do: `map[image:nginx name:web]`.
 */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${goFormat(v[k])}`).join(' ')}]`;
  }
  return String(v);
}

/** The Go kind name JSON decoding would give a value, as encoding/json words type errors. */
export function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // string, number
}
