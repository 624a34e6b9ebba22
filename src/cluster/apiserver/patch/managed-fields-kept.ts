/**
 * The general Update path, decoding only the entries the write touches. A status write changes
 * fields of the status writer and perhaps of one or two others; the creator's entry (most of the
 * fields) is untouched, and decoding it into a field set and encoding it back gives the same entry.
 *
 * An entry is untouched when none of the paths the write changed or removed is a member of its set
 * (ownership moves only by exact path, see server-side-apply.ts shareOut) and its FieldsV1 is in the
 * canonical form the encoder writes (so keeping it equals re-encoding it). The writer's own entry is
 * always decoded. Anything the general path would treat otherwise (entries it would skip or merge,
 * a manager count the cap would fold) returns undefined: the caller takes the general path.
 */
import type { ManagedFieldsEntry } from '../../api/types';
import type { FieldSet } from './field-set';
import { comparePathElements, parsePathElement, serializePathElement, type PathElement } from './field-set';
import { isObject, type JsonObject } from './json-value';
import { canonicalEntry, elementSpelling, owns } from './managed-fields-owned';
import { compareManagedEntries, managerIdentity, MAX_UPDATE_MANAGERS } from './managed-fields';

/**
 * Answers for frozen field sets, which are frozen throughout (the registry's convention, see
 * written.ts jsonExact) and so cannot change: a status write asks about the same few shared sets
 * (the creator's, the kubelet's) for every pod, and parsing every element of them again was most
 * of splitting the entries.
 */
const canonicalFrozen = new WeakMap<object, boolean>();

/** FieldSet.toFieldsV1's output: members as `{}` or with `.` first, elements spelled and sorted as it writes them. */
export function canonicalFieldsV1(node: unknown, root = true): boolean {
  if (!root || node === null || typeof node !== 'object' || !Object.isFrozen(node)) return canonicalNode(node, root);
  let known = canonicalFrozen.get(node);
  if (known === undefined) {
    known = canonicalNode(node, true);
    canonicalFrozen.set(node, known);
  }
  return known;
}

function canonicalNode(node: unknown, root: boolean): boolean {
  if (!isObject(node)) return false;
  const keys = Object.keys(node);
  if (keys.length === 0) return !root;
  let i = 0;
  if (keys[0] === '.') {
    const dot = node['.'];
    if (root || keys.length === 1 || !isObject(dot) || Object.keys(dot).length > 0) return false;
    i = 1;
  }
  // Fields are most elements: one spelled `f:<name>` is canonical as it is, and sorts before every
  // other kind and among fields by name (so by its spelling), without being read into an element.
  let previousField: string | undefined;
  let previous: PathElement | undefined;
  for (; i < keys.length; i++) {
    const k = keys[i]!;
    if (k.startsWith('f:')) {
      if (previous !== undefined || (previousField !== undefined && !(previousField < k))) return false;
      if (!canonicalNode(node[k], false)) return false;
      previousField = k;
      continue;
    }
    let pe = plainKeyElement(k);
    if (pe === undefined) {
      try {
        pe = parsePathElement(k);
      } catch {
        return false;
      }
      if (pe === undefined || serializePathElement(pe) !== k) return false;
    }
    if (previous !== undefined && comparePathElements(previous, pe) >= 0) return false;
    if (!canonicalNode(node[k], false)) return false;
    previous = pe;
  }
  return true;
}

/**
 * A key of one field with a string value whose name and value JSON spells as they are, `k:{"ip":"10.244.3.7"}`
 * (a pod's IP, a condition's type): canonical as it is, read without a JSON.parse and spelling it again;
 * undefined for any other key. The element is parsePathElement's.
 */
function plainKeyElement(k: string): PathElement | undefined {
  const m = PLAIN_KEY.exec(k);
  return m === null ? undefined : { key: [[m[1]!, m[2]!]] };
}

/** Characters JSON.stringify writes as they are inside a string: not `"`, `\`, control characters or surrogates (a lone one is escaped). */
const PLAIN_KEY = /^k:\{"([^"\\\u0000-\u001f\ud800-\udfff]*)":"([^"\\\u0000-\u001f\ud800-\udfff]*)"\}$/;

export interface KeptSplit {
  /** The entries to decode and update (the writer's own among them when it has one). */
  touched: ManagedFieldsEntry[];
  /**
   * Puts the encoded entries of the touched managers back among the kept ones, in the order the
   * general path gives: stored order (a new writer last), then sorted as the encoder sorts.
   */
  assemble(encoded: Map<string, ManagedFieldsEntry>): ManagedFieldsEntry[];
}

/**
 * Splits the stored entries into those to decode and those kept as they are; undefined when the
 * general path must decode them all. `changes`: what the write changed, added or removed.
 */
export function splitUntouched(entries: unknown, changes: FieldSet[], who: { manager: string; operation: 'Update'; apiVersion: string; subresource?: string }): KeptSplit | undefined {
  if (!Array.isArray(entries) || entries.length === 0) return undefined;
  const self = managerIdentity(who);
  const ids: string[] = [];
  const seen = new Set<string>();
  let updaters = 0;
  let selfFound = false;
  for (const e of entries as unknown[]) {
    if (!canonicalEntry(e)) return undefined;
    const id = managerIdentity(e as Parameters<typeof managerIdentity>[0]);
    if (seen.has(id)) return undefined;
    seen.add(id);
    ids.push(id);
    if (e.operation === 'Update') updaters++;
    if (id === self) selfFound = true;
  }
  // The general path folds the oldest Update entries beyond the cap; this one never needs to.
  if (updaters + (selfFound ? 0 : 1) > MAX_UPDATE_MANAGERS) return undefined;
  const all = entries as (ManagedFieldsEntry & { fieldsV1: JsonObject })[];
  const kept = all.map((e, i) => ids[i] !== self && canonicalFieldsV1(e.fieldsV1) && !ownsAny(e.fieldsV1, changes));
  return {
    touched: all.filter((_, i) => !kept[i]),
    assemble(encoded) {
      const out: ManagedFieldsEntry[] = [];
      all.forEach((e, i) => {
        if (kept[i]) out.push(e);
        else {
          const again = encoded.get(ids[i]!);
          if (again) out.push(again);
        }
      });
      if (!selfFound) {
        const mine = encoded.get(self);
        if (mine) out.push(mine);
      }
      // Array.prototype.sort is stable: ties keep this order, as they do in encodeManagedFields.
      return out.sort((a, b) => compareManagedEntries(a as Parameters<typeof compareManagedEntries>[0], b as Parameters<typeof compareManagedEntries>[0]));
    },
  };
}

/**
 * Whether a set owns any of the changed paths. The changed paths of a comparison share their
 * elements (typed-value.ts compare, path-nodes.ts): once the set has nothing under a first
 * element (the creator's entry under `status`), the paths that start with that same element are
 * passed over without a look-up each.
 */
function ownsAny(fields: JsonObject, changes: FieldSet[]): boolean {
  let absent: PathElement | undefined;
  for (const set of changes) {
    for (const path of set.values()) {
      const first = path[0];
      if (first !== undefined) {
        if (first === absent) continue;
        if (fields[elementSpelling(first)] === undefined) {
          absent = first;
          continue;
        }
      }
      if (owns(fields, path)) return true;
    }
  }
  return false;
}
