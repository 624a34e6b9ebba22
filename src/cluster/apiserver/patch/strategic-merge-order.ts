/**
 * The order of a merged list, as apimachinery's strategic merge patch decides it: items named in the
 * patch (or in $setElementOrder) follow that order, items only on the server keep theirs, and the
 * two are interleaved by the server's order (normalizeElementOrder, mergeSortedSlice). The
 * comparators are apimachinery's, quirks included, because kubectl users see the resulting order.
 */
import { goFormat, isObject, type JsonObject } from './json-value';
import { errBadArgType, errNoListOfLists, errNoMergeKey, internal } from './strategic-merge-errors';

const DIRECTIVE = '$patch';

export type Kind = 'map' | 'slice' | 'scalar' | 'nil';
export function kindOf(v: unknown): Kind {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  return isObject(v) ? 'map' : 'scalar';
}
/** Go compares reflect types: numbers, strings and bools are distinct types. */
export function sameGoType(a: unknown, b: unknown): boolean {
  const ka = kindOf(a);
  if (ka !== kindOf(b)) return false;
  return ka !== 'scalar' || typeof a === typeof b;
}

export function listElementKind(...lists: unknown[][]): Kind | undefined {
  let first: unknown;
  let found = false;
  for (const list of lists) {
    for (const v of list) {
      if (!found) {
        found = true;
        first = v;
        if (Array.isArray(v)) throw errNoListOfLists();
      } else if (!sameGoType(first, v)) {
        throw internal(`list element types are not identical: ${goFormat(lists)}`);
      }
    }
  }
  return found ? kindOf(first) : undefined;
}

function keyOf(item: unknown, mergeKey: string, kind: Kind): unknown {
  if (kind !== 'map') return item;
  return isObject(item) ? item[mergeKey] : undefined;
}

function indexIn(list: unknown[], item: unknown, mergeKey: string, kind: Kind): number {
  const key = keyOf(item, mergeKey, kind);
  return list.findIndex((v) => keyOf(v, mergeKey, kind) === key);
}

export function findByKey(list: unknown[], mergeKey: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (!isObject(v)) throw internal(`value for key ${i} is not a map`);
    if (mergeKey in v && v[mergeKey] === value) return i;
  }
  return -1;
}

/** Sorts `toSort` by position in `order` with apimachinery's comparator (items not in `order` move forward). */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: Kind): unknown[] {
  let items = toSort;
  const toDelete: unknown[] = [];
  if (kind === 'map') {
    for (const list of [toSort, order]) {
      for (const item of list) {
        if (!isObject(item)) throw errBadArgType('map[string]interface {}', item);
        if (!(mergeKey in item)) throw errNoMergeKey(item, mergeKey);
      }
    }
    items = [];
    for (const item of toSort) ((item as JsonObject)[DIRECTIVE] === 'delete' ? toDelete : items).push(item);
  }
  const less = (a: unknown, b: unknown): boolean => {
    const ia = indexIn(order, a, mergeKey, kind);
    const ib = indexIn(order, b, mergeKey, kind);
    return ia >= 0 && ib >= 0 ? ia < ib : true;
  };
  const out = [...items];
  for (let i = 1; i < out.length; i++) {
    for (let j = i; j > 0 && less(out[j], out[j - 1]); j--) [out[j], out[j - 1]] = [out[j - 1], out[j]];
  }
  return [...out, ...toDelete];
}

/** Interleaves server-only items into the patch items, keeping both relative orders (mergeSortedSlice). */
function mergeSorted(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: Kind): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

export function partition(merged: unknown[], by: unknown[], mergeKey: string, kind: Kind): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of merged) {
    if (kind === 'map') {
      if (!isObject(v)) throw errBadArgType('map[string]interface {}', v);
      if (!(mergeKey in v)) throw errNoMergeKey(v, mergeKey);
      (findByKey(by, mergeKey, v[mergeKey]) >= 0 ? inPatch : serverOnly).push(v);
    } else {
      (by.some((b) => b === v) ? inPatch : serverOnly).push(v);
    }
  }
  return [inPatch, serverOnly];
}

export function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: Kind): unknown[] {
  const p = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const s = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSorted(s, p, serverOrder, mergeKey, kind);
}

