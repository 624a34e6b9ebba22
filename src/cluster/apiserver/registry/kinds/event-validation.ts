/**
 * Event validation shared by core/v1 and events.k8s.io/v1 (pkg/apis/core/validation
 * ValidateEventCreate/Update). Both operate on the core shape; errors name the internal fields
 * (`involvedObject.namespace`, `message`), as kube-apiserver's do for both APIs. The legacy API
 * stays lenient (an old-style event needs only a namespace that matches its object); events with
 * an eventTime, and everything created through events.k8s.io/v1, need the reporting fields.
 */
import { FieldError, invalid, required } from '../../../api/field-errors';
import type { KubeObject } from '../../../api/types';
import { validateImmutableField } from '../../../api/validation/meta';
import { isDNS1123Subdomain, isQualifiedName } from '../../../api/validation/names';

const NOTE_LENGTH_LIMIT = 1024;
const REPORTING_INSTANCE_LENGTH_LIMIT = 128;
const ACTION_LENGTH_LIMIT = 128;
const REASON_LENGTH_LIMIT = 128;

interface CoreEventShape extends KubeObject {
  involvedObject?: { namespace?: string };
  eventTime?: string | null;
  reportingComponent?: string;
  reportingInstance?: string;
  action?: string;
  reason?: string;
  message?: string;
  type?: string;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  count?: number;
  source?: { component?: string; host?: string };
  series?: { count?: number; lastObservedTime?: string };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const bytes = (s: string): number => Buffer.byteLength(s);

/** legacyValidateEvent. `legacy` is true for requests through core/v1. */
function legacyValidate(e: CoreEventShape, legacy: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ns = e.metadata.namespace ?? '';
  const involvedNs = str(e.involvedObject?.namespace);
  const controllerField = legacy ? 'reportingComponent' : 'reportingController';
  if (!e.eventTime) {
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    } else if (ns !== involvedNs) {
      errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    }
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') errs.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    const controller = str(e.reportingComponent);
    if (!controller) errs.push(required(controllerField));
    for (const m of isQualifiedName(controller)) errs.push(invalid(controllerField, controller, m));
    const instance = str(e.reportingInstance);
    if (!instance) errs.push(required('reportingInstance'));
    if (bytes(instance) > REPORTING_INSTANCE_LENGTH_LIMIT) errs.push(invalid('reportingInstance', '', `can have at most ${REPORTING_INSTANCE_LENGTH_LIMIT} characters`));
    const action = str(e.action);
    if (!action) errs.push(required('action'));
    if (bytes(action) > ACTION_LENGTH_LIMIT) errs.push(invalid('action', '', `can have at most ${ACTION_LENGTH_LIMIT} characters`));
    const reason = str(e.reason);
    if (!reason) errs.push(required('reason'));
    if (bytes(reason) > REASON_LENGTH_LIMIT) errs.push(invalid('reason', '', `can have at most ${REASON_LENGTH_LIMIT} characters`));
    if (bytes(str(e.message)) > NOTE_LENGTH_LIMIT) errs.push(invalid('message', '', `can have at most ${NOTE_LENGTH_LIMIT} characters`));
  }
  for (const m of isDNS1123Subdomain(ns)) errs.push(invalid('namespace', ns, m));
  return errs;
}

function validateSeries(e: CoreEventShape): FieldError[] {
  if (!e.series) return [];
  const errs: FieldError[] = [];
  if ((e.series.count ?? 0) < 2) errs.push(invalid('series.count', '', 'should be at least 2'));
  if (!e.series.lastObservedTime) errs.push(required('series.lastObservedTime'));
  return errs;
}

/** ValidateEventCreate on a core-shaped event. */
export function validateEventCreate(e: CoreEventShape, legacy: boolean): FieldError[] {
  const errs = legacyValidate(e, legacy);
  if (legacy) return errs;
  errs.push(...validateSeries(e));
  if (!e.eventTime) errs.push(required('eventTime'));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${str(e.type)}`));
  if (e.firstTimestamp) errs.push(invalid('firstTimestamp', '', 'needs to be unset'));
  if (e.lastTimestamp) errs.push(invalid('lastTimestamp', '', 'needs to be unset'));
  if (e.count) errs.push(invalid('count', '', 'needs to be unset'));
  if (e.source?.component || e.source?.host) errs.push(invalid('source', '', 'needs to be unset'));
  return errs;
}

/** ValidateEventUpdate: the legacy API may change anything; events.k8s.io only the series. */
export function validateEventUpdate(e: CoreEventShape, old: CoreEventShape, legacy: boolean): FieldError[] {
  if (legacy) return legacyValidate(e, legacy);
  const errs: FieldError[] = [];
  for (const field of ['involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'reportingComponent', 'reportingInstance', 'action', 'type', 'eventTime', 'related']) {
    const shown = field === 'reportingComponent' ? 'reportingController' : field;
    errs.push(...validateImmutableField(e[field], old[field], shown));
  }
  errs.push(...validateSeries(e));
  return errs;
}
