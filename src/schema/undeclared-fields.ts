/**
 * Fields a server-side apply patch sets that the schema does not declare, worded as
 * structured-merge-diff words them. kube-apiserver 1.32 turns an apply patch into a typed value
 * before anything else and fails on such a field with
 *   `failed to create typed patch object (<ns>/<name>; <group>/<version>, Kind=<Kind>): .spec.foo: field not declared in schema`
 * (several errors: `errors:` then one indented `<path>: field not declared in schema` line each).
 * That error is not a Status error in 1.32, so the response is a Status with code 500, that message,
 * and no reason (kubernetes/kubernetes#122480).
 *
 * Paths are structured-merge-diff's: `.field` for fields and map keys; list items by identity:
 * `[name="nginx"]` in an associative list (its keys, in x-kubernetes-list-map-keys order, strings
 * quoted), `[="value"]` in a set, `[0]` in an atomic list. An item missing a key takes the key's
 * default (a port's protocol is "TCP"); without one it is named by its index.
 * Lists follow kube-openapi's schemaconv: the list-type extension, else a `merge` patch strategy
 * (keyed by the merge key, or a set), else atomic. Paths are listed in the object's key order.
 */
import type { FieldIndex } from './field-index';
import type { GroupVersionKind, SchemaNode } from './types';
import { collectUnknownFields } from './unknown-fields';

export function findUndeclaredFields(index: FieldIndex, gvk: GroupVersionKind, object: unknown): string[] {
  return collectUnknownFields(index, gvk, object, {
    field: (path, key) => `${path}.${key}`,
    item: (list, items, item, i, path) => path + itemName(index, list, items, item, i),
    limit: Infinity,
    distinct: false,
  });
}

function itemName(index: FieldIndex, list: SchemaNode, items: SchemaNode, item: unknown, i: number): string {
  const semantics = listSemantics(list);
  if (semantics === 'set') return `[=${formatValue(item)}]`;
  if (semantics === 'atomic' || item === null || typeof item !== 'object' || Array.isArray(item)) return `[${i}]`;
  const record = item as Record<string, unknown>;
  const fields = index.deref(items).properties ?? {};
  const parts: string[] = [];
  for (const key of semantics) {
    const value = record[key] ?? fields[key]?.default;
    if (value === undefined) return `[${i}]`;
    parts.push(`${key}=${formatValue(value)}`);
  }
  return `[${parts.join(',')}]`;
}

/** 'atomic', 'set', or the keys of an associative list. */
function listSemantics(list: SchemaNode): 'atomic' | 'set' | string[] {
  if (list.listType === 'map') return list.listMapKeys ?? (list.patchMergeKey ? [list.patchMergeKey] : []);
  if (list.listType === 'set' || list.listType === 'atomic') return list.listType;
  const strategies = (list.patchStrategy ?? '').split(',').map((s) => s.trim());
  if (strategies.includes('merge')) return list.patchMergeKey ? [list.patchMergeKey] : 'set';
  return 'atomic';
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
