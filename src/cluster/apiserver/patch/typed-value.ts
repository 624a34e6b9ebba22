/**
 * The walks structured-merge-diff does over an object with its schema, on plain JSON plus a
 * MetaLookup: the set of fields an object sets (what an applier owns), the comparison of two objects
 * (what an update changed), the merge of an applied configuration into the live object, and the
 * removal of a set of fields.
 *
 * Schema knowledge comes only from list semantics (patch-meta.ts listSemantics) and atomic maps; every
 * other JSON object is treated as a struct. Keys of associative lists missing from an item take the
 * key field's schema default (so a port without protocol is `k:{"containerPort":80,"protocol":"TCP"}`).
 */
import { clone, deepEqual, isObject, type JsonObject } from './json-value';

const hasOwn = Object.prototype.hasOwnProperty;
import { listSemantics, type MetaLookup } from './patch-meta';
import { FieldSet, pathToString, serializePathElement, type FieldPath, type PathElement } from './field-set';
import { pathRoot, fieldNode, itemNode, type PathNode } from './path-nodes';

type ListKind = ReturnType<typeof listSemantics>;

/** Fields a comparison leaves out: top-level ones by name, and fields of top-level maps by the map's name. */
export interface SkippedFields {
  top: ReadonlySet<string>;
  under: ReadonlyMap<string, ReadonlySet<string>>;
}

export class TypedWalker {
  constructor(private readonly meta: MetaLookup) {}

  private list(names: readonly string[]): ListKind {
    return listSemantics(this.meta(names));
  }

  private atomicMap(names: readonly string[]): boolean {
    return names.length > 0 && this.meta(names)?.mapType === 'atomic';
  }

  /** The list semantics of the field at `names` (for walks outside this class). */
  listKind(names: readonly string[]): ListKind {
    return this.list(names);
  }

  /** Whether the map at `names` is atomic (owned and compared whole). */
  isAtomicMap(names: readonly string[]): boolean {
    return this.atomicMap(names);
  }

  /** The path element of a list item, or undefined when the item cannot be keyed (skipped, as SMD errors). */
  itemElement(item: unknown, list: ListKind, names: readonly string[]): PathElement | undefined {
    if (list.type === 'set') return item === null || typeof item === 'object' ? undefined : { value: item };
    if (!isObject(item)) return undefined;
    const key: [string, unknown][] = [];
    for (const k of list.keys) {
      if (k in item) key.push([k, item[k]]);
      else {
        const def = this.meta([...names, k])?.default;
        if (def !== undefined) key.push([k, def]);
      }
    }
    if (key.length === 0) return undefined;
    key.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return { key };
  }

  private indexItems(items: unknown[], list: ListKind, names: readonly string[]): Map<string, { pe: PathElement; item: unknown }> {
    const out = new Map<string, { pe: PathElement; item: unknown }>();
    for (const item of items) {
      const pe = this.itemElement(item, list, names);
      if (!pe) continue;
      const k = serializePathElement(pe);
      if (!out.has(k)) out.set(k, { pe, item });
    }
    return out;
  }

  /**
   * What makes an applied configuration unusable as a typed value: items of associative lists with
   * the same key (`.spec.containers: duplicate entries for key [name="a"]`).
   */
  duplicateKeys(object: JsonObject): string[] {
    const errors: string[] = [];
    const walk = (v: unknown, names: string[], path: FieldPath): void => {
      if (Array.isArray(v)) {
        const list = this.list(names);
        if (list.type === 'atomic') return;
        const seen = new Set<string>();
        for (const item of v) {
          const pe = this.itemElement(item, list, names);
          if (!pe) continue;
          const k = serializePathElement(pe);
          if (seen.has(k)) errors.push(`${pathToString(path)}: duplicate entries for key ${pathToString([pe])}`);
          seen.add(k);
          if (isObject(item)) for (const [f, c] of Object.entries(item)) walk(c, [...names, f], [...path, pe, { field: f }]);
        }
      } else if (isObject(v)) {
        for (const [f, c] of Object.entries(v)) walk(c, [...names, f], [...path, { field: f }]);
      }
    };
    walk(object, [], []);
    return errors;
  }

