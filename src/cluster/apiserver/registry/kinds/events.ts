/**
 * events (core/v1). The namespace of an event must match its involved object's (cluster-scoped
 * objects' events live in `default`). Field selectors cover involvedObject.*, reason,
 * reportingComponent, source and type, as kube-apiserver's event GetAttrs does.
 */
import { FieldPath, invalid, required } from '../../../api/field-errors';
import type { FieldError } from '../../../api/field-errors';
import type { KubeObject } from '../../../api/types';
import { eventTable } from '../../printers/events';
import type { ResourceDefinition } from '../resource';
import { ALL_VERBS, fieldValue, kindStrategy, selectable } from './common';

interface InvolvedObject { namespace?: string; kind?: string; name?: string }

export function validateCoreEvent(object: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const involved = (object.involvedObject as InvolvedObject | undefined) ?? {};
  const ns = object.metadata.namespace ?? '';
  const path = FieldPath.root('involvedObject').child('namespace').toString();
  if (!involved.namespace) {
    if (ns !== '' && ns !== 'default') errs.push(invalid(path, involved.namespace ?? '', 'does not match event.namespace'));
  } else if (ns !== involved.namespace) {
    errs.push(invalid(path, involved.namespace, 'does not match event.namespace'));
  }
  if (!object.reason && object.apiVersion === 'events.k8s.io/v1') errs.push(required('reason'));
  return errs;
}

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
  strategy: kindStrategy({ namespaced: true, validate: validateCoreEvent, validateUpdate: validateCoreEvent }),
  table: eventTable,
  selectableFields: eventSelectableFields,
};
