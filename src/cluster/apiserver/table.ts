/**
 * Server-side printing: objects as a meta.k8s.io/v1 Table, as kube-apiserver answers `kubectl get`.
 * Columns come from the kind's TableConvertor (printers/**); kinds without one get kube-apiserver's
 * default (Name, Created At). Every row carries the object's metadata (PartialObjectMetadata) unless
 * `includeObject=None`, so `-A`, `--show-labels` and `-L` work; `includeObject=Object` carries the
 * whole object (kubectl asks for it with --sort-by).
 */
import { badRequest } from '../api/errors';
import type { KubeObject } from '../api/types';
import type { KeyValue } from '../store/types';
import { metadataText, withResourceVersion } from './registry/codec';
import type { ResourceDefinition, TableColumn, TableConvertor } from './registry/resource';

const DEFAULT_COLUMNS: TableColumn[] = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names', priority: 0 },
  { name: 'Created At', type: 'date', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata', priority: 0 },
];

const DEFAULT_CONVERTOR: TableConvertor = {
  columns: DEFAULT_COLUMNS,
  cells: (object) => [object.metadata.name ?? '', object.metadata.creationTimestamp ?? ''],
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function includeObjectOf(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  if (v === null || v === '' || v === 'Metadata') return 'Metadata';
  if (v === 'None' || v === 'Object') return v;
  throw badRequest(`includeObject: Unsupported value: "${v}": supported values: "Metadata", "None", "Object"`);
}

export function convertorOf(def: ResourceDefinition): TableConvertor {
  return def.table ?? DEFAULT_CONVERTOR;
}

export interface TableRow {
  cells: unknown[];
  object?: unknown;
}

export function tableRow(def: ResourceDefinition, object: KubeObject, now: number, include: IncludeObject): TableRow {
  const row: TableRow = { cells: convertorOf(def).cells(object, now) };
  if (include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
  else if (include === 'Object') row.object = object;
  return row;
}

export function table(
  def: ResourceDefinition,
  objects: KubeObject[],
  now: number,
  include: IncludeObject,
  listMeta: { resourceVersion?: string; continue?: string; remainingItemCount?: number } = {},
  withColumns = true,
): Record<string, unknown> {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: withColumns ? convertorOf(def).columns : null,
    rows: objects.map((o) => tableRow(def, o, now, include)),
  };
}

/**
 * The same Table as JSON bytes, built from the stored text of each object (`kvs[i]` holds
 * `objects[i]`): row objects are cut out of the stored text instead of re-serialized, which is most
 * of the work for a list of thousands. Each row is encoded on its own and the rows are copied once
 * into the answer: no multi-megabyte string is flattened and then encoded again by the transport.
 * Only for resources stored in their own shape.
 */
export function tableBytes(
  def: ResourceDefinition,
  kvs: KeyValue[],
  objects: KubeObject[],
  now: number,
  include: IncludeObject,
  listMeta: { resourceVersion?: string; continue?: string; remainingItemCount?: number } = {},
): Buffer {
  const convertor = convertorOf(def);
  const parts: Buffer[] = new Array(objects.length + 2);
  parts[0] = Buffer.from(`{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":${JSON.stringify(listMeta)},"columnDefinitions":${JSON.stringify(convertor.columns)},"rows":[`);
  let size = parts[0].length;
  for (let i = 0; i < objects.length; i++) {
    const cells = JSON.stringify(convertor.cells(objects[i]!, now));
    const kv = kvs[i]!;
    const comma = i === 0 ? '' : ',';
    let row: string;
    if (include === 'None') row = `${comma}{"cells":${cells}}`;
    else if (include === 'Object') row = `${comma}{"cells":${cells},"object":${withResourceVersion(kv.value, kv.modRevision)}}`;
    else row = `${comma}{"cells":${cells},"object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":${metadataText(kv.value, kv.modRevision)}}}`;
    const b = Buffer.from(row);
    parts[i + 1] = b;
    size += b.length;
  }
  const end = Buffer.from(']}');
  parts[objects.length + 1] = end;
  return Buffer.concat(parts, size + end.length);
}

/** tableBytes as text. */
export function tableText(...args: Parameters<typeof tableBytes>): string {
  return tableBytes(...args).toString('utf8');
}
