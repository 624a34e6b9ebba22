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
import { canonicalFieldsV1 } from './managed-fields-kept';
import { isObject, type JsonObject } from './json-value';

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
  const kept = keptMembers(touched, changes);
  for (let i = 0; i < touched.length; i++) {
    const e = touched[i]!;
    const names = kept?.[i];
    if (names === undefined) {
      key += `\n${JSON.stringify([e.manager, e.operation, e.apiVersion, e.subresource ?? '']).slice(0, -1)},${fieldsText(e.fieldsV1)}]`;
      continue;
    }
    // One member more before the set, so that no set a client sent (whatever it holds) reads the same.
    const head = JSON.stringify([e.manager, e.operation, e.apiVersion, e.subresource ?? '', `kept ${names.join(' ')}`]).slice(0, -1);
    key += `\n${head},${JSON.stringify(withKeptMembers(e.fieldsV1 as JsonObject, names))}]`;
  }
  key += `\n${changes.added.signature()}\n${changes.modified.signature()}\n${changes.removed.signature()}`;
  lastKey = { key, kept };
  return key;
}

/**
 * Status members whose field sets name one pod's own values (`k:{"ip":"10.244.3.7"}` under
 * f:podIPs): the kubelet's entry of every pod differs there, so a key holding the whole set never
 * met another pod's, and every status write after the pod got its IP (the terminal one of every
 * deletion among them) took the general path. A write that changes no path under such a member
 * leaves it as the entry had it: ownership moves only by the exact paths a write changes or
 * removes (server-side-apply.ts shareOut), and a canonical set encodes back to itself. So the key
 * has a placeholder there, and a hit gets each entry's own member back (recall).
 */
const OWN_VALUE_MEMBERS = ['podIPs', 'hostIPs'];

/** The kept members of the touched entries (by index) that recentKey left out of the key it made last. */
let lastKey: { key: string; kept: (string[] | undefined)[] | undefined } | undefined;

function keptMembers(touched: ManagedFieldsEntry[], changes: UpdateChanges): (string[] | undefined)[] | undefined {
  let out: (string[] | undefined)[] | undefined;
  for (let i = 0; i < touched.length; i++) {
    const status = (touched[i]!.fieldsV1 as JsonObject | undefined)?.['f:status'];
    if (!isObject(status)) continue;
    for (const name of OWN_VALUE_MEMBERS) {
      const member = status[`f:${name}`];
      if (member === undefined || !canonicalFieldsV1(member, false) || changesStatusMember(changes, name)) continue;
      ((out ??= [])[i] ??= []).push(`f:${name}`);
    }
  }
  return out;
}

/** Whether the write changes or removes a path under status.<name>, or status itself. */
function changesStatusMember(changes: UpdateChanges, name: string): boolean {
  for (const set of [changes.added, changes.modified, changes.removed]) {
    for (const path of set.members()) {
      const first = path[0];
      if (first === undefined || !('field' in first) || first.field !== 'status') continue;
      const second = path[1];
      if (second === undefined || ('field' in second && second.field === name)) return true;
    }
  }
  return false;
}

/** The set with the kept members' values replaced by a placeholder. */
function withKeptMembers(fields: JsonObject, names: string[]): JsonObject {
  const status: JsonObject = { ...(fields['f:status'] as JsonObject) };
  for (const name of names) status[name] = 'kept';
  return { ...fields, 'f:status': status };
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
  // Only for the key recentKey made last (the caller's, just before): it knows what was left out.
  if (lastKey?.key !== key) return undefined;
  const holes = lastKey.kept;
  if (holes === undefined) return out;
  // Each entry's own kept members back in place of the ones of the write that filled the entry.
  for (let i = 0; i < touched.length; i++) {
    const names = holes[i];
    if (names === undefined) continue;
    const own = touched[i]!;
    const id = managerIdentity(own as Parameters<typeof managerIdentity>[0]);
    const entry = out.get(id);
    const fields = entry?.fieldsV1 as JsonObject | undefined;
    const status = fields?.['f:status'];
    if (entry === undefined || !isObject(status)) return undefined;
    const next: JsonObject = { ...status };
    for (const name of names) {
      if (!(name in status)) return undefined;
      next[name] = ((own.fieldsV1 as JsonObject)['f:status'] as JsonObject)[name];
    }
    // Members keep their places (the encoder orders them by path, not by what they hold).
    out.set(id, { ...entry, fieldsV1: { ...fields, 'f:status': next } });
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

