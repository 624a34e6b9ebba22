/**
 * Copies of in-process request bodies, several times cheaper than the built-ins for the plain
 * objects components send, with the built-ins' exact results:
 *
 * - jsonCopy(v) is `JSON.parse(JSON.stringify(v))`: undefined, function and symbol members are
 *   dropped (null in arrays), numbers that are not finite become null.
 * - structuredCopy(v) is `structuredClone(v)` (undefined members and NaN kept).
 *
 * Anything else than plain objects, dense arrays and primitives (a Date or another class, a
 * toJSON method, a bigint, a sparse array, an own `__proto__` member, nesting deeper than
 * MAX_DEPTH, which a cycle reaches) is handed to the built-in for the whole value, so its answer
 * and its errors stay the built-in's.
 */

const MAX_DEPTH = 200;
const hasOwn = Object.prototype.hasOwnProperty;

class Exotic extends Error {}
const EXOTIC = new Exotic();

function plainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

function jsonValue(v: unknown, depth: number, inArray: boolean): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? (v === 0 ? 0 : v) : null; // -0 prints as 0
    case 'object':
      break;
    case 'undefined':
    case 'function':
    case 'symbol':
      return inArray ? null : undefined;
    default:
      throw EXOTIC; // bigint: JSON.stringify throws
  }
  if (v === null) return null;
  if (depth > MAX_DEPTH) throw EXOTIC;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype || typeof (v as { toJSON?: unknown }).toJSON === 'function') throw EXOTIC;
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = jsonValue(v[i], depth + 1, true);
    return out;
  }
  if (!plainObject(v)) throw EXOTIC;
  const out: Record<string, unknown> = {};
  // for-in over own members rather than Object.keys (same members, same order): no key array per
  // object copied, and in-process bodies are copied on every write.
  for (const k in v) {
    if (!hasOwn.call(v, k)) continue;
    if (k === '__proto__') throw EXOTIC; // an own member of that name: assigning it would set the prototype
    const c = jsonValue((v as Record<string, unknown>)[k], depth + 1, false);
    if (c !== undefined) out[k] = c;
  }
  return out;
}

/** `JSON.parse(JSON.stringify(v))`, faster for plain values. */
export function jsonCopy<T>(v: T): T {
  try {
    // A value JSON.stringify leaves out (undefined, a function, a symbol) makes JSON.parse throw.
    const out = jsonValue(v, 0, false);
    if (out === undefined) throw EXOTIC;
    return out as T;
  } catch (err) {
    if (!(err instanceof Exotic)) throw err;
    return JSON.parse(JSON.stringify(v)) as T;
  }
}

function structuredValue(v: unknown, depth: number): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw EXOTIC;
    return v;
  }
  if (depth > MAX_DEPTH) throw EXOTIC;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype || Object.keys(v).length !== v.length) throw EXOTIC;
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = structuredValue(v[i], depth + 1);
    return out;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) throw EXOTIC;
  const out: Record<string, unknown> = {};
  for (const k in v) {
    if (!hasOwn.call(v, k)) continue;
    if (k === '__proto__') throw EXOTIC;
    out[k] = structuredValue((v as Record<string, unknown>)[k], depth + 1);
  }
  return out;
}

/** `structuredClone(v)`, faster for plain values. */
export function structuredCopy<T>(v: T): T {
  try {
    return structuredValue(v, 0) as T;
  } catch (err) {
    if (!(err instanceof Exotic)) throw err;
    return structuredClone(v);
  }
}
