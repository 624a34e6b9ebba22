/**
 * The touched entries of recent Update writes (see managed-fields-kept.ts), by everything their
 * new value depends on. The kubelet writes the status of every pod of a workload the same way:
 * same entries, same changed paths, so decoding them into field sets, moving ownership and encoding
 * them back gives the same entries each time, but for their times.
 *
 * What the general path reads of a touched entry is its manager, operation, apiVersion,
 * subresource and fieldsV1; of the write, its manager identity and the paths it added, modified
 * and removed. Those make the key. Times only pass through: the writer's entry, when it gained
 * fields, takes the write's time; every other entry keeps its own. So a hit is exactly what the
 * general path would return.
 */
import type { ManagedFieldsEntry } from '../../api/types';
import type { FieldSet } from './field-set';
import { managerIdentity, type Managed, type ManagerSet } from './managed-fields';
import { deepFreeze } from '../../api/deep-freeze';

interface RecentEntry {
  id: string;
  /** The encoded entry without its time; fieldsV1 frozen and shared by every hit. */
  entry: ManagedFieldsEntry;
  /** Whose time the entry carries: the write's (the writer gained fields) or the stored entry's. */
  time: 'write' | 'kept';
}

const recent = new Map<string, RecentEntry[]>();
const RECENT_SIZE = 256;

export interface UpdateChanges {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

type Who = Omit<ManagerSet, 'fields'> & { time: string };

export function recentKey(touched: ManagedFieldsEntry[], who: Who, changes: UpdateChanges): string {
  let key = managerIdentity(who);
  for (const e of touched) key += `\n${JSON.stringify([e.manager, e.operation, e.apiVersion, e.subresource ?? '']).slice(0, -1)},${fieldsText(e.fieldsV1)}]`;
  return `${key}\n${changes.added.signature()}\n${changes.modified.signature()}\n${changes.removed.signature()}`;
}

/**
 * The JSON of frozen field sets, by the set: the touched entries of a write are mostly the shared,
 * deep-frozen sets of decoded objects (shared-parts.ts) and the caches', which cannot change, and
 * the same few of them were serialized for every status write's key.
 */
const fieldsTexts = new WeakMap<object, string>();

/** JSON.stringify of a field set as an array member (`null` for what JSON leaves out). */
function fieldsText(fields: unknown): string {
  if (fields === null || typeof fields !== 'object' || !Object.isFrozen(fields)) return JSON.stringify(fields) ?? 'null';
  return frozenFieldsText(fields);
}

/**
 * JSON.stringify of a frozen field set (frozen throughout, by the registry's convention), made
 * once per set: the same few sets are in every status write's key and in its stored text (see
 * spec-text.ts).
 */
export function frozenFieldsText(fields: object): string {
  let text = fieldsTexts.get(fields);
  if (text === undefined) fieldsTexts.set(fields, (text = JSON.stringify(fields)));
  return text;
}

/** The encoded entries by manager identity, as the general path would give them; undefined on a miss. */
export function recall(key: string, touched: ManagedFieldsEntry[], who: Who): Map<string, ManagedFieldsEntry> | undefined {
  const hit = recent.get(key);
  if (!hit) return undefined;
  let kept: Map<string, string | undefined> | undefined;
  const out = new Map<string, ManagedFieldsEntry>();
  for (const r of hit) {
    let time: string | undefined;
    if (r.time === 'write') time = who.time;
    else {
      kept ??= new Map(touched.map((e) => [managerIdentity(e as Parameters<typeof managerIdentity>[0]), typeof e.time === 'string' && e.time ? e.time : undefined]));
      time = kept.get(r.id);
    }
    out.set(r.id, withTime(r.entry, time));
  }
  return out;
}

/**
 * Remembers what the general path made of `key`: `decoded` are the managers as decoded before the
 * update (the writer's is replaced by a new set when it gains fields), `updated` after it.
 */
export function remember(key: string, decoded: Managed, updated: Managed, encoded: Map<string, ManagedFieldsEntry>): void {
  const entries: RecentEntry[] = [];
  for (const [id, e] of encoded) {
    const { time: _time, ...rest } = e;
    // The entry's own copy, sharing its field set frozen: the set is the encoder's new tree, which
    // the write that made it stores as it is (nothing changes a field set once encoded).
    entries.push({ id, entry: Object.freeze({ ...rest, fieldsV1: deepFreeze(rest.fieldsV1) }), time: updated.get(id) === decoded.get(id) ? 'kept' : 'write' });
  }
  if (recent.size >= RECENT_SIZE) recent.delete(recent.keys().next().value!);
  recent.set(key, entries);
}

/** An entry in the encoder's key order (manager, operation, apiVersion, time, fieldsType, fieldsV1, subresource). */
function withTime(e: ManagedFieldsEntry, time: string | undefined): ManagedFieldsEntry {
  const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
  if (time) out.time = time;
  out.fieldsType = e.fieldsType;
  out.fieldsV1 = e.fieldsV1;
  if (e.subresource) out.subresource = e.subresource;
  return out;
}

