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
import type { GroupVersionKind, SchemaNode } from './types';

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
  const found: string[] = [];
  walk(index, { ref: kind.name }, object, '', found, style);
  return found;
}

function walk(index: FieldIndex, node: SchemaNode, value: unknown, path: string, found: string[], style: FieldPathStyle): void {
  if (value === null || typeof value !== 'object' || found.length >= style.limit) return;
  const def = index.deref(node);
  if (Array.isArray(value)) {
    if (def.type !== 'array' || def.items === undefined) return;
    const items = def.items;
    value.forEach((item, i) => walk(index, items, item, style.item(node, items, item, i, path), found, style));
    return;
  }
  const record = value as Record<string, unknown>;
  if (def.type === 'map' && def.additionalProperties !== undefined) {
    for (const key of Object.keys(record)) walk(index, def.additionalProperties, record[key], style.field(path, key), found, style);
    return;
  }
  if (def.type !== 'object' || def.properties === undefined) return;
  for (const key of Object.keys(record)) {
    const child = style.field(path, key);
    if (Object.prototype.hasOwnProperty.call(def.properties, key)) walk(index, def.properties[key], record[key], child, found, style);
    else if (found.length < style.limit && !(style.distinct && found.includes(child))) found.push(child);
  }
}
