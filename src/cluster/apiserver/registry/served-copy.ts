/**
 * Caller-owned copies of the registry's shared objects (RegistryStore.shared), as an in-process
 * caller gets an answer it may change: equal to JSON.parse of the served text, member order
 * included, without making that text or parsing it.
 *
 * A shared object is exact JSON by contract (the decode of its stored text, or a written object
 * jsonExact accepted: see written.ts), so the copy needs none of jsonCopy's checks for values JSON
 * would change. Strings are immutable and so are shared with the original; only objects and arrays
 * are made. A Running pod's copy took about half the time and memory of a parse of its text.
 * Used for in-process answers: graceful deletes, creates and updates (RegistryStore.servedCopy, writeResult).
 */
import type { KubeObject } from '../../api/types';
import { setMember } from '../patch/json-value';

/**
 * `object` (a shared object) as JSON.parse of its served text gives it: the served text has the
 * resourceVersion first in the metadata (withResourceVersion), the shared object has it where it
 * was added after the decode, last.
 */
export function servedOrderCopy(object: KubeObject): KubeObject {
  const source = object as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in source) {
    const value = source[key];
    if (key === 'metadata' && value !== null && typeof value === 'object' && !Array.isArray(value)) out.metadata = metadataCopy(value as Record<string, unknown>);
    else setMember(out, key, exactCopy(value));
  }
  return out as unknown as KubeObject;
}

function metadataCopy(meta: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if ('resourceVersion' in meta) out.resourceVersion = meta.resourceVersion;
  for (const key in meta) if (key !== 'resourceVersion') setMember(out, key, exactCopy(meta[key]));
  return out;
}

/** A copy of an exact JSON value (see above). */
export function exactCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = exactCopy(value[i]);
    return out;
  }
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in source) setMember(out, key, exactCopy(source[key]));
  return out;
}
