/**
 * Completion for YAML manifests from the 1.32 schema (plain Node): field names that the object at the
 * cursor may still take (with their type and description), the allowed values of an enum, boolean
 * or defaulted field after its colon, and a Pod snippet at the top of an empty document.
 *
 * Where the cursor is, is read from the yaml package's tree. On a line being typed there may be no
 * node at all (an empty line inside `spec:`): the text is then parsed once more with a placeholder
 * key at the cursor, and the map the placeholder lands in says which object it is.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import { loadFieldIndex, type FieldIndex } from '../field-index';
import type { FieldPathSegment, GroupVersionKind, SchemaDefinition } from '../types';
import { fieldAtDocuments } from '../yaml-location';
import { documentKind } from './document-kind';
import { explanationMarkdown } from './markdown';
import { explainPath } from './explain';
import { parseText } from './parsed-text';

export interface CompletionItem {
  label: string;
  kind: 'field' | 'value' | 'snippet';
  /** The type (`[]Container`), or what the snippet makes. */
  detail: string;
  /** Markdown. */
  documentation: string;
  /** VS Code snippet syntax (`$0`, `${1:name}`). */
  insertText: string;
  /** Offsets of the text the item replaces (the word being typed). */
  range: [number, number];
  required?: boolean;
  /** Sorts required fields first. */
  sortText: string;
}

const PLACEHOLDER = '__kube_sim_completion__';

