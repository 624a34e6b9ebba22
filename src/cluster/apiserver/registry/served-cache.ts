/**
 * The served JSON of recently read objects: a client reading the same object again and again (a
 * GET loop, a controller polling) gets the body the last read made, neither spliced from the
 * stored text nor encoded to bytes again.
 *
 * The served JSON is a pure function of the stored text and the modRevision (withResourceVersion),
 * so an entry is used only when both are the ones it was made from: a write (new revision), a
 * store restarted or another cluster in the same process (same key, other text) never gets a stale
 * body. The key only picks the slot. Bounded in slots and in bytes: the oldest slots go when a new
 * key comes in and the cache is full. Only for resources whose stored text is what clients get (no
 * storage conversion).
 */
import type { KeyValue } from '../../store/types';
import { RawJson, withResourceVersion } from './codec';

const CAPACITY = 512;
/**
 * Stored text the cache may hold, summed (each entry also holds the served text and its bytes, and
 * keeps an overwritten or deleted object's text alive): 512 slots of objects near etcd's 1.5 MB
 * limit would otherwise hold gigabytes.
 */
export const SERVED_CACHE_BYTES = 16 * 1024 * 1024;

const entries = new Map<string, { revision: number; value: string; json: RawJson }>();
let heldBytes = 0;

/** The served JSON of a stored key-value (its text with the resourceVersion spliced in), shared. */
export function servedJson(kv: KeyValue): RawJson {
  const hit = entries.get(kv.key);
  if (hit !== undefined && hit.revision === kv.modRevision && hit.value === kv.value) return hit.json;
  const json = new RawJson(withResourceVersion(kv.value, kv.modRevision));
  if (hit !== undefined) forget(kv.key, hit.value);
  if (kv.value.length > SERVED_CACHE_BYTES / 8) return json;
  while (entries.size > 0 && (entries.size >= CAPACITY || heldBytes + kv.value.length > SERVED_CACHE_BYTES)) {
    const [oldest, entry] = entries.entries().next().value!;
    forget(oldest, entry.value);
  }
  entries.set(kv.key, { revision: kv.modRevision, value: kv.value, json });
  heldBytes += kv.value.length;
  return json;
}

function forget(key: string, value: string): void {
  entries.delete(key);
  heldBytes -= value.length;
}
