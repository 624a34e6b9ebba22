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

export function findUnknownFields(index: FieldIndex, gvk: GroupVersionKind, object: unknown): string[] {
  const kind = index.schemaForKind(gvk);
  if (kind === undefined) return [];
  const found: string[] = [];
  walk(index, { ref: kind.name }, object, '', found);
  return found;
}

function walk(index: FieldIndex, node: SchemaNode, value: unknown, path: string, found: string[]): void {
  if (value === null || typeof value !== 'object' || found.length >= MAX_REPORTED) return;
  const def = index.deref(node);
  if (Array.isArray(value)) {
    if (def.type !== 'array' || def.items === undefined) return;
    value.forEach((item, i) => walk(index, def.items as SchemaNode, item, `${path}[${i}]`, found));
    return;
  }
  const record = value as Record<string, unknown>;
  if (def.type === 'map' && def.additionalProperties !== undefined) {
    for (const key of Object.keys(record)) walk(index, def.additionalProperties, record[key], join(path, key), found);
    return;
  }
  if (def.type !== 'object' || def.properties === undefined) return;
  for (const key of Object.keys(record)) {
    const child = join(path, key);
    if (Object.prototype.hasOwnProperty.call(def.properties, key)) walk(index, def.properties[key], record[key], child, found);
    else if (found.length < MAX_REPORTED && !found.includes(child)) found.push(child);
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
