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
 * general path would return. Two things in a key stand for what differs from pod to pod: a
 * placeholder for own-value members a write leaves alone (keptMembers), and ordinals for the items
 * it adds to them (renaming); a hit gets each pod's own back.
 */
import type { ManagedFieldsEntry } from '../../api/types';
import { comparePathElements, serializePathElement, type FieldPath, type FieldSet, type PathElement } from './field-set';
import { EntryTexts, managerIdentity, type Managed, type ManagerSet } from './managed-fields';
import { deepFreeze } from '../../api/deep-freeze';
import { RecentWeakMap } from '../../api/recent-weak-map';
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
  const scan = statusChanges(changes);
  const kept = keptMembers(touched, scan);
  const renamed = renaming(touched, scan);
  for (let i = 0; i < touched.length; i++) {
    const e = touched[i]!;
    const names = kept?.[i];
    // One member more for a set with kept members, so that no set a client sent (whatever it holds) reads the same.
    key += `\n${entryHead(e)},${names === undefined ? '' : 'kept '}${fieldsNumber(e.fieldsV1, names)}]`;
  }
  key += `\n${changesText(changes.added, renamed)}\n${changesText(changes.modified, renamed)}\n${changesText(changes.removed, renamed)}`;
  lastKey = { key, kept, renamed };
  return key;
}

/**
 * The key's text for a touched entry's manager, operation, apiVersion and subresource (a JSON
 * array left open), spelled once per four: every status write's key holds the same few.
 */
function entryHead(e: ManagedFieldsEntry): string {
  return heads.text(e.manager, e.operation, e.apiVersion, e.subresource ?? '');
}

/** Heads spelled at once (entries are client input); past 1,024 the table starts again. */
const heads = new EntryTexts((manager, operation, apiVersion, subresource) => JSON.stringify([manager, operation, apiVersion, subresource]).slice(0, -1), 1024);

/**
 * The key holds numbers for the texts it is made of (field sets, changed paths), each text given
 * its number once: the key of a kubelet status write spelled out was 2 KB, and finding it among the
 * recent writes (hashing and comparing it) was most of answering from them. A number is never
 * given to another text (numbers are not reused when the table starts again), so equal keys still
 * mean equal texts.
 */
const numbers = new Map<string, number>();
/** Texts numbered at once; past this the table starts again, with new numbers. */
const MAX_NUMBERS = 8192;
let nextNumber = 0;

function numberOf(text: string): number {
  let n = numbers.get(text);
  if (n === undefined) {
    if (numbers.size >= MAX_NUMBERS) numbers.clear();
    numbers.set(text, (n = nextNumber++));
  }
  return n;
}

/**
 * The numbers of frozen field sets, by the set (and, for a set with kept members, by their names):
 * the touched entries of a write are mostly the shared, deep-frozen sets of decoded objects
 * (shared-parts.ts) and the caches', which cannot change, and the same few of them are in every
 * status write's key. The recent ones only (RecentWeakMap): a pod's own kubelet set (its IPs in it)
 * is numbered at its terminal status write and never met again, and a burst of deletions left one
 * entry a pod in the tables' room for good.
 */
const FROZEN_GENERATION = 8192;
const frozenNumbers = new RecentWeakMap<object, number>(FROZEN_GENERATION);
const frozenKeptNumbers = new RecentWeakMap<object, Map<string, number>>(FROZEN_GENERATION);

/** The number of a touched entry's set as the key spells it: JSON.stringify's text, kept members replaced by a placeholder. */
function fieldsNumber(fields: unknown, kept: string[] | undefined): number {
  const frozen = fields !== null && typeof fields === 'object' && Object.isFrozen(fields);
  if (kept === undefined) {
    if (!frozen) return numberOf(JSON.stringify(fields) ?? 'null');
    let n = frozenNumbers.get(fields);
    if (n === undefined) frozenNumbers.set(fields, (n = numberOf(frozenFieldsText(fields))));
    return n;
  }
  const text = () => JSON.stringify(withKeptMembers(fields as JsonObject, kept));
  if (!frozen) return numberOf(text());
  const names = kept.join(' ');
  let byNames = frozenKeptNumbers.get(fields);
  if (byNames === undefined) frozenKeptNumbers.set(fields, (byNames = new Map()));
  let n = byNames.get(names);
  if (n === undefined) byNames.set(names, (n = numberOf(text())));
  return n;
}

