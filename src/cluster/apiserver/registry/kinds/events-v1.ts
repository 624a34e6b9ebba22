/**
 * events (events.k8s.io/v1): the same events as core/v1 seen through the newer schema. In
 * kube-apiserver both are one storage; `toCoreEvent` / `fromCoreEvent` are the field mapping
 * (regarding ↔ involvedObject, note ↔ message, deprecatedSource ↔ source, ...) so the registry can
 * store one shape and serve both.
 */
import type { KubeObject } from '../../../api/types';
import { eventTable } from '../../printers/events';
import type { ResourceDefinition, TableConvertor } from '../resource';
import { ALL_VERBS, kindStrategy } from './common';
import { eventSelectableFields } from './events';
import { validateEventCreate, validateEventUpdate } from './event-validation';

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
  strategy: kindStrategy({
    namespaced: true,
    validate: (object) => validateEventCreate(toCoreEvent(object), false),
    validateUpdate: (object, old) => validateEventUpdate(toCoreEvent(object), toCoreEvent(old), false),
  }),
  table: v1EventTable,
  selectableFields: Object.fromEntries(
    Object.entries(eventSelectableFields).map(([field, read]) => [field, (o: KubeObject) => read(o.regarding !== undefined ? toCoreEvent(o) : o)]),
  ),
};
