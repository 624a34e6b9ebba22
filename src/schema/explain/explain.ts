/**
 * The explanation of the field at a position of a YAML manifest (hovers, `kube-sim explain`): its
 * path as the API reference writes it (`Pod.spec.containers[].resources.requests`), its type as the
 * reference shows it (`[]Container`, `map[string]string`, `Quantity`), whether it is required, its
 * default, its allowed values, its description and the reference link. Plain Node, no cluster.
 */
import { isMap, type Document, type Node, type YAMLMap } from 'yaml';
import { loadFieldIndex, type FieldIndex } from '../field-index';
import { formatFieldPath, getIn } from '../field-path';
import { referenceUrl } from '../reference-url';
import type { FieldPathSegment, GroupVersionKind, SchemaType } from '../types';
import { fieldAtDocuments } from '../yaml-location';
import { documentKind } from './document-kind';
import { parseText } from './parsed-text';
import { serverDefaults } from './server-defaults';

export interface Explanation {
  gvk: GroupVersionKind;
  /** `Pod.spec.containers[].resources.requests`: the kind, then the field path with list items as `[]`. */
  path: string;
  /** The path as kube-apiserver words it, with this document's list positions: `spec.containers[0].resources.requests`. */
  fieldPath: string;
  segments: FieldPathSegment[];
  /** The last field name or map key; '' for the document itself. */
  name: string;
  type: string;
  schemaType: SchemaType;
  required: boolean;
  default?: unknown;
  enum?: unknown[];
  description: string;
  reference?: string;
  /**
   * Fields of this object the API server fills in when the manifest leaves them out, with what they
   * become (`restartPolicy: Always` on a pod's spec).
   */
  defaultedChildren?: { name: string; default: unknown }[];
  /** For a list of objects (a pod's containers): per item, what defaulting fills in that the item leaves out. */
  defaultedItems?: { index: number; name?: string; defaults: { name: string; default: unknown }[] }[];
  /** True when the position is on a key, false on a value. */
  onKey: boolean;
  /** Offsets of the key or value the explanation is about. */
  range: [number, number];
  /** Which document of the text, from 0. */
  document: number;
}

/** The explanation at `offset` of `text`, or undefined off any field, in a document of unknown kind, or on an unknown field. */
export function explainAt(text: string, offset: number, index: FieldIndex = loadFieldIndex()): Explanation | undefined {
  const parsed = parseText(text);
  const location = fieldAtDocuments(parsed.documents, offset);
  if (location === undefined) return undefined;
  const doc = parsed.documents[location.document];
  const gvk = documentKind(index, doc);
  if (gvk === undefined) return undefined;
  return explainPath(index, gvk, location.path, {
    onKey: location.onKey,
    range: location.range,
    document: location.document,
    node: nodeAt(doc, location.path),
    object: () => doc.toJS() as unknown,
  });
}

interface Where {
  onKey: boolean;
  range: [number, number];
  document: number;
  /** The YAML value at the path, to tell which defaulted fields it leaves out. */
  node?: Node | null;
  /** The document as plain data, for the API server's defaulting (asked for only on objects). */
  object?: () => unknown;
}

export function explainPath(
  index: FieldIndex,
  gvk: GroupVersionKind,
  segments: FieldPathSegment[],
  where: Where,
): Explanation | undefined {
  const info = index.resolve(gvk, segments);
  if (info === undefined) return undefined;
  const explanation: Explanation = {
    gvk,
    path: displayPath(gvk.kind, segments),
    fieldPath: formatFieldPath(segments),
    segments,
    name: info.name,
    type: info.type,
    schemaType: info.schemaType,
    required: info.required,
    description: info.schemaType === 'quantity' && info.definition !== undefined ? QUANTITY_SUMMARY : info.description,
    onKey: where.onKey,
    range: where.range,
    document: where.document,
  };
  if (info.default !== undefined) explanation.default = info.default;
  if (info.enum !== undefined) explanation.enum = info.enum;
  const reference = referenceUrl(gvk, segments, index);
  if (reference !== undefined) explanation.reference = reference;
  const defaulted = defaultedChildren(index, gvk, segments, where.node);
  if (where.object !== undefined && explanation.schemaType === 'object') {
    for (const d of serverDefaults(gvk.kind, where.object(), segments)) if (!defaulted.some((s) => s.name === d.name)) defaulted.push(d);
    defaulted.sort((a, b) => a.name.localeCompare(b.name));
  }
  if (where.object !== undefined && explanation.schemaType === 'array') {
    const object = where.object();
    const items = getIn(object, segments);
    const perItem: NonNullable<Explanation['defaultedItems']> = [];
    if (Array.isArray(items)) {
      items.forEach((item, i) => {
        const defaults = serverDefaults(gvk.kind, object, [...segments, i]);
        const name = item !== null && typeof item === 'object' ? (item as { name?: unknown }).name : undefined;
        if (defaults.length > 0) perItem.push({ index: i, ...(typeof name === 'string' ? { name } : {}), defaults });
      });
    }
    if (perItem.length > 0) explanation.defaultedItems = perItem;
  }
  if (defaulted.length > 0) explanation.defaultedChildren = defaulted;
  return explanation;
}

/** Quantity's own description is a grammar of several pages; a hover says what a user needs. */
const QUANTITY_SUMMARY =
  'A quantity: a number with an optional suffix. CPU in cores or millicores (`0.5`, `500m`); memory and storage in bytes, ' +
  'with binary (`Ki`, `Mi`, `Gi`) or decimal (`k`, `M`, `G`) suffixes (`128Mi`, `1G`). At most 3 decimal places; ' +
  'the API server stores it in canonical form (`1.5` becomes `1500m`).';

/** `Pod` + ['spec', 'containers', 0, 'image'] → `Pod.spec.containers[].image`. */
export function displayPath(kind: string, segments: readonly FieldPathSegment[]): string {
  let out = kind;
  for (const segment of segments) out += typeof segment === 'number' ? '[]' : `.${segment}`;
  return out;
}

function defaultedChildren(
  index: FieldIndex,
  gvk: GroupVersionKind,
  segments: FieldPathSegment[],
  node: Node | null | undefined,
): { name: string; default: unknown }[] {
  const info = index.resolve(gvk, segments);
  if (info === undefined || info.schemaType !== 'object') return [];
  const definition = info.definition !== undefined ? index.definition(info.definition) : undefined;
  const properties = segments.length === 0 ? index.schemaForKind(gvk)?.definition.properties : definition?.properties;
  if (properties === undefined) return [];
  const present = node && isMap(node) ? node : undefined;
  const out: { name: string; default: unknown }[] = [];
  for (const [name, property] of Object.entries(properties)) {
    if (property.default === undefined) continue;
    if (present !== undefined && (present as YAMLMap).has(name)) continue;
    out.push({ name, default: property.default });
  }
  return out;
}

/** The YAML node at a path of a document (through aliases), or undefined. */
export function nodeAt(doc: Document, segments: readonly FieldPathSegment[]): Node | null | undefined {
  return segments.length === 0 ? (doc.contents as Node | null) : (doc.getIn(segments, true) as Node | null | undefined);
}
