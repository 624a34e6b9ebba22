/**
 * Unknown fields as kube-apiserver's strict decoding reports them (fieldValidation=Strict → 400
 * `... strict decoding error: unknown field "spec.foo", unknown field "spec.containers[0].volumeMount"`;
 * Warn → one `unknown field "spec.foo"` warning each).
 *
 * kube-apiserver decodes built-in kinds with sigs.k8s.io/json, which walks the document in order and
 * records each unknown key with the path it is under: field names and map keys joined by `.`, list
 * indices as `[i]`; names match case-sensitively. The value under an unknown key is skipped whole, so
 * nothing inside it is reported; a repeated path is reported once; at most 100 are kept.
 *
 * This walk follows the object's key order, which is the document's order for every key that is not
 * an integer-like string (JavaScript lists those first).
 */
import type { FieldIndex } from './field-index';
import type { GroupVersionKind, SchemaDefinition, SchemaNode } from './types';
import { RecentWeakMap } from '../cluster/api/recent-weak-map';

const MAX_REPORTED = 100;

/**
 * How a walk names what it finds: two decoders report the same unknown fields with different paths
 * (strict decoding: `spec.containers[0].foo`; structured-merge-diff: `.spec.containers[name="app"].foo`).
 */
export interface FieldPathStyle {
  field(path: string, key: string): string;
  item(list: SchemaNode, items: SchemaNode, item: unknown, index: number, path: string): string;
  /** Stop after this many (strict decoding keeps 100) and report a repeated path once. */
  limit: number;
  distinct: boolean;
}

const STRICT_DECODING: FieldPathStyle = {
  field: (path, key) => (path === '' ? key : `${path}.${key}`),
  item: (_list, _items, _item, i, path) => `${path}[${i}]`,
  limit: MAX_REPORTED,
  distinct: true,
};

export function findUnknownFields(index: FieldIndex, gvk: GroupVersionKind, object: unknown): string[] {
  return collectUnknownFields(index, gvk, object, STRICT_DECODING);
}

/**
 * Walks `object` along the kind's schema and names each key the schema does not declare; the value
 * under such a key is not entered. Map keys are free; values the schema does not describe as objects
 * or lists are not entered either.
 */
export function collectUnknownFields(index: FieldIndex, gvk: GroupVersionKind, object: unknown, style: FieldPathStyle): string[] {
  const kind = index.schemaForKind(gvk);
  if (kind === undefined) return [];
  const w: Walk = { index, style, found: [], at: { struct: '', fields: [] }, trail: [], unknownMet: 0, mutableMet: 0 };
  visit(w, { ref: kind.name }, object, false);
  return w.found;
}

/** Where a value sits, as a decode error names it: the Go struct declaring the innermost field, and the field names from the root. */
export interface DecodeLocation {
  /** The definition name (io.k8s.api.core.v1.PodSpec): a message names the struct by its last part. */
  struct: string;
  fields: string[];
}

/**
 * A decoder's type check, run in the same walk: the error for one value (not null) under `node`, or
 * undefined when it decodes. Objects, maps and lists are checked for their own kind only; the walk
 * checks what is inside them.
 */
export type DecodeCheck = (node: SchemaNode, def: SchemaDefinition, value: unknown, at: DecodeLocation) => string | undefined;

export interface DecodedFields {
  /** Unknown fields as strict decoding names them (empty when `error` is set). */
  unknown: string[];
  /** The first value, in document order, that does not decode (apiVersion and kind are not checked). */
  error?: string;
}

/**
 * Strict decoding's two findings in one walk (the type check stops at its first error, which wins):
 * what a create, update or patch needs before fieldValidation decides. Type checking follows the
 * Go types: it enters structs (named definitions), maps and lists; inline objects are entered for
 * unknown fields only.
 */
