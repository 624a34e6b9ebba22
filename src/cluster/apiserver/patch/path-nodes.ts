/**
 * The paths a comparison (typed-value.ts compare) meets, one node per path and schema, made once
 * and found again by later comparisons: a path's FieldSet key (its elements spelled, joined by
 * NUL), its elements and its schema names, and what the schema says of it. Every status write of
 * a kind walks the same few dozen paths; spelling each key, building each path and names array
 * and hashing each new key text again was most of the comparison.
 *
 * A node's path, names and elements are frozen and shared by every set that holds the path (sets
 * never change a path they hold). An item node keeps the first element spelled as it is: elements
 * spelled alike are alike (keys sorted by name, values as JSON spells them), so sets and their
 * encodings read the same whichever element made the node.
 *
 * Bounded whatever objects are compared (a pod's IP is a key of its own, met once): past
 * MAX_NODES made, every schema's tree starts again.
 */
import { childKey, type FieldPath, type PathElement } from './field-set';
import type { listSemantics, MetaLookup } from './patch-meta';

export interface PathNode {
  /** FieldSet's key of the path. */
  readonly key: string;
  readonly path: FieldPath;
  /** The schema names of the path (field names; items add none). */
  readonly names: readonly string[];
  fields: Map<string, PathNode> | undefined;
  /** Children that are list items, by their spelling. */
  items: Map<string, PathNode> | undefined;
  /** Children that are items keyed by one field holding a scalar, by the field's name and value (the same nodes as in `items`). */
  byKey: Map<string, Map<unknown, PathNode>> | undefined;
  /** The list semantics of the value at the path, once asked. */
  list: ReturnType<typeof listSemantics> | undefined;
  /** Whether the value at the path is an atomic map, once asked. */
  atomic: boolean | undefined;
}

/**
 * The tree of each schema. MAX_NODES caps the nodes of all of them together: past it, every tree
 * starts again (the whole map goes, so no kind keeps an earlier round's tree until it is compared
 * again; a pod's IPs, one item node each, are what makes the trees grow).
 */
let trees = new WeakMap<MetaLookup, PathNode>();
export const MAX_NODES = 8192;
let made = 0;

function node(key: string, path: FieldPath, names: readonly string[]): PathNode {
  made++;
  return { key, path: Object.freeze(path) as FieldPath, names: Object.freeze(names), fields: undefined, items: undefined, byKey: undefined, list: undefined, atomic: undefined };
}

/** The root of the schema's tree (its path is empty), a new one when the trees started again. */
export function pathRoot(meta: MetaLookup): PathNode {
  if (made >= MAX_NODES) {
    made = 0;
    trees = new WeakMap();
  }
  let root = trees.get(meta);
  if (root === undefined) trees.set(meta, (root = node('', [], [])));
  return root;
}

/** The node of the field `name` of the map at `parent`. */
export function fieldNode(parent: PathNode, name: string): PathNode {
  let fields = parent.fields;
  if (fields === undefined) parent.fields = fields = new Map();
  let child = fields.get(name);
  if (child === undefined) {
    const pe: PathElement = Object.freeze({ field: name });
    fields.set(name, (child = node(childKey(parent.key, 'f:' + name), [...parent.path, pe], [...parent.names, name])));
  }
  return child;
}

/** The node of the item of the list at `parent` spelled `spelled` (`pe` spelled). */
export function itemNode(parent: PathNode, spelled: string, pe: PathElement): PathNode {
  let items = parent.items;
  if (items === undefined) parent.items = items = new Map();
  let child = items.get(spelled);
  if (child === undefined) {
    if ('key' in pe) Object.freeze(pe.key);
    items.set(spelled, (child = node(childKey(parent.key, spelled), [...parent.path, Object.freeze(pe)], parent.names)));
  }
  return child;
}

/** Nodes made since the trees last started again (for tests). */
export function nodesMade(): number {
  return made;
}
