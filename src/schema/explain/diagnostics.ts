/**
 * Diagnostics of a YAML manifest from the 1.32 schema, as one types (plain Node, no cluster): YAML
 * syntax errors, unknown kinds, unknown fields (with a "did you mean" from the known siblings), wrong
 * types, missing required fields, values outside an enum, invalid quantities and invalid names. Each
 * one has the exact range of the key or value it is about. The walk follows the yaml package's tree
 * and the schema together, so ranges never come from indentation.
 *
 * Values written as YAML null (`image:` with nothing after it yet) are taken as absent, as the API
 * server's decoder takes them. Aliases are not checked where they are used: their anchor is.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { Quantity } from '../../cluster/api/quantity';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
} from '../../cluster/api/validation/names';
import { loadFieldIndex, type FieldIndex } from '../field-index';
import { formatFieldPath } from '../field-path';
import type { FieldPathSegment, GroupVersionKind, SchemaNode } from '../types';
import { documentKind } from './document-kind';
import { parseText, type ParsedText } from './parsed-text';
import { didYouMean } from './did-you-mean';

export type DiagnosticSeverity = 'error' | 'warning' | 'information';

export type DiagnosticCode =
  | 'yaml-syntax'
  | 'unknown-kind'
  | 'unknown-field'
  | 'wrong-type'
  | 'missing-required'
  | 'unsupported-value'
  | 'invalid-quantity'
  | 'invalid-name'
  | 'dry-run'
  | 'runtime';

export interface ManifestDiagnostic {
  /** Offsets into the text. */
  range: [number, number];
  severity: DiagnosticSeverity;
  code: DiagnosticCode;
  message: string;
  /** Which document of the text, from 0. */
  document: number;
  /** The field as kube-apiserver words it (`spec.containers[0].image`), when the diagnostic is about one. */
  fieldPath?: string;
}

const cache = new WeakMap<ParsedText, ManifestDiagnostic[]>();

/** Schema diagnostics of every document of `text` (cached per text version). */
export function manifestDiagnostics(text: string, index: FieldIndex = loadFieldIndex()): ManifestDiagnostic[] {
  const parsed = parseText(text);
  const hit = cache.get(parsed);
  if (hit !== undefined) return hit;
  const out: ManifestDiagnostic[] = [];
  parsed.documents.forEach((doc, d) => checkDocument(index, doc, d, text, out));
  cache.set(parsed, out);
  return out;
}

function checkDocument(index: FieldIndex, doc: Document.Parsed, d: number, text: string, out: ManifestDiagnostic[]): void {
  for (const error of doc.errors) {
    const [start, end] = error.pos;
    out.push({ range: [start, Math.max(end, Math.min(start + 1, text.length))], severity: 'error', code: 'yaml-syntax', message: error.message.split('\n')[0], document: d });
  }
  const root = doc.contents as Node | null;
  if (!root || !isMap(root)) return;
  const kindPair = pairOf(root, 'kind');
  if (kindPair === undefined) return; // not (yet) a Kubernetes object
  const gvk = documentKind(index, doc);
  const kindNode = (kindPair.value ?? kindPair.key) as Node;
  if (gvk === undefined || index.schemaForKind(gvk) === undefined) {
    const version = doc.get('apiVersion');
    if (typeof doc.get('kind') === 'string') {
      out.push({
        range: rangeOf(kindNode),
        severity: 'warning',
        code: 'unknown-kind',
        message: `no kind "${String(doc.get('kind'))}" is known in version "${String(version ?? '')}" of Kubernetes 1.32`,
        document: d,
      });
    }
    return;
  }
  const kind = index.schemaForKind(gvk)!;
  const context: Context = { index, gvk, document: d, out };
  check(context, root, { ref: kind.name }, [], rangeOf(kindNode));
}

interface Context {
  index: FieldIndex;
  gvk: GroupVersionKind;
  document: number;
  out: ManifestDiagnostic[];
}

function check(c: Context, node: Node, schema: SchemaNode, path: FieldPathSegment[], owner: [number, number]): void {
  if (isAlias(node)) return;
  if (isScalar(node) && node.value === null) return;
  const def = c.index.deref(schema);
  const type = def.type ?? 'any';
  switch (type) {
    case 'object': {
      if (!isMap(node)) return wrongType(c, node, path, c.index.displayType(schema), 'object');
      const merged = node.items.some((p) => isScalar(p.key) && p.key.value === '<<');
      const properties = def.properties ?? {};
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        if (!key || !isScalar(key)) continue;
        const name = String(key.value);
        if (name === '<<') continue;
        const child = [...path, name];
        if (!Object.prototype.hasOwnProperty.call(properties, name)) {
          const suggestion = didYouMean(name, Object.keys(properties));
          add(c, key, 'error', 'unknown-field', `unknown field "${formatFieldPath(child)}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`, child);
          continue;
        }
        const value = pair.value as Node | null;
        if (value) check(c, value, properties[name], child, rangeOf(key));
        if (value && isScalar(value) && typeof value.value === 'string') checkName(c, value, child);
      }
      if (!merged) {
        for (const name of def.required ?? []) {
          if (pairOf(node, name) !== undefined) continue;
          const child = [...path, name];
          c.out.push({ range: owner, severity: 'error', code: 'missing-required', message: `${formatFieldPath(child)}: Required value`, document: c.document, fieldPath: formatFieldPath(child) });
        }
      }
      return;
    }
    case 'map': {
      if (!isMap(node)) return wrongType(c, node, path, c.index.displayType(schema), 'object');
      const values = def.additionalProperties;
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        if (!key || !isScalar(key)) continue;
        const child = [...path, String(key.value)];
        checkMapKey(c, key, pair, child);
        if (values && pair.value) check(c, pair.value as Node, values, child, rangeOf(key));
      }
      return;
    }
    case 'array': {
      if (!isSeq(node)) return wrongType(c, node, path, c.index.displayType(schema), 'array');
      node.items.forEach((item, i) => {
        if (item && def.items) check(c, item as Node, def.items, [...path, i], itemOwner(item as Node));
      });
      return;
    }
    default:
      return checkScalar(c, node, schema, type, path);
  }
}