export function decodeFields(index: FieldIndex, gvk: GroupVersionKind, object: unknown, check: DecodeCheck): DecodedFields {
  const kind = index.schemaForKind(gvk);
  if (kind === undefined) return { unknown: [] };
  let clean = cleanUnder.get(check);
  if (clean === undefined) cleanUnder.set(check, (clean = new RecentWeakMap(CLEAN_GENERATION)));
  const w: Walk = { index, style: STRICT_DECODING, found: [], check, at: { struct: '', fields: [] }, trail: [], unknownMet: 0, mutableMet: 0, clean };
  visit(w, { ref: kind.name }, object, true, true);
  return w.error !== undefined ? { unknown: [], error: w.error } : { unknown: w.found };
}

interface Walk {
  index: FieldIndex;
  style: FieldPathStyle;
  found: string[];
  check?: DecodeCheck;
  at: DecodeLocation;
  error?: string;
  /**
   * The way from the root to the object being walked, named only when something is found (see
   * pathOf): a field or map key is its name (a string); a list item is four entries, the list's node,
   * the items' node, the item and its index.
   */
  trail: unknown[];
  /** Keys the schema does not declare, met so far (reported or not: past the limit, or repeated). */
  unknownMet: number;
  /** Objects and lists entered that were not frozen. */
  mutableMet: number;
  /** The typed walk's memory of clean values (see cleanUnder); none for an untyped walk. */
  clean?: CleanValues;
}

/**
 * Frozen members of the root a typed walk found clean under a schema node: every key declared and
 * every value of a type that decodes, down to the last value the walk entered, each of them frozen
 * too. Whether a value is clean depends on nothing but the value and the node (a path only names
 * what is found), and a value that is frozen all the way down stays what it was, so the next walk
 * of it under the same node finds nothing again and may skip it. The registry's stored objects
 * share frozen parts (a pod's spec across its status writes: see registry/shared-parts.ts), and a
 * patch's result carries them: each status patch walked the spec again. Kept by type check (the
 * check decides what decodes). One node a value: a value is met under the same node again and again.
 */
const cleanUnder = new WeakMap<DecodeCheck, CleanValues>();

/**
 * The clean values remembered (by the node they were found clean under): the recent ones only. One
 * WeakMap of every pod's spec cost ~29 bytes a pod (4.1 MB at 150,000 pods) for as long as the pods
 * lived, and kept its table's room after they were gone. The price: a spec met again only after
 * more than one to two generations of others is walked again (~5-9 us a write). In a burst every
 * pod's first status write tends to come before any pod's second (6,000 pods: half of the specs met
 * again after 3,000 others), so a burst of up to ~16,000 pods (the 10,000-pod bench) loses nothing,
 * and one of 150,000 walks most specs again at their second status write and at their deletion
 * (~1-2 s of CPU in all, for ~3.5 MB less heap).
 */
type CleanValues = RecentWeakMap<object, SchemaNode>;

const CLEAN_GENERATION = 16_384;

/**
 * A definition's properties as a Map: one lookup answers whether a key is declared and under which
 * node (an own-property check and a read of the properties object were two, each a hash lookup).
 */
const propertyMaps = new WeakMap<SchemaDefinition, Map<string, SchemaNode>>();

function propertiesOf(def: SchemaDefinition, props: Record<string, SchemaNode>): Map<string, SchemaNode> {
  let map = propertyMaps.get(def);
  if (map === undefined) {
    map = new Map();
    for (const key of Object.keys(props)) map.set(key, props[key]!);
    propertyMaps.set(def, map);
  }
  return map;
}

/** The root's type metadata, which the decoder reads before it decodes the object. */
const ROOT_UNCHECKED = new Set(['apiVersion', 'kind']);

/** The path of the object being walked, as the walk's style names it. */
function pathOf(w: Walk): string {
  const { trail, style } = w;
  let path = '';
  for (let i = 0; i < trail.length; i++) {
    const step = trail[i];
    if (typeof step === 'string') path = style.field(path, step);
    else {
      path = style.item(step as SchemaNode, trail[i + 1] as SchemaNode, trail[i + 2], trail[i + 3] as number, path);
      i += 3;
    }
  }
  return path;
}