  /** The fields `object` sets (ToFieldSet): leaves, list items (with `.`), empty maps and nulls. */
  toFieldSet(object: JsonObject): FieldSet {
    const set = new FieldSet();
    this.collect(object, [], [], set, true);
    return set;
  }

  private collect(v: unknown, names: string[], path: FieldPath, set: FieldSet, root = false): void {
    if (Array.isArray(v)) {
      const list = this.list(names);
      if (list.type === 'atomic') {
        set.insert(path);
        return;
      }
      for (const item of v) {
        const pe = this.itemElement(item, list, names);
        if (!pe) continue;
        const itemPath = [...path, pe];
        if (list.type === 'map' && !this.atomicMap(names)) this.collectMap(item as JsonObject, names, itemPath, set);
        set.insert(itemPath);
      }
      return;
    }
    if (isObject(v)) {
      if (!root && this.atomicMap(names)) set.insert(path);
      else this.collectMap(v, names, path, set);
      return;
    }
    set.insert(path);
  }

  private collectMap(m: JsonObject, names: string[], path: FieldPath, set: FieldSet): void {
    for (const [k, child] of Object.entries(m)) {
      const childPath = [...path, { field: k }];
      this.collect(child, [...names, k], childPath, set);
      if (isObject(child) && Object.keys(child).length === 0) set.insert(childPath);
    }
  }

  /**
   * What changed from `lhs` to `rhs` (Compare). Maps and items that appear or vanish are paths too.
   * `skipped`: fields left out with everything under them, as if the sets were taken
   * withoutPrefixes of them afterwards (a write's reset fields: not walked at all).
   */
  compare(lhs: JsonObject, rhs: JsonObject, skipped?: SkippedFields): { added: FieldSet; modified: FieldSet; removed: FieldSet } {
    const c = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
    this.skipped = skipped;
    try {
      this.compareMaps(lhs, rhs, pathRoot(this.meta), c);
    } finally {
      this.skipped = undefined;
    }
    return c;
  }

  private skipped: SkippedFields | undefined;

  /** The members the comparison leaves out of the map at `path` (only the root's and its maps' can be). */
  private skippedAt(path: FieldPath): ReadonlySet<string> | undefined {
    const skipped = this.skipped;
    if (skipped === undefined || path.length > 1) return undefined;
    if (path.length === 0) return skipped.top;
    const first = path[0]!;
    return 'field' in first ? skipped.under.get(first.field) : undefined;
  }

  // The walk below goes down the schema's path nodes (see PathNode): each path's FieldSet key,
  // its elements and its schema names are made once and met again by every later comparison.

  private nodeList(node: PathNode): ListKind {
    return (node.list ??= this.list(node.names));
  }

  private nodeAtomicMap(node: PathNode): boolean {
    return (node.atomic ??= this.atomicMap(node.names));
  }

  /** `unequal`: the caller found l and r unequal already (deepEqual), so an atomic value is modified without comparing it again. */
  private compareValue(l: unknown, r: unknown, node: PathNode, c: ReturnType<TypedWalker['compare']>, unequal = false): void {
    // A null map or list is present but empty: its items are added or removed, not the field itself.
    if (l === null && (isObject(r) || Array.isArray(r))) {
      this.compareValue(isObject(r) ? HOLLOW : [], r, node, c);
      return;
    }
    if (r === null && (isObject(l) || Array.isArray(l))) {
      this.compareValue(l, isObject(l) ? HOLLOW : [], node, c);
      return;
    }
    const bothMaps = (l === undefined || isObject(l)) && (r === undefined || isObject(r)) && !this.nodeAtomicMap(node);
    const bothLists = (l === undefined || Array.isArray(l)) && (r === undefined || Array.isArray(r)) && this.nodeList(node).type !== 'atomic';
    if (bothMaps) this.compareMaps((l ?? HOLLOW) as JsonObject, (r ?? HOLLOW) as JsonObject, node, c);
    else if (bothLists) this.compareLists((l ?? []) as unknown[], (r ?? []) as unknown[], node, c);
    else {
      if (l === undefined) c.added.insertSpelled(node.key, node.path);
      else if (r === undefined) c.removed.insertSpelled(node.key, node.path);
      else if (unequal || !deepEqual(l, r)) c.modified.insertSpelled(node.key, node.path);
      return;
    }
    if (l === undefined) c.added.insertSpelled(node.key, node.path);
    else if (r === undefined) c.removed.insertSpelled(node.key, node.path);
  }