/**
 * A text equal for two sets exactly when they hold the same paths in the same order (the diff
 * inserts the paths of the same write of the same writer in the same order, so sorting them, as
 * FieldSet.signature does, buys nothing here): their count, then the numbers of their path keys.
 * Items of own-value members are spelled by their ordinal (see renaming).
 */
function changesText(set: FieldSet, renamed: Renaming | undefined): string {
  // Joined once (a status write changes dozens of paths): `+=` made a piece and a rope node a path.
  const numbers = new Array<number>(set.size + 1);
  numbers[0] = set.size;
  let i = 1;
  if (renamed === undefined) for (const k of set.keys()) numbers[i++] = numberOf(k);
  else for (const [k, path] of set.entries()) numbers[i++] = numberOf(renamedPathKey(k, path, renamed.ordinals));
  return numbers.join(',');
}

/**
 * The items a write adds to (or changes or removes from) an own-value member (the pod's IP the
 * kubelet reports: `k:{"ip":"10.244.3.7"}` under f:podIPs), renamed to their ordinals
 * (`k:{"ip":#0}`) in the key and in the remembered entries, and named again on a hit: without
 * it, the status write that first reports a pod's IP had a key of its own and took the general path
 * for every pod.
 *
 * The general path compares items only for equality and sorts them (comparePathElements), so
 * renaming them one to one, in the order they sort, gives its answer renamed the same way. That
 * holds while every item of the member in the answer comes from the write: so no touched entry may
 * own anything under the member (its items would be spelled in the key as they are), and every
 * item must be a single-field key with a string value.
 */
interface Renaming {
  /** The members renamed (`f:podIPs`). */
  members: Set<string>;
  /** Ordinal spelling (`k:{"ip":#0}`) by item spelling (`k:{"ip":"10.244.3.7"}`), and back. */
  ordinals: Map<string, string>;
  names: Map<string, string>;
}

/**
 * What a write changes under status, read in one pass over its changes: whether status itself,
 * which of its members, and the items of own-value members (undefined when one cannot be renamed).
 */
interface StatusChanges {
  whole: boolean;
  members: Set<string>;
  items: Map<string, PathElement> | undefined;
  renamable: boolean;
}

function statusChanges(changes: UpdateChanges): StatusChanges {
  const scan: StatusChanges = { whole: false, members: new Set(), items: undefined, renamable: true };
  // The paths of one comparison share their elements (path-nodes.ts): a run of paths under the
  // same member is read once for the member.
  let previous: PathElement | undefined;
  let own = false;
  for (const set of [changes.added, changes.modified, changes.removed]) {
    for (const path of set.values()) {
      const first = path[0];
      if (first === undefined || !('field' in first) || first.field !== 'status') continue;
      const second = path[1];
      if (second === undefined) {
        scan.whole = true;
        continue;
      }
      if (!('field' in second)) continue;
      if (second !== previous) {
        previous = second;
        scan.members.add(second.field);
        own = OWN_VALUE_MEMBERS.includes(second.field);
      }
      if (path.length < 3 || !own) continue;
      const item = path[2]!;
      if (!('key' in item) || item.key.length !== 1 || typeof item.key[0]![1] !== 'string') scan.renamable = false;
      else (scan.items ??= new Map()).set(serializePathElement(item), item);
    }
  }
  return scan;
}

function renaming(touched: ManagedFieldsEntry[], scan: StatusChanges): Renaming | undefined {
  const items = scan.items;
  if (items === undefined || !scan.renamable) return undefined;
  const members = new Set<string>();
  for (const name of OWN_VALUE_MEMBERS) if (scan.members.has(name)) members.add(`f:${name}`);
  for (const e of touched) {
    const status = (e.fieldsV1 as JsonObject | undefined)?.['f:status'];
    if (!isObject(status)) continue;
    for (const member of members) if (status[member] !== undefined) return undefined;
  }
  const sorted = [...items].sort((a, b) => comparePathElements(a[1], b[1]));
  const ordinals = new Map<string, string>();
  const names = new Map<string, string>();
  sorted.forEach(([spelled, item], i) => {
    const ordinal = `k:{${JSON.stringify((item as { key: [string, unknown][] }).key[0]![0])}:#${i}}`;
    ordinals.set(spelled, ordinal);
    names.set(ordinal, spelled);
  });
  return { members, ordinals, names };
}

