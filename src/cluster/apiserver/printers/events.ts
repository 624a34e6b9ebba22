/**
 * `kubectl get events`: LAST SEEN falls back to the first timestamp, then the event time; a series
 * overrides count and last seen; OBJECT is `kind/name` with the kind in lower case; SOURCE is
 * `component, host` from the legacy source or the reporting controller and instance.
 */
import type { KubeObject } from '../../api/types';
import type { TableConvertor } from '../registry/resource';
import { translateTimestampSince } from './age';
import { column, nameColumn } from './columns';
import { doc } from './descriptions';

interface CoreEvent extends KubeObject {
  involvedObject?: { kind?: string; name?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
}

export function formatEventSource(component: string, instance: string): string {
  if (!component && !instance) return '';
  return instance ? `${component}, ${instance}` : component;
}

export const eventTable: TableConvertor = {
  columns: [
    column('Last Seen', doc.eventLastTimestamp),
    column('Type', doc.eventType),
    column('Reason', doc.eventReason),
    column('Object', doc.eventInvolvedObject),
    column('Subobject', doc.objectReferenceFieldPath, { priority: 1 }),
    column('Source', doc.eventSource, { priority: 1 }),
    column('Message', doc.eventMessage),
    column('First Seen', doc.eventFirstTimestamp, { priority: 1 }),
    column('Count', doc.eventCount, { priority: 1 }),
    { ...nameColumn(), priority: 1 },
  ],
  cells(object, now) {
    const e = object as CoreEvent;
    const firstSeen = e.firstTimestamp ? translateTimestampSince(e.firstTimestamp, now) : translateTimestampSince(e.eventTime, now);
    let lastSeen = e.lastTimestamp ? translateTimestampSince(e.lastTimestamp, now) : firstSeen;
    let count = e.count ?? 0;
    if (e.series) {
      lastSeen = translateTimestampSince(e.series.lastObservedTime, now);
      count = e.series.count ?? 0;
    } else if (count === 0) count = 1;
    const target = `${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`;
    const source = formatEventSource(e.source?.component || e.reportingComponent || '', e.source?.host || e.reportingInstance || '');
    return [lastSeen, e.type ?? '', e.reason ?? '', target, e.involvedObject?.fieldPath ?? '', source, (e.message ?? '').trim(), firstSeen, count, e.metadata.name ?? ''];
  },
};
