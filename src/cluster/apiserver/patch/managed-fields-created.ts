/**
 * The Update entry of a create, built straight as FieldsV1: the creator owns every field the
 * created object sets beyond the zero value it is compared with (see server-side-apply.ts
 * emptyLike), less the reset fields (the status on the main resource) and the fields no one owns.
 *
 * It is the general path's answer (TypedWalker.compare into field sets, then encoded) for a create
 * with no managedFields of its own, computed in one walk without a path key per field: creates are
 * most writes (events above all). Anything outside what that walk mirrors (a value where the zero
 * value has a map) returns undefined, and the caller takes the general path.
 */
import { deepEqual, isObject, type JsonObject } from './json-value';
import { comparePathElements, serializePathElement, type FieldPath, type PathElement } from './field-set';
import type { TypedWalker } from './typed-value';

interface Tree {
  member: boolean;
  children: Map<string, { pe: PathElement; tree: Tree }>;
}

class Unsupported extends Error {}

const tree = (): Tree => ({ member: false, children: new Map() });

/** The FieldsV1 of what `after` adds to `zero` (undefined: take the general path). */
export function createdFieldsV1(walker: TypedWalker, zero: JsonObject, after: JsonObject, reset: FieldPath[], stripped: FieldPath[]): JsonObject | undefined {
  const root = tree();
  try {
    mapInto(walker, zero, after, [], root);
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  for (const path of reset) cut(root, path);
  for (const path of stripped) unown(root, path, 0);
  return emit(root) ?? {};
}

function child(t: Tree, pe: PathElement): Tree {
  const k = serializePathElement(pe);
  let c = t.children.get(k);
  if (!c) {
    c = { pe, tree: tree() };
    t.children.set(k, c);
  }
  return c.tree;
}

/** TypedWalker.compareMaps, keeping only what is added or modified (removals never reach a create's entry). */
function mapInto(walker: TypedWalker, l: JsonObject, r: JsonObject, names: string[], t: Tree): void {
  for (const k of Object.keys(l)) {
    const lv = l[k];
    const rv = r[k];
    if (rv === undefined) continue; // removed, or nothing on either side
    if (lv === rv || (typeof lv === 'object' && lv !== null && deepEqual(lv, rv))) continue;
    valueInto(walker, lv, rv, [...names, k], child(t, { field: k }));
  }
  for (const k of Object.keys(r)) {
    if (Object.prototype.hasOwnProperty.call(l, k)) continue;
    const rv = r[k];
    if (rv === undefined) throw new Unsupported();
    valueInto(walker, undefined, rv, [...names, k], child(t, { field: k }));
  }
}

/** TypedWalker.compareValue for a right-hand value that is there. */
function valueInto(walker: TypedWalker, l: unknown, r: unknown, names: string[], t: Tree): void {
  if (l === null && (isObject(r) || Array.isArray(r))) l = isObject(r) ? {} : [];
  if (l !== undefined && l !== null && typeof l === 'object' && (r === null || typeof r !== 'object')) throw new Unsupported();
  const bothMaps = (l === undefined || isObject(l)) && isObject(r) && !walker.isAtomicMap(names);
  const bothLists = (l === undefined || Array.isArray(l)) && Array.isArray(r) && walker.listKind(names).type !== 'atomic';
  if (bothMaps) mapInto(walker, (l ?? {}) as JsonObject, r as JsonObject, names, t);
  else if (bothLists) listInto(walker, (l ?? []) as unknown[], r as unknown[], names, t);
  else if (l === undefined || !deepEqual(l, r)) t.member = true;
  if (l === undefined) t.member = true;
}

function listInto(walker: TypedWalker, l: unknown[], r: unknown[], names: string[], t: Tree): void {
  if (l.length > 0) throw new Unsupported();
  const list = walker.listKind(names);
  const seen = new Set<string>();
  for (const item of r) {
    const pe = walker.itemElement(item, list, names);
    if (!pe) continue;
    const k = serializePathElement(pe);
    if (seen.has(k)) continue; // the first item of a key stands for it (indexItems)
    seen.add(k);
    const itemTree = child(t, pe);
    if (list.type !== 'set' && !walker.isAtomicMap(names)) mapInto(walker, {}, (isObject(item) ? item : {}) as JsonObject, names, itemTree);
    itemTree.member = true;
  }
}

/** Drops the path and everything below it (withoutPrefixes). */
function cut(t: Tree, path: FieldPath): void {
  let node = t;
  for (let i = 0; i < path.length - 1; i++) {
    const next = node.children.get(serializePathElement(path[i]!));
    if (!next) return;
    node = next.tree;
  }
  const last = path[path.length - 1];
  if (last) node.children.delete(serializePathElement(last));
}

/** Takes the path itself out of the set (difference); nodes left owning nothing go. */
function unown(t: Tree, path: FieldPath, depth: number): void {
  const pe = path[depth];
  if (!pe) return;
  const k = serializePathElement(pe);
  const c = t.children.get(k);
  if (!c) return;
  if (depth === path.length - 1) c.tree.member = false;
  else unown(c.tree, path, depth + 1);
  if (!c.tree.member && c.tree.children.size === 0) t.children.delete(k);
}

/** FieldSet.toFieldsV1 of the tree; nodes the walk passed through without owning anything below are left out. */
function emit(t: Tree): JsonObject | undefined {
  const children = [...t.children.values()].sort((a, b) => comparePathElements(a.pe, b.pe));
  const below: [string, JsonObject][] = [];
  for (const c of children) {
    const out = emit(c.tree);
    if (out) below.push([serializePathElement(c.pe), out]);
  }
  if (!t.member && below.length === 0) return undefined;
  const out: JsonObject = {};
  if (t.member && below.length > 0) out['.'] = {};
  for (const [k, v] of below) out[k] = v;
  return out;
}