/**
 * One value: its type when `typed` (the root itself is not checked), then, for objects and lists,
 * what is inside, with w.trail leading to it.
 */
function visit(w: Walk, node: SchemaNode, value: unknown, typed: boolean, root = false): void {
  if (value === null) return;
  if (typeof value !== 'object') {
    if (typed) w.error = w.check!(node, w.index.deref(node), value, w.at);
    return;
  }
  if (!typed && w.found.length >= w.style.limit) {
    // Not looked into: it may hold unknown keys.
    w.unknownMet++;
    return;
  }
  const clean = w.clean;
  if (clean === undefined) {
    enter(w, node, value, typed, root);
    return;
  }
  if (!Object.isFrozen(value)) {
    w.mutableMet++;
    enter(w, node, value, typed, root);
    return;
  }
  // Only the root's members are remembered (a pod's spec): a mark on every frozen value inside
  // them made more work for the garbage collector (weak entries) than the walks it saved.
  if (w.trail.length !== 1) {
    enter(w, node, value, typed, root);
    return;
  }
  if (clean.get(value) === node) return;
  const unknownMet = w.unknownMet;
  const mutableMet = w.mutableMet;
  enter(w, node, value, typed, root);
  if (typed && w.error === undefined && w.unknownMet === unknownMet && w.mutableMet === mutableMet) clean.set(value, node);
}

/** An object or list under `node`: its own type when typed, then what is inside. */
function enter(w: Walk, node: SchemaNode, value: object, typed: boolean, root: boolean): void {
  const def = w.index.deref(node);
  if (typed && !root) {
    w.error = w.check!(node, def, value, w.at);
    if (w.error !== undefined) return;
  }
  const trail = w.trail;
  if (Array.isArray(value)) {
    if (def.type !== 'array' || def.items === undefined) return;
    const items = def.items;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === null || typeof item !== 'object') {
        visit(w, items, item, typed);
      } else {
        trail.push(node, items, item, i);
        visit(w, items, item, typed);
        trail.pop();
        trail.pop();
        trail.pop();
        trail.pop();
      }
      if (w.error !== undefined) return;
    }
    return;
  }
  const record = value as Record<string, unknown>;
  // for-in rather than Object.keys, which made an array for every object walked: what is walked is
  // JSON (a decoded body, a patch's result, registry objects), which inherits no enumerable members.
  if (def.type === 'map' && def.additionalProperties !== undefined) {
    const values = def.additionalProperties;
    for (const key in record) {
      const v = record[key];
      if (v === null || typeof v !== 'object') {
        visit(w, values, v, typed);
      } else {
        trail.push(key);
        visit(w, values, v, typed);
        trail.pop();
      }
      if (w.error !== undefined) return;
    }
    return;
  }
  if (def.type !== 'object' || def.properties === undefined) return;
  const props = def.properties;
  // Go decodes into named structs; an inline object has no Go type of its own to check against.
  const typedFields = typed && node.ref !== undefined;
  const struct = typedFields ? node.ref! : '';
  const declared = propertiesOf(def, props);
  for (const key in record) {
    const child = declared.get(key);
    if (child !== undefined) {
      const v = record[key];
      const entered = v !== null && typeof v === 'object';
      if (entered) trail.push(key);
      if (typedFields && v !== null && !(root && ROOT_UNCHECKED.has(key))) {
        const at = w.at;
        const saved = at.struct;
        at.fields.push(key);
        at.struct = struct;
        visit(w, child, v, true);
        at.struct = saved;
        at.fields.pop();
      } else {
        visit(w, child, v, false);
      }
      if (entered) trail.pop();
      if (w.error !== undefined) return;
    } else {
      w.unknownMet++;
      const style = w.style;
      if (w.found.length >= style.limit) continue;
      const unknown = style.field(pathOf(w), key);
      if (!(style.distinct && w.found.includes(unknown))) w.found.push(unknown);
    }
  }
}