function checkScalar(c: Context, node: Node, schema: SchemaNode, type: string, path: FieldPathSegment[]): void {
  const expected = c.index.displayType(schema);
  if (!isScalar(node)) {
    if (type === 'any') return;
    return wrongType(c, node, path, expected, scalarWord(type));
  }
  const value = node.value;
  const actual = valueWord(value);
  switch (type) {
    case 'string':
      if (typeof value !== 'string') return wrongType(c, node, path, expected, 'string', actual);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return wrongType(c, node, path, expected, 'boolean', actual);
      break;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrongType(c, node, path, expected, 'integer', actual);
      break;
    case 'number':
      if (typeof value !== 'number') return wrongType(c, node, path, expected, 'number', actual);
      break;
    case 'int-or-string':
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) return wrongType(c, node, path, expected, 'integer or string', actual);
      break;
    case 'quantity': {
      if (typeof value !== 'string' && typeof value !== 'number') return wrongType(c, node, path, expected, 'quantity', actual);
      try {
        Quantity.parse(String(value));
      } catch (err) {
        add(c, node, 'error', 'invalid-quantity', `${formatFieldPath(path)}: Invalid value: "${String(value)}": ${err instanceof Error ? err.message : String(err)}`, path);
      }
      return;
    }
    default:
      return;
  }
  const allowed = schema.enum ?? c.index.deref(schema).enum;
  if (allowed !== undefined && allowed.length > 0 && !allowed.includes(value)) {
    const list = allowed.map((v) => JSON.stringify(v)).join(', ');
    add(c, node, 'error', 'unsupported-value', `${formatFieldPath(path)}: Unsupported value: ${JSON.stringify(value)}: supported values: ${list}`, path);
  }
}

/** Names kube-apiserver validates by format: object names and namespaces, container names. */
function checkName(c: Context, node: Node, path: FieldPathSegment[]): void {
  const value = (node as { value: string }).value;
  let errors: string[] = [];
  const p = formatFieldPath(path);
  if (p === 'metadata.name') {
    if (c.gvk.kind === 'Namespace') errors = isDNS1123Label(value);
    else if (c.gvk.kind === 'Service') errors = isDNS1035Label(value);
    else errors = isDNS1123Subdomain(value);
  } else if (p === 'metadata.namespace') {
    errors = isDNS1123Label(value);
  } else if (/(^|\.)(containers|initContainers|ephemeralContainers)\[\d+\]\.name$/.test(p)) {
    errors = isDNS1123Label(value);
  }
  if (errors.length > 0) add(c, node, 'error', 'invalid-name', `${p}: Invalid value: ${JSON.stringify(value)}: ${errors.join(', ')}`, path);
}

/** Label and annotation keys, label values. */
function checkMapKey(c: Context, key: Node, pair: Pair, path: FieldPathSegment[]): void {
  const p = formatFieldPath(path.slice(0, -1));
  if (!/(^|\.)metadata\.(labels|annotations)$/.test(p)) return;
  const name = String((key as { value: unknown }).value);
  const keyErrors = isQualifiedName(name);
  if (keyErrors.length > 0) add(c, key, 'error', 'invalid-name', `${p}: Invalid value: ${JSON.stringify(name)}: ${keyErrors.join(', ')}`, path);
  const value = pair.value as Node | null;
  if (p.endsWith('labels') && value && isScalar(value) && typeof value.value === 'string') {
    const valueErrors = isValidLabelValue(value.value);
    if (valueErrors.length > 0) add(c, value, 'error', 'invalid-name', `${formatFieldPath(path)}: Invalid value: ${JSON.stringify(value.value)}: ${valueErrors.join(', ')}`, path);
  }
}

function wrongType(c: Context, node: Node, path: FieldPathSegment[], expectedType: string, expected: string, actual?: string): void {
  const got = actual ?? (isMap(node) ? 'object' : isSeq(node) ? 'array' : isScalar(node) ? valueWord(node.value) : 'value');
  add(c, node, 'error', 'wrong-type', `${formatFieldPath(path)}: expected ${expected} (${expectedType}), got ${got}`, path);
}

function add(c: Context, node: Node, severity: DiagnosticSeverity, code: DiagnosticCode, message: string, path: FieldPathSegment[]): void {
  c.out.push({ range: rangeOf(node), severity, code, message, document: c.document, fieldPath: formatFieldPath(path) });
}

function scalarWord(type: string): string {
  return type === 'int-or-string' ? 'integer or string' : type === 'date-time' ? 'string' : type;
}

function valueWord(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (value === null) return 'null';
  return typeof value;
}

/** Where a list item's own problems show: its first key (`- name: x`), not the whole item. */
function itemOwner(item: Node): [number, number] {
  const first = isMap(item) ? (item.items[0]?.key as Node | null | undefined) : undefined;
  return first ? rangeOf(first) : rangeOf(item);
}

function pairOf(map: YAMLMap, name: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === name) as Pair | undefined;
}

export function rangeOf(node: Node): [number, number] {
  const range = node.range;
  return range ? [range[0], range[1]] : [0, 0];
}
