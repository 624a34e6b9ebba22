/**
 * The common Update, answered without decoding managedFields: a manager rewrites fields it already
 * owns alone (a kubelet renewing its Lease, reporting its node's or a pod's status). Ownership then
 * does not move; only the writer's entry gets the new time, and the entries are sorted again (the
 * order depends on time). Everything else (new fields, fields of other managers, removals, entries
 * that are not in the canonical shape the encoder writes) returns undefined: the caller takes the
 * general path, which decodes every entry into field sets and encodes them back.
 *
 * The answer is exactly what that general path returns for these writes; it only skips the work.
 */
import type { ManagedFieldsEntry } from '../../api/types';
import { compareManagedEntries, managerIdentity, MAX_UPDATE_MANAGERS } from './managed-fields';
import { serializePathElement, type FieldPath, type PathElement } from './field-set';
import { isObject, type JsonObject } from './json-value';

type Ordered = Parameters<typeof compareManagedEntries>[0];

const CANONICAL_KEYS = ['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource'];

/** An entry exactly as encodeManagedFields writes it (so keeping it as is equals re-encoding it). */
export function canonicalEntry(e: unknown): e is ManagedFieldsEntry & { fieldsV1: JsonObject } {
  if (!isObject(e)) return false;
  let at = 0;
  for (const k of Object.keys(e)) {
    while (at < CANONICAL_KEYS.length && CANONICAL_KEYS[at] !== k) at++;
    if (at === CANONICAL_KEYS.length) return false;
  }
  const m = e as ManagedFieldsEntry;
  return (
    typeof m.manager === 'string' && (m.operation === 'Apply' || m.operation === 'Update') && typeof m.apiVersion === 'string' &&
    (m.time === undefined || (typeof m.time === 'string' && m.time !== '')) && m.fieldsType === 'FieldsV1' &&
    isObject(m.fieldsV1) && Object.keys(m.fieldsV1).length > 0 && (m.subresource === undefined || (typeof m.subresource === 'string' && m.subresource !== ''))
  );
}

/** Whether `path` is a member of the set `fields` spells (FieldSet.fromFieldsV1's reading). */
export function owns(fields: JsonObject, path: FieldPath): boolean {
  let node: unknown = fields;
  for (const pe of path) {
    if (!isObject(node)) return false;
    node = node[elementSpelling(pe)];
    if (node === undefined) return false;
  }
  return !isObject(node) || Object.keys(node).length === 0 || node['.'] !== undefined;
}

/** An element as a FieldsV1 member names it (fields spelled once per name, see fieldSpelling). */
export function elementSpelling(pe: PathElement): string {
  return 'field' in pe ? fieldSpelling(pe.field) : serializePathElement(pe);
}

/**
 * `f:<name>`, made once per name: a status write asks every stored entry about each path it
 * changed, and most are not owned at the first element (`f:status` in the creator's entry), so
 * spelling that element was most of the question.
 */
function fieldSpelling(name: string): string {
  let spelled = fieldSpellings.get(name);
  if (spelled === undefined) {
    if (fieldSpellings.size >= 4096) fieldSpellings.clear();
    fieldSpellings.set(name, (spelled = `f:${name}`));
  }
  return spelled;
}

const fieldSpellings = new Map<string, string>();

/** Whether any entry's set (of those that have one) owns `path`. */
function ownedByAny(entries: unknown[], path: FieldPath): boolean {
  for (const e of entries) {
    const fields = isObject(e) ? e.fieldsV1 : undefined;
    if (isObject(fields) && owns(fields, path)) return true;
  }
  return false;
}

/** A key of more than one field is spelled in the order the path holds it; the stored spelling is sorted. */
function simple(path: FieldPath): boolean {
  for (const pe of path) if ('key' in pe && pe.key.length > 1) return false;
  return true;
}

export interface OwnedUpdate {
  /** The entries in force (the stored ones, or the identical ones the client sent back). */
  entries: unknown;
  /** The paths this write changed (after reset fields), and those it removed. */
  changed: FieldPath[];
  removed: number;
  who: { manager: string; operation: 'Update'; apiVersion: string; subresource?: string; time: string };
}

/** The new managedFields when the write only touched fields its manager owns alone; else undefined. */
export function ownedUpdate(u: OwnedUpdate): ManagedFieldsEntry[] | undefined {
  if (u.removed > 0 || !Array.isArray(u.entries) || u.entries.length === 0) return undefined;
  const entries = u.entries as unknown[];
  // The answer needs every changed path owned by the writer: one that no entry owns (a status write
  // adding fields, its paths looked up first) declines the write before the entries are read.
  if (u.changed.length > 0 && !ownedByAny(entries, u.changed[0]!)) return undefined;
  const self = managerIdentity(u.who);
  const seen = new Set<string>();
  let selfAt = -1;
  let updaters = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (!canonicalEntry(e)) return undefined;
    const id = managerIdentity(e as Parameters<typeof managerIdentity>[0]);
    if (seen.has(id)) return undefined;
    seen.add(id);
    if (e.operation === 'Update') updaters++;
    if (id === self) selfAt = i;
  }
  if (updaters > MAX_UPDATE_MANAGERS) return undefined;
  const byOrder = (a: ManagedFieldsEntry, b: ManagedFieldsEntry) => compareManagedEntries(a as Ordered, b as Ordered);
  if (u.changed.length === 0) {
    for (let i = 1; i < entries.length; i++) if (byOrder(entries[i - 1] as ManagedFieldsEntry, entries[i] as ManagedFieldsEntry) > 0) return undefined;
    return entries as ManagedFieldsEntry[];
  }
  if (selfAt < 0) return undefined;
  for (const path of u.changed) {
    if (!simple(path)) return undefined;
    for (let i = 0; i < entries.length; i++) {
      const mine = owns((entries[i] as { fieldsV1: JsonObject }).fieldsV1, path);
      if (mine !== (i === selfAt)) return undefined;
    }
  }
  const next = (entries as ManagedFieldsEntry[]).map((e, i) => {
    if (i !== selfAt) return e;
    const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, time: u.who.time, fieldsType: 'FieldsV1', fieldsV1: e.fieldsV1 };
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
  return next.sort(byOrder);
}