export function completionsAt(text: string, offset: number, index: FieldIndex = loadFieldIndex()): CompletionItem[] {
  const parsed = parseText(text);
  const word = wordAt(text, offset);
  const line = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
  // After `key:` on the same line: the field's values.
  const afterColon = /^(\s*(?:-\s+)*)("[^"]*"|'[^']*'|[^\s:#][^:#]*?):[ \t]+(\S*)$/.exec(line);
  if (afterColon) {
    const keyOffset = offset - afterColon[0].length + afterColon[1].length + 1;
    const location = fieldAtDocuments(parsed.documents, keyOffset);
    if (location?.onKey) {
      const gvk = documentKind(index, parsed.documents[location.document]);
      return gvk ? valueItems(index, gvk, location.path, [offset - afterColon[3].length, offset]) : [];
    }
    return [];
  }
  const onKey = word.text === '' ? undefined : fieldAtDocuments(parsed.documents, word.range[0]);
  let path: FieldPathSegment[] | undefined;
  let doc: Document | undefined;
  let present: Set<string> = new Set();
  if (onKey?.onKey) {
    path = onKey.path.slice(0, -1);
    doc = parsed.documents[onKey.document];
    present = keysAt(doc, path);
  } else if (/^\s*(?:-\s+)*[\w"'-]*$/.test(line)) {
    const probe = placeholderPath(text, word.range, offset);
    if (probe !== undefined) {
      path = probe.path;
      doc = parsed.documents[probe.document] ?? probe.doc;
      present = probe.siblings;
    }
  }
  if (path === undefined) return [];
  const gvk = doc ? documentKind(index, doc) : undefined;
  if (gvk === undefined) return path.length === 0 ? [podSnippet(word.range)] : [];
  const items = fieldItems(index, gvk, path, present, word.range);
  return items;
}

function fieldItems(index: FieldIndex, gvk: GroupVersionKind, path: FieldPathSegment[], present: Set<string>, range: [number, number]): CompletionItem[] {
  const definition = objectDefinition(index, gvk, path);
  if (definition?.properties === undefined) return [];
  const out: CompletionItem[] = [];
  for (const [name, property] of Object.entries(definition.properties)) {
    if (present.has(name)) continue;
    if (path.length === 0 && name === 'status') continue;
    const e = explainPath(index, gvk, [...path, name], { onKey: true, range, document: 0 });
    if (e === undefined) continue;
    const type = index.schemaType(property);
    const required = definition.required?.includes(name) ?? false;
    const insertText = type === 'object' || type === 'map' ? `${name}:\n  $0` : type === 'array' ? `${name}:\n- $0` : `${name}: $0`;
    out.push({ label: name, kind: 'field', detail: e.type, documentation: explanationMarkdown(e), insertText, range, required, sortText: `${required ? 0 : 1}${name}` });
  }
  return out;
}

function valueItems(index: FieldIndex, gvk: GroupVersionKind, path: FieldPathSegment[], range: [number, number]): CompletionItem[] {
  const info = index.resolve(gvk, path);
  if (info === undefined) return [];
  const values: unknown[] = info.enum ?? (info.schemaType === 'boolean' ? [true, false] : info.default !== undefined ? [info.default] : []);
  return values.map((v, i) => ({
    label: String(v),
    kind: 'value' as const,
    detail: info.default === v ? `${info.type} (default)` : info.type,
    documentation: info.description,
    insertText: String(v),
    range,
    sortText: `${info.default === v ? 0 : 1}${String(i).padStart(3, '0')}`,
  }));
}

/** The object definition at a path (through list items), or undefined when the path is not an object. */
function objectDefinition(index: FieldIndex, gvk: GroupVersionKind, path: FieldPathSegment[]): SchemaDefinition | undefined {
  if (path.length === 0) return index.schemaForKind(gvk)?.definition;
  const info = index.resolve(gvk, path);
  if (info?.definition === undefined) return undefined;
  const def = index.definition(info.definition);
  if (def?.type === 'array' && def.items) return index.deref(def.items);
  return def;
}

/** The word being typed at the cursor (a key or value fragment). */
function wordAt(text: string, offset: number): { text: string; range: [number, number] } {
  let start = offset;
  while (start > 0 && /[\w.\-/"']/.test(text[start - 1])) start--;
  return { text: text.slice(start, offset), range: [start, offset] };
}

function keysAt(doc: Document, path: FieldPathSegment[]): Set<string> {
  const node = (path.length === 0 ? doc.contents : doc.getIn(path, true)) as Node | null | undefined;
  const out = new Set<string>();
  if (node && isMap(node)) for (const pair of node.items) if (isScalar(pair.key)) out.add(String(pair.key.value));
  return out;
}

/** Parses the text with a placeholder key where the word is, and finds the map it lands in. */
function placeholderPath(text: string, word: [number, number], offset: number): { path: FieldPathSegment[]; document: number; doc: Document; siblings: Set<string> } | undefined {
  const probe = `${text.slice(0, word[0])}${PLACEHOLDER}:${text.slice(offset)}`;
  const documents = parseAllDocuments(probe);
  const list = Array.isArray(documents) ? documents : [];
  for (let d = 0; d < list.length; d++) {
    const found = findPlaceholder(list[d].contents as Node | null, []);
    if (found !== undefined) {
      found.siblings.delete(PLACEHOLDER);
      return { ...found, document: d, doc: list[d] };
    }
  }
  return undefined;
}

function findPlaceholder(node: Node | null, path: FieldPathSegment[]): { path: FieldPathSegment[]; siblings: Set<string> } | undefined {
  if (!node) return undefined;
  if (isMap(node)) {
    const keys = new Set<string>();
    let here = false;
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      keys.add(key);
      if (key === PLACEHOLDER) here = true;
    }
    if (here) return { path, siblings: keys };
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const found = findPlaceholder(pair.value as Node | null, [...path, String(pair.key.value)]);
      if (found) return found;
    }
    return undefined;
  }
  if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const found = findPlaceholder(node.items[i] as Node | null, [...path, i]);
      if (found) return found;
    }
  }
  return undefined;
}

export function podSnippet(range: [number, number]): CompletionItem {
  return {
    label: 'Pod',
    kind: 'snippet',
    detail: 'v1 Pod with one container',
    documentation: 'A Pod with one container, its image, a port and resource requests.',
    insertText: [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: ${1:web}',
      '  labels:',
      '    app: ${1:web}',
      'spec:',
      '  containers:',
      '  - name: ${2:app}',
      '    image: ${3:nginx:1.27}',
      '    ports:',
      '    - containerPort: ${4:80}',
      '    resources:',
      '      requests:',
      '        cpu: ${5:100m}',
      '        memory: ${6:64Mi}',
      '$0',
    ].join('\n'),
    range,
    sortText: '0Pod',
  };
}