  private compareMaps(l: JsonObject, r: JsonObject, node: PathNode, c: ReturnType<TypedWalker['compare']>): void {
    // Equal values hold no change at any depth: skipping them spares the typed walk of what a write left alone.
    // for-in over own members, rather than Object.keys: no key arrays for every map compared.
    const skipped = this.skippedAt(node.path);
    // A member with skipped fields under it (metadata, without its managedFields) is walked without
    // that check first, which would compare the skipped fields too: a node's managedFields are
    // most of its metadata, and every status write compared them in full before its walk.
    const partlySkipped = node.path.length === 0 ? this.skipped?.under : undefined;
    // Between two maps that are there, a member null on one side and absent on the other is no
    // change: both are what Go's typed object holds there (the zero value of a time, a nil pointer
    // or slice), which cannot tell them apart. Under a map or item one side lacks, nulls count.
    const exact = l !== HOLLOW && r !== HOLLOW;
    for (const k in l) {
      if (!hasOwn.call(l, k) || skipped?.has(k)) continue;
      const lv = l[k];
      const rv = r[k];
      if (lv === rv && lv !== undefined) continue;
      if (exact && lv === null && rv === undefined) continue;
      const compared = rv !== undefined && typeof lv === 'object' && lv !== null && !partlySkipped?.has(k);
      if (compared && deepEqual(lv, rv)) continue;
      this.compareValue(lv, rv, fieldNode(node, k), c, compared);
    }
    for (const k in r) {
      if (!hasOwn.call(r, k) || hasOwn.call(l, k) || skipped?.has(k) || (exact && r[k] === null)) continue;
      this.compareValue(undefined, r[k], fieldNode(node, k), c);
    }
  }

  private compareLists(l: unknown[], r: unknown[], node: PathNode, c: ReturnType<TypedWalker['compare']>): void {
    const list = this.nodeList(node);
    if (this.compareAligned(l, r, list, node, c)) return;
    const li = this.itemsByNode(l, list, node);
    const ri = this.itemsByNode(r, list, node);
    const item = (child: PathNode, lv: unknown, rv: unknown): void => {
      if (list.type === 'set') {
        if (lv === undefined) c.added.insertSpelled(child.key, child.path);
        else if (rv === undefined) c.removed.insertSpelled(child.key, child.path);
        return;
      }
      // An item equal on both sides holds no change (its members would each be found equal).
      if (lv !== undefined && rv !== undefined && (lv === rv || deepEqual(lv, rv))) return;
      this.compareItem(lv, rv, child, c);
    };
    // Items by key: those of `l` in its order, then those only `r` has, in its order.
    for (const [child, lv] of li) item(child, lv, ri.get(child));
    for (const [child, rv] of ri) if (!li.has(child)) item(child, undefined, rv);
  }

  /** The items of a list by their path nodes, the first of each key (as indexItems keeps them). */
  private itemsByNode(items: unknown[], list: ListKind, node: PathNode): Map<PathNode, unknown> {
    const out = new Map<PathNode, unknown>();
    for (const item of items) {
      const child = this.itemNodeOf(item, list, node);
      if (child !== undefined && !out.has(child)) out.set(child, item);
    }
    return out;
  }

