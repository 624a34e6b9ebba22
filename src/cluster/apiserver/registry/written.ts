/**
 * Objects a write has just encoded, handed to the first reader of the stored value instead of a
 * decode of the text (RegistryStore.shared): the watch fan-out of a write would otherwise parse
 * back, for every create, status write and graceful delete, the text the write made a moment ago.
 *
 * Contract:
 * - A written object stands for stored text only if it is exactly what JSON.parse of that text
 *   gives (`jsonExact`): no undefined members, non-finite numbers, -0, holes or non-plain objects.
 *   Anything else is decoded from the text as before.
 * - It is taken by text, not revision: a write registers it before its transaction (the store's
 *   watch fan-out runs before the writer resumes), and the first key-value of that key whose value
 *   is the same text takes it. The decode of a text is a function of the text alone, so any
 *   key-value with that value is served correctly by it; its resourceVersion is set when taken.
 * - Once taken it is shared like a decoded object, and frozen (shared-parts.ts shareWrittenParts,
 *   which checks it is exact in the same walk): its nested values came through strategies,
 *   admission and patches, so a holder that still reaches one of them gets an error on a write
 *   instead of changing what every watcher sees. The writer hands its
 *   callers a separate decode (the registry's WriteResult.object) or text, never this object.
 * - A write that failed, or whose value nobody read before it resumed, withdraws its object.
 */
import type { KubeObject } from '../../api/types';
import { shareWrittenParts } from './shared-parts';

export interface WrittenObject {
  text: string;
  object: KubeObject;
}

export class WrittenObjects {
  private readonly byKey = new Map<string, WrittenObject>();

  /** Registers `object` as the decode of `text` under `key` (replacing an earlier write's: that one is only missed). */
  offer(key: string, text: string, object: KubeObject): WrittenObject {
    const written = { text, object };
    this.byKey.set(key, written);
    return written;
  }

  /**
   * The object written as `value` under `key`, once, with `revision` as its resourceVersion (which
   * its text does not hold), frozen and sharing the shared parts; undefined when there is none or
   * it is not exact.
   */
  take(key: string, value: string, revision: number): KubeObject | undefined {
    const written = this.byKey.get(key);
    if (written === undefined || written.text !== value) return undefined;
    this.byKey.delete(key);
    const { object } = written;
    if (Object.isFrozen(object.metadata)) return undefined;
    object.metadata.resourceVersion = String(revision);
    return shareWrittenParts(object) ? object : undefined;
  }

  /** Withdraws `written` if nobody took it. */
  withdraw(key: string, written: WrittenObject): void {
    if (this.byKey.get(key) === written) this.byKey.delete(key);
  }
}

/**
 * Whether JSON.parse(JSON.stringify(value)) gives back a value equal to `value` in every respect but
 * identity. A frozen object or array counts as exact without a look inside: the registry freezes
 * only values it decoded or checked with this function (shared parts, written objects, the
 * managedFields caches' copies), so a write's frozen parts (a status write's spec, kept
 * managedFields entries) are not walked again.
 */
export function jsonExact(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return exactScalar(value);
  if (Object.isFrozen(value)) return true;
  if (!plainPrototype(value)) return false;
  if (Array.isArray(value)) {
    // A hole reads as undefined, which is not exact either.
    for (let i = 0; i < value.length; i++) if (!jsonExact(value[i])) return false;
    return true;
  }
  for (const k in value) {
    if (k === '__proto__' || !jsonExact((value as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** A scalar JSON gives back as it was: a string, a boolean, null, or a finite number other than -0. */
export function exactScalar(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    default:
      return value === null;
  }
}

/** A plain object or array (their prototypes are what JSON.parse makes). */
export function plainPrototype(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return Array.isArray(value) ? proto === Array.prototype : proto === Object.prototype;
}
