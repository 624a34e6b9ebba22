/**
 * The served JSON of recently read objects: a client reading the same object again and again (a
 * GET loop, a controller polling) gets the body the last read made, neither spliced from the
 * stored text nor encoded to bytes again.
 *
 * The served JSON is a pure function of the stored text and the modRevision (withResourceVersion),
 * so an entry is used only when both are the ones it was made from: a write (new revision), a
 * store restarted or another cluster in the same process (same key, other text) never gets a stale
 * body. The key only picks the slot. Bounded: the oldest slot goes when a new key comes in and the
 * cache is full. Only for resources whose stored text is what clients get (no storage conversion).
 */
import type { KeyValue } from '../../store/types';
import { RawJson, withResourceVersion } from './codec';

const CAPACITY = 512;

const entries = new Map<string, { revision: number; value: string; json: RawJson }>();

/** The served JSON of a stored key-value (its text with the resourceVersion spliced in), shared. */
export function servedJson(kv: KeyValue): RawJson {
  const hit = entries.get(kv.key);
  if (hit !== undefined && hit.revision === kv.modRevision && hit.value === kv.value) return hit.json;
  const json = new RawJson(withResourceVersion(kv.value, kv.modRevision));
  if (hit !== undefined) entries.delete(kv.key);
  else if (entries.size >= CAPACITY) entries.delete(entries.keys().next().value!);
  entries.set(kv.key, { revision: kv.modRevision, value: kv.value, json });
  return json;
}