  /**
   * The path node of a list item (itemElement's element under `node`); undefined when the item
   * cannot be keyed. Items keyed by one field holding a scalar (conditions by type, IPs by ip) are
   * found by that value, without spelling their element: elements spelled alike are one node, and
   * two scalars are spelled alike exactly when they are the same value (a Map's SameValueZero: 0
   * and -0 are both spelled `0`).
   */
  private itemNodeOf(item: unknown, list: ListKind, node: PathNode): PathNode | undefined {
    if (list.type === 'map' && list.keys.length === 1 && isObject(item)) {
      const name = list.keys[0]!;
      const value = item[name];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        const byName = (node.byKey ??= new Map());
        let byValue = byName.get(name);
        if (byValue === undefined) byName.set(name, (byValue = new Map()));
        let child = byValue.get(value);
        if (child === undefined) {
          const pe: PathElement = { key: [[name, value]] };
          byValue.set(value, (child = itemNode(node, serializePathElement(pe), pe)));
        }
        return child;
      }
    }
    const pe = this.itemElement(item, list, node.names);
    return pe === undefined ? undefined : itemNode(node, serializePathElement(pe), pe);
  }

  /**
   * compareLists for two associative lists holding the same keys in the same order, no key twice
   * (a status writer sends its conditions in the order it read them): each item is compared with
   * the one at its index, in that order, which is the order and the answer of the keyed walk.
   * False, having compared nothing, for any other pair (then the keyed walk runs). Two items have
   * the same key exactly when they have the same node (their elements are spelled alike).
   */
  private compareAligned(l: unknown[], r: unknown[], list: ListKind, node: PathNode, c: ReturnType<TypedWalker['compare']>): boolean {
    const n = l.length;
    if (list.type !== 'map' || n !== r.length || n > MAX_ALIGNED) return false;
    const nodes: PathNode[] = [];
    for (let i = 0; i < n; i++) {
      const child = this.itemNodeOf(l[i], list, node);
      if (child === undefined || this.itemNodeOf(r[i], list, node) !== child) return false;
      for (let j = 0; j < i; j++) if (nodes[j] === child) return false;
      nodes.push(child);
    }
    for (let i = 0; i < n; i++) {
      const lv = l[i];
      const rv = r[i];
      if (lv === rv || deepEqual(lv, rv)) continue;
      this.compareItem(lv, rv, nodes[i]!, c);
    }
    return true;
  }

  /**
   * An item of an associative list that differs between the sides (either may lack it). Items of
   * an atomic map type (an ownerReference) are leaves: the item is added, removed or modified whole.
   */
  private compareItem(lv: unknown, rv: unknown, child: PathNode, c: ReturnType<TypedWalker['compare']>): void {
    const whole = this.nodeAtomicMap(child);
    if (!whole) this.compareMaps((lv ?? HOLLOW) as JsonObject, (rv ?? HOLLOW) as JsonObject, child, c);
    if (lv === undefined) c.added.insertSpelled(child.key, child.path);
    else if (rv === undefined) c.removed.insertSpelled(child.key, child.path);
    else if (whole) c.modified.insertSpelled(child.key, child.path);
  }

  /** `config` merged into `live` (typed Merge): maps merge, associative lists merge by key, the rest is replaced. */
  merge(live: JsonObject, config: JsonObject): JsonObject {
    return this.mergeValue(live, config, [], true) as JsonObject;
  }

  private mergeValue(l: unknown, r: unknown, names: string[], root = false): unknown {
    if (r === undefined) return clone(l);
    if (l === undefined) return clone(r);
    if (isObject(l) && isObject(r) && (root || !this.atomicMap(names))) {
      const out: JsonObject = {};
      for (const k of Object.keys(l)) out[k] = k in r ? this.mergeValue(l[k], r[k], [...names, k]) : clone(l[k]);
      for (const k of Object.keys(r)) if (!(k in l)) out[k] = clone(r[k]);
      return out;
    }
    if (Array.isArray(l) && Array.isArray(r)) {
      const list = this.list(names);
      if (list.type !== 'atomic') return this.mergeLists(l, r, list, names);
    }
    return clone(r);
  }

  /**
   * Item order as structured-merge-diff merges lists: live items keep their order, applied items
   * not yet live are placed where the applied list puts them, and items in both follow the applied order.
   */
  private mergeLists(l: unknown[], r: unknown[], list: ListKind, names: string[]): unknown[] {
    // Live items keep every occurrence (duplicated keys included, as the live object may have them);
    // an applied item replaces all live items with its key.
    const lItems = l.map((item) => {
      const pe = this.itemElement(item, list, names);
      return { k: pe ? serializePathElement(pe) : undefined, item };
    });
    const rhs = this.indexItems(r, list, names);
    const lhsFirst = new Map<string, unknown>();
    for (const { k, item } of lItems) if (k !== undefined && !lhsFirst.has(k)) lhsFirst.set(k, item);
    const rKeys = [...rhs.keys()];
    const shared = rKeys.filter((k) => lhsFirst.has(k));
    let nextShared = shared.shift();
    const merged = new Set<string>();
    const out: unknown[] = [];
    const mergeItem = (k: string) => this.mergeValue(lhsFirst.get(k), rhs.get(k)?.item, names);
    let li = 0;
    let ri = 0;
    while (li < lItems.length || ri < rKeys.length) {
      if (li < lItems.length && ri < rKeys.length) {
        const k = lItems[li]!.k;
        if (k !== undefined && k === rKeys[ri]) {
          merged.add(k);
          out.push(mergeItem(k));
          li++;
          ri++;
          nextShared = shared.shift();
          continue;
        }
        if (k !== undefined && rhs.has(k) && nextShared !== undefined && nextShared !== k) {
          li++;
          continue;
        }
      }
      if (li < lItems.length) {
        const { k, item } = lItems[li]!;
        if (k === undefined || !rhs.has(k)) {
          out.push(clone(item));
          li++;
          continue;
        } else if (merged.has(k)) {
          li++;
        }
      }
      if (ri < rKeys.length) {
        const k = rKeys[ri]!;
        merged.add(k);
        out.push(mergeItem(k));
        ri++;
        if (nextShared === k) nextShared = shared.shift();
      }
    }
    return out;
  }

  /** Removes the fields in `toRemove` from `object`, in place (a path removes everything under it). */
  removeItems(object: JsonObject, toRemove: FieldSet): JsonObject {
    return toRemove.empty() ? object : this.removeFromMap(object, [], [], toRemove);
  }

  private removeFromMap(m: JsonObject, names: string[], path: FieldPath, toRemove: FieldSet): JsonObject {
    for (const k of Object.keys(m)) {
      const childPath = [...path, { field: k }];
      if (toRemove.has(childPath)) {
        delete m[k];
        continue;
      }
      m[k] = this.removeFromValue(m[k], [...names, k], childPath, toRemove);
    }
    return m;
  }

  private removeFromValue(v: unknown, names: string[], path: FieldPath, toRemove: FieldSet): unknown {
    if (isObject(v) && !this.atomicMap(names)) return this.removeFromMap(v, names, path, toRemove);
    if (Array.isArray(v)) {
      const list = this.list(names);
      if (list.type === 'atomic') return v;
      const out: unknown[] = [];
      for (const item of v) {
        const pe = this.itemElement(item, list, names);
        if (pe && toRemove.has([...path, pe])) continue;
        out.push(pe && list.type === 'map' && !this.atomicMap(names) ? this.removeFromMap(item as JsonObject, names, [...path, pe], toRemove) : item);
      }
      return out;
    }
    return v;
  }
}

/** The map compared with what is not there (an absent or null map, a new or gone item): see compareMaps. */
const HOLLOW: JsonObject = Object.freeze({}) as JsonObject;

/** Longest list compareAligned takes (it finds a key twice by comparing each with those before). */
const MAX_ALIGNED = 16;

/** Removes members whose value is null (Kubernetes drops them when it decodes into its types). */
export function dropNulls(v: unknown): unknown {
  if (isObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else dropNulls(v[k]);
    }
  } else if (Array.isArray(v)) v.forEach(dropNulls);
  return v;
}