/** The own-value member a path is under (`podIPs` for status.podIPs...), if any. */
function ownValueMember(path: FieldPath): string | undefined {
  const first = path[0];
  const second = path[1];
  if (first === undefined || second === undefined || !('field' in first) || first.field !== 'status' || !('field' in second)) return undefined;
  return OWN_VALUE_MEMBERS.includes(second.field) ? second.field : undefined;
}

/** A path key with the item of an own-value member spelled by its ordinal. */
function renamedPathKey(k: string, path: FieldPath, ordinals: Map<string, string>): string {
  if (path.length < 3) return k;
  const name = ownValueMember(path);
  if (name === undefined) return k;
  const prefix = `f:status\u0000f:${name}\u0000`;
  const item = serializePathElement(path[2]!);
  return prefix + ordinals.get(item)! + k.slice(prefix.length + item.length);
}

/** `fields` with the items of the renamed members spelled through `spelling`; undefined when one has no spelling. */
function respelled(fields: JsonObject, members: Set<string>, spelling: Map<string, string>): JsonObject | undefined {
  const status = fields['f:status'];
  if (!isObject(status)) return fields;
  let next: JsonObject | undefined;
  for (const member of members) {
    const items = status[member];
    if (!isObject(items)) continue;
    const out: JsonObject = {};
    for (const k of Object.keys(items)) {
      if (k === '.') {
        out[k] = items[k];
        continue;
      }
      const spelled = spelling.get(k);
      if (spelled === undefined) return undefined;
      out[spelled] = items[k];
    }
    (next ??= { ...status })[member] = out;
  }
  return next === undefined ? fields : { ...fields, 'f:status': next };
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
let lastKey: { key: string; kept: (string[] | undefined)[] | undefined; renamed: Renaming | undefined } | undefined;

function keptMembers(touched: ManagedFieldsEntry[], scan: StatusChanges): (string[] | undefined)[] | undefined {
  if (scan.whole) return undefined;
  let out: (string[] | undefined)[] | undefined;
  for (let i = 0; i < touched.length; i++) {
    const status = (touched[i]!.fieldsV1 as JsonObject | undefined)?.['f:status'];
    if (!isObject(status)) continue;
    for (const name of OWN_VALUE_MEMBERS) {
      const member = status[`f:${name}`];
      // A member the write changes (or status itself) is in the key as it is.
      if (member === undefined || !canonicalFieldsV1(member, false) || scan.members.has(name)) continue;
      ((out ??= [])[i] ??= []).push(`f:${name}`);
    }
  }
  return out;
}

/** The set with the kept members' values replaced by a placeholder. */
function withKeptMembers(fields: JsonObject, names: string[]): JsonObject {
  const status: JsonObject = { ...(fields['f:status'] as JsonObject) };
  for (const name of names) status[name] = 'kept';
  return { ...fields, 'f:status': status };
}

const fieldsTexts = new WeakMap<object, string>();

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
  const renamed = lastKey.renamed;
  if (renamed !== undefined) {
    // This write's items in place of the ordinals.
    for (const [id, entry] of out) {
      const fields = respelled(entry.fieldsV1 as JsonObject, renamed.members, renamed.names);
      if (fields === undefined) return undefined;
      if (fields !== entry.fieldsV1) out.set(id, { ...entry, fieldsV1: fields });
    }
  }
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
  // The key recentKey made last is the caller's (just before): what it renamed is renamed here.
  if (lastKey?.key !== key) return;
  const renamed = lastKey.renamed;
  const entries: RecentEntry[] = [];
  for (const [id, e] of encoded) {
    const { time: _time, ...rest } = e;
    // The entry's own copy, sharing its field set frozen: the set is the encoder's new tree, which
    // the write that made it stores as it is (nothing changes a field set once encoded).
    let fields = deepFreeze(rest.fieldsV1) as JsonObject;
    if (renamed !== undefined) {
      const ordinal = respelled(fields, renamed.members, renamed.ordinals);
      if (ordinal === undefined) return;
      fields = deepFreeze(ordinal);
    }
    entries.push({ id, entry: Object.freeze({ ...rest, fieldsV1: fields }), time: updated.get(id) === decoded.get(id) ? 'kept' : 'write' });
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

