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
  const w: Walk = { index, style, found: [], at: { struct: '', fields: [] } };
  visit(w, { ref: kind.name }, object, '', false);
  return w.found;
}

/** Where a value sits, as a decode error names it: the Go struct declaring the innermost field, and the field names from the root. */
export interface DecodeLocation {
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
  const w: Walk = { index, style: STRICT_DECODING, found: [], check, at: { struct: '', fields: [] } };
  visit(w, { ref: kind.name }, object, '', true, true);
  return w.error !== undefined ? { unknown: [], error: w.error } : { unknown: w.found };
}

interface Walk {
  index: FieldIndex;
  style: FieldPathStyle;
  found: string[];
  check?: DecodeCheck;
  at: DecodeLocation;
  error?: string;
}

/** The root's type metadata, which the decoder reads before it decodes the object. */
const ROOT_UNCHECKED = new Set(['apiVersion', 'kind']);

/**
 * One value: its type when `typed` (the root itself is not checked), then, for objects and lists,
 * what is inside. Child paths are built only for what is entered or reported.
 */
function visit(w: Walk, node: SchemaNode, value: unknown, path: string, typed: boolean, root = false): void {
  if (value === null) return;
  if (typeof value !== 'object') {
    if (typed) w.error = w.check!(node, w.index.deref(node), value, w.at);
    return;
  }
  if (!typed && w.found.length >= w.style.limit) return;
  const def = w.index.deref(node);
  if (typed && !root) {
    w.error = w.check!(node, def, value, w.at);
    if (w.error !== undefined) return;
  }
  const style = w.style;
  if (Array.isArray(value)) {
    if (def.type !== 'array' || def.items === undefined) return;
    const items = def.items;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      visit(w, items, item, item !== null && typeof item === 'object' ? style.item(node, items, item, i, path) : path, typed);
      if (w.error !== undefined) return;
    }
    return;
  }
  const record = value as Record<string, unknown>;
  if (def.type === 'map' && def.additionalProperties !== undefined) {
    const values = def.additionalProperties;
    for (const key of Object.keys(record)) {
      const v = record[key];
      visit(w, values, v, v !== null && typeof v === 'object' ? style.field(path, key) : path, typed);
      if (w.error !== undefined) return;
    }
    return;
  }
  if (def.type !== 'object' || def.properties === undefined) return;
  const props = def.properties;
  // Go decodes into named structs; an inline object has no Go type of its own to check against.
  const typedFields = typed && node.ref !== undefined;
  const struct = typedFields ? node.ref!.slice(node.ref!.lastIndexOf('.') + 1) : '';
  for (const key of Object.keys(record)) {
    if (Object.prototype.hasOwnProperty.call(props, key)) {
      const v = record[key];
      const childPath = v !== null && typeof v === 'object' ? style.field(path, key) : path;
      if (typedFields && v !== null && !(root && ROOT_UNCHECKED.has(key))) {
        const at = w.at;
        const saved = at.struct;
        at.fields.push(key);
        at.struct = struct;
        visit(w, props[key]!, v, childPath, true);
        at.struct = saved;
        at.fields.pop();
        if (w.error !== undefined) return;
      } else {
        visit(w, props[key]!, v, childPath, false);
      }
    } else if (w.found.length < style.limit) {
      const child = style.field(path, key);
      if (!(style.distinct && w.found.includes(child))) w.found.push(child);
    }
  }
}
