/**
 * events (events.k8s.io/v1): the same events as core/v1 seen through the newer schema. In
 * kube-apiserver both are one storage; `toCoreEvent` / `fromCoreEvent` are the field mapping
 * (regarding ↔ involvedObject, note ↔ message, deprecatedSource ↔ source, ...) so the registry can
 * store one shape and serve both.
 */
import { FieldPath, invalid, required } from '../../../api/field-errors';
import type { FieldError } from '../../../api/field-errors';
import type { KubeObject } from '../../../api/types';
import { eventTable } from '../../printers/events';
import type { ResourceDefinition, TableConvertor } from '../resource';
import { ALL_VERBS, kindStrategy } from './common';
import { eventSelectableFields } from './events';

const RENAMES: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function rename(object: KubeObject, pairs: [string, string][], apiVersion: string): KubeObject {
  const out: KubeObject = { ...object, apiVersion, kind: 'Event', metadata: object.metadata };
  for (const [from, to] of pairs) {
    delete out[from];
    if (object[from] !== undefined) out[to] = object[from];
  }
  return out;
}

export const toCoreEvent = (e: KubeObject): KubeObject => rename(e, RENAMES, 'v1');
export const fromCoreEvent = (e: KubeObject): KubeObject => rename(e, RENAMES.map(([a, b]) => [b, a]), 'events.k8s.io/v1');

const TYPES = ['Normal', 'Warning'];

/** ValidateEventCreate for events.k8s.io/v1 clients: the new API requires what the old one defaulted. */
function validateEventsV1(object: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (!object.eventTime) errs.push(required('eventTime'));
  if (object.type && !TYPES.includes(String(object.type))) errs.push(invalid('type', object.type, `has invalid value: ${String(object.type)}`));
  if (!object.reportingController) errs.push(required('reportingController'));
  if (!object.reportingInstance) errs.push(required('reportingInstance'));
  if (!object.action) errs.push(required('action'));
  if (!object.reason) errs.push(required('reason'));
  const regarding = (object.regarding as { namespace?: string } | undefined) ?? {};
  const ns = object.metadata.namespace ?? '';
  if (regarding.namespace ? regarding.namespace !== ns : ns !== '' && ns !== 'default') {
    errs.push(invalid(FieldPath.root('regarding').child('namespace').toString(), regarding.namespace ?? '', 'does not match event.namespace'));
  }
  const note = String(object.note ?? '');
  if (Buffer.byteLength(note) > 1024) errs.push(invalid('note', '', 'can have at most 1024 characters'));
  return errs;
}

const v1EventTable: TableConvertor = {
  columns: eventTable.columns,
  cells: (object, now) => eventTable.cells(toCoreEvent(object), now),
};

export const eventsV1: ResourceDefinition = {
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  listKind: 'EventList',
  resource: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  verbs: ALL_VERBS,
  subresources: [],
  strategy: kindStrategy({ namespaced: true, validate: validateEventsV1 }),
  table: v1EventTable,
  selectableFields: Object.fromEntries(
    Object.entries(eventSelectableFields).map(([field, read]) => [field, (o: KubeObject) => read(o.regarding !== undefined ? toCoreEvent(o) : o)]),
  ),
};
