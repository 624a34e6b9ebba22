/**
 * YAML position → field path, for hovers: walk the YAML syntax tree to the node at an offset
 * (as redhat-developer/yaml-language-server's hover does) rather than guessing from indentation.
 * The path is in the segments src/schema/field-index.ts resolves: field names and map keys as strings,
 * list positions as numbers. The document's apiVersion and kind give the schema to resolve it in.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import type { FieldPathSegment, GroupVersionKind } from './types';

export interface YamlFieldLocation {
  /** Path from the document root to the key or value at the offset. */
  path: FieldPathSegment[];
  /** True when the offset is on a key (`image` in `image: nginx`), false on a value. */
  onKey: boolean;
  /** From the document's apiVersion and kind, when both are plain strings. */
  gvk?: GroupVersionKind;
  /** Which document of a multi-document file (`---`), from 0. */
  document: number;
  /** Start and end offsets of the key or value node at the offset. */
  range: [number, number];
}

export function fieldAt(text: string, offset: number): YamlFieldLocation | undefined {
  const documents = parseAllDocuments(text);
  return fieldAtDocuments(Array.isArray(documents) ? documents : [documents], offset);
}

/**
 * The same walk over documents parsed once (`parseAllDocuments`), for callers that keep the parse
 * of a text version and answer many positions in it (hovers, completion).
 */
export function fieldAtDocuments(list: readonly Document.Parsed[] | readonly Document[], offset: number): YamlFieldLocation | undefined {
  for (let d = 0; d < list.length; d++) {
    const doc = list[d];
    const root = doc.contents as Node | null;
    if (!root || !contains(root, offset)) continue;
    const found = locate(root, offset, []);
    if (found === undefined) return undefined;
    const gvk = gvkOf(doc.get('apiVersion'), doc.get('kind'));
    return { ...found, document: d, ...(gvk ? { gvk } : {}) };
  }
  return undefined;
}

/** `apps/v1` + `Deployment` → {group: 'apps', version: 'v1', kind: 'Deployment'}. */
export function gvkOf(apiVersion: unknown, kind: unknown): GroupVersionKind | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion, kind }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
}

type Located = Pick<YamlFieldLocation, 'path' | 'onKey' | 'range'>;

function locate(node: Node, offset: number, path: FieldPathSegment[]): Located | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      const name = key && isScalar(key) ? String(key.value) : undefined;
      // A merge key (`<<: *defaults`) adds fields to the map it is in; it is not a field itself.
      if (name === '<<' && ((key && contains(key, offset)) || (value && (isAlias(value) || isSeq(value)) && contains(value, offset)))) {
        return { path, onKey: false, range: span(key && contains(key, offset) ? key : (value as Node)) };
      }
      if (key && name !== undefined && contains(key, offset)) return { path: [...path, name], onKey: true, range: span(key) };
      if (value && name !== undefined && contains(value, offset)) return locate(value, offset, [...path, name]);
    }
    return undefined;
  }
  if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const item = node.items[i] as Node | null;
      if (item && contains(item, offset)) return locate(item, offset, [...path, i]);
    }
    return undefined;
  }
  return { path, onKey: false, range: span(node) };
}

function contains(node: Node, offset: number): boolean {
  const range = node.range;
  return range !== undefined && range !== null && offset >= range[0] && offset <= range[1];
}

function span(node: Node): [number, number] {
  return [node.range![0], node.range![1]];
}
