/**
 * events (core/v1). The namespace of an event must match its involved object's (cluster-scoped
 * objects' events live in `default`). Field selectors cover involvedObject.*, reason,
 * reportingComponent, source and type, as kube-apiserver's event GetAttrs does.
 */
import type { KubeObject } from '../../../api/types';
import { eventTable } from '../../printers/events';
import type { ResourceDefinition } from '../resource';
import { ALL_VERBS, fieldValue, kindStrategy, selectable } from './common';
import { validateEventCreate, validateEventUpdate } from './event-validation';
import { createdEventText } from './event-text';

export const eventSelectableFields: Record<string, (o: KubeObject) => string> = {
  ...selectable(
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'type',
  ),
  source: (o) => fieldValue(o, 'source.component') || fieldValue(o, 'reportingComponent'),
};

export const events: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Event',
  listKind: 'EventList',
  resource: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  verbs: ALL_VERBS,
  subresources: [],
  strategy: {
    ...kindStrategy({
      namespaced: true,
      validate: (object) => validateEventCreate(object, true),
      validateUpdate: (object, old) => validateEventUpdate(object, old, true),
    }),
    createdText: createdEventText,
  },
  table: eventTable,
  selectableFields: eventSelectableFields,
};
