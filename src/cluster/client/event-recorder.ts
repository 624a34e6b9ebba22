/**
 * Event recorders as client-go's: `record.EventRecorder` (core/v1 Events, what the kubelet and the
 * controllers write) and `events.EventRecorder` (events.k8s.io/v1, what the scheduler writes).
 *
 * Contract:
 * - Recording never throws and never blocks the caller: the write happens in the background and a
 *   failure is dropped, as client-go drops events it cannot deliver.
 * - Times come from the cluster clock.
 * - core/v1: the event is named `<involvedObject.name>.<hex of the unix nanoseconds>` (16 hex digits for
 *   any date after 2001). A repeat of the same event (same source, object, field path, type, reason and
 *   message) within the correlator's window is not a new object: the recorder PATCHes the existing
 *   one with `count + 1` and a new `lastTimestamp`, as client-go's EventCorrelator does. kubectl shows
 *   that as `(x5 over 3m)`. Events about cluster-scoped objects (Nodes) go to namespace `default`.
 * - events.k8s.io/v1: a repeat of the same (regarding, action, reason, note, type) within 6 minutes
 *   becomes `series: {count, lastObservedTime}` on the first event, as client-go's events broadcaster does.
 */
import type { KubeObject } from '../api/types';
import type { Clock } from '../clock';
import { EVENTS, EVENTS_V1, type ApiClient, type ResourceClient } from './client';
import { EventAggregates } from './event-aggregates';

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export type EventType = 'Normal' | 'Warning';

/** Who writes the events: `kubelet` on host `node-1`, `node-controller`, `taint-eviction-controller`. */
export interface EventSource {
  component: string;
  host?: string;
}

/** RFC 3339 with seconds, as metav1.Time marshals: `2026-01-01T00:00:00Z`. */
export function rfc3339(ms: number): string {
  const second = Math.floor(ms / 1000);
  // Formatted for every event, status and scheduling attempt, and the clock moves on far less
  // often; but a status formats its pod's start time between events formatting now, so one
  // remembered second missed half the time: a few, by the second's low bits.
  const slot = second & (SECOND_SLOTS - 1);
  if (secondKeys[slot] !== second) {
    secondKeys[slot] = second;
    // toISOString always ends in `.sssZ`.
    secondTexts[slot] = new Date(second * 1000).toISOString().slice(0, -5) + 'Z';
  }
  return secondTexts[slot]!;
}

const SECOND_SLOTS = 64;
const secondKeys = new Float64Array(SECOND_SLOTS).fill(NaN);
const secondTexts: string[] = new Array<string>(SECOND_SLOTS).fill('');
let lastMilli = NaN;
let lastMilliText = '';

/** RFC 3339 with microseconds, as metav1.MicroTime marshals: `2026-01-01T00:00:00.123000Z`. */
export function microTime(ms: number): string {
  if (ms !== lastMilli) {
    lastMilli = ms;
    lastMilliText = new Date(ms).toISOString().slice(0, -1) + '000Z';
  }
  return lastMilliText;
}

/**
 * A Pod's reference as referenceOf makes it of a Pod with this metadata (empty members left out,
 * fieldPath last), for eventOn: made from the parts alone, so that a caller that knows them (a pod
 * worker) need not read the pod.
 */
export function podReference(namespace: string | undefined, name: string | undefined, uid: string | undefined, resourceVersion: string | undefined, fieldPath?: string): ObjectReference {
  if (namespace && name && uid && resourceVersion) {
    // One literal per shape: the usual reference is made without referenceOf's member-by-member build.
    return fieldPath
      ? { kind: 'Pod', namespace, name, uid, apiVersion: 'v1', resourceVersion, fieldPath }
      : { kind: 'Pod', namespace, name, uid, apiVersion: 'v1', resourceVersion };
  }
  return referenceOf({ kind: 'Pod', namespace, name, uid, apiVersion: 'v1', resourceVersion }, fieldPath);
}

/**
 * The reference an event points at; a full object or an already built reference. Members that are
 * undefined or empty are left out; the others keep their order (a given reference's own, else kind,
 * namespace, name, uid, apiVersion, resourceVersion), fieldPath last unless the reference had one.
 * Built member by member: deleting the empty ones afterwards cost more than the event's other work.
 */
export function referenceOf(object: KubeObject | ObjectReference, fieldPath?: string): ObjectReference {
  const ref: ObjectReference = {};
  if ('metadata' in object && object.metadata) {
    const o = object as KubeObject;
    if (o.kind) ref.kind = o.kind;
    if (o.metadata.namespace) ref.namespace = o.metadata.namespace;
    if (o.metadata.name) ref.name = o.metadata.name;
    if (o.metadata.uid) ref.uid = o.metadata.uid;
    if (o.apiVersion) ref.apiVersion = o.apiVersion;
    if (o.metadata.resourceVersion) ref.resourceVersion = o.metadata.resourceVersion;
    if (fieldPath) ref.fieldPath = fieldPath;
    return ref;
  }
  const given = object as Record<string, string | undefined>;
  const out = ref as Record<string, string | undefined>;
  let placed = false;
  for (const key in given) {
    if (!Object.prototype.hasOwnProperty.call(given, key)) continue;
    if (key === 'fieldPath' && fieldPath) { out[key] = fieldPath; placed = true; continue; }
    const value = given[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  if (fieldPath && !placed) ref.fieldPath = fieldPath;
  return ref;
}

/** client-go's correlator forgets an aggregate after this long (its LRU cache has no time bound; this keeps memory flat). */
const CORRELATION_WINDOW_MS = 10 * 60 * 1000;
/** events.k8s.io: isomorphic events within this window form a series. */
const SERIES_WINDOW_MS = 6 * 60 * 1000;
/** Upper bound on remembered aggregates, as the correlator's LRU (4096 entries). */
const MAX_REMEMBERED = 4096;


/**
 * A 53-bit hash of an event's identity, its eight parts in order: kubelets remember many events,
 * and the text would weigh more. Parts are hashed where they are (no array of them per event).
 */
function identity(a: string | undefined, b: string | undefined, c: string | undefined, d: string | undefined,
  e: string | undefined, f: string | undefined, g: string | undefined, h: string | undefined): number {
  h1 = 0xdeadbeef;
  h2 = 0x41c6ce57;
  mix(a); mix(b); mix(c); mix(d); mix(e); mix(f); mix(g); mix(h);
  let x = h1;
  let y = h2;
  x = Math.imul(x ^ (x >>> 16), 2246822507) ^ Math.imul(y ^ (y >>> 13), 3266489909);
  y = Math.imul(y ^ (y >>> 16), 2246822507) ^ Math.imul(x ^ (x >>> 13), 3266489909);
  return 4294967296 * (2097151 & y) + (x >>> 0);
}

let h1 = 0;
let h2 = 0;

/** One part of an identity into h1 and h2, then a 0 that ends it (undefined hashes as ''). */
function mix(part: string | undefined): void {
  let x = h1;
  let y = h2;
  if (part !== undefined) {
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      x = Math.imul(x ^ c, 2654435761);
      y = Math.imul(y ^ c, 1597334677);
    }
  }
  h1 = Math.imul(x ^ 0, 2654435761);
  h2 = Math.imul(y ^ 0, 1597334677);
}

let sequence = 0;
/** `%x` of unix nanoseconds; a sequence number in the sub-millisecond digits keeps names unique. */
function eventName(objectName: string, ms: number): string {
  return namedAt(objectName, Math.floor(ms), nextSequence());
}

function nextSequence(): number {
  sequence = (sequence + 1) % 1_000_000;
  return sequence;
}

/** The name of the event about `objectName` made at `ms` (whole) with `seq` (see eventName). */
function namedAt(objectName: string, ms: number, seq: number): string {
  return `${objectName}.${nanosHex(ms, seq)}`;
}

const TWO_24 = 16_777_216;

/**
 * `(ms × 10⁶ + extra).toString(16)` without BigInt (a BigInt per event cost more than the rest of
 * its name), exact for ms below 2⁴² (the year 2109) and extra below 10⁶: with ms = high·2²⁴ + low,
 * low·10⁶ + extra stays below 2⁴⁵ and high·10⁶ below 2²⁴, so every step is an exact double; the
 * low 24 bits are six hex digits.
 */
export function nanosHex(ms: number, extra: number): string {
  const low = (ms % TWO_24) * 1_000_000 + extra;
  const high = Math.floor(ms / TWO_24) * 1_000_000 + Math.floor(low / TWO_24);
  const tail = (low % TWO_24).toString(16);
  return high === 0 ? tail : high.toString(16) + '000000'.slice(tail.length) + tail;
}

export class EventRecorder {
  /**
   * The events written, by identity (see EventAggregates): `objectName`, `createdAt` (ms since the
   * recorder began) and `sequence` make an event's name (see eventName), kept as those rather than
   * as the name, a string per event otherwise kept.
   */
  private readonly aggregates = new EventAggregates();
  /**
   * Writes not yet settled, and who waits for none to be left (flush). A count, not a set of the
   * writes: four or more events a pod start, each added and deleted again. The create a repeat
   * waits for is kept with its aggregate (EventAggregates.write), not in a Map keyed by the
   * 53-bit identity (a boxed number per event, hashed twice).
   */
  private inFlight = 0;
  private idleWaiters: (() => void)[] | undefined;
  /** What Aggregate.lastSeen counts from. */
  private readonly origin: number;

  private readonly events: ResourceClient<KubeObject>;

  constructor(client: ApiClient, private readonly clock: Clock, readonly source: EventSource) {
    this.origin = Math.floor(clock.now());
    this.events = client.resource(EVENTS);
  }

  /** Records a core/v1 Event about `object` (a field path such as `spec.containers{nginx}` narrows it). */
  event(object: KubeObject | ObjectReference, type: EventType, reason: string, message: string, fieldPath?: string): void {
    this.eventOn(referenceOf(object, fieldPath), type, reason, message);
  }

  /**
   * As `event`, about a reference its caller made as referenceOf makes one (members in its order,
   * none undefined or empty, fieldPath last): it becomes the event's involvedObject, not copied,
   * and is handed over with the event to the server (see createHandingOver): the caller made it
   * for this call and never changes it afterwards.
   */
  eventOn(involved: ObjectReference, type: EventType, reason: string, message: string): void {
    const now = this.clock.now();
    // Whole milliseconds, so that it is a small integer (a fraction would box every lastSeen).
    const seen = Math.floor(now) - this.origin;
    const key = identity(involved.kind, involved.namespace, involved.name, involved.uid, involved.fieldPath, type, reason, message);
    const aggregates = this.aggregates;
    const previous = aggregates.find(key);
    if (previous >= 0 && seen - aggregates.lastSeen(previous) <= CORRELATION_WINDOW_MS) {
      const count = aggregates.repeat(previous, seen);
      const lastTimestamp = rfc3339(now);
      const createdAt = aggregates.createdAt(previous);
      const sequence = aggregates.sequence(previous);
      const namespace = aggregates.namespace(previous);
      const objectName = aggregates.objectName(previous);
      const patch = () => this.patchCount(key, createdAt, sequence, namespace, objectName, count, lastTimestamp);
      this.track((aggregates.write(previous) ?? Promise.resolve()).then(patch));
      return;
    }
    const namespace = involved.namespace || 'default';
    const objectName = involved.name ?? 'unknown';
    const seq = nextSequence();
    const name = namedAt(objectName, Math.floor(now), seq);
    const timestamp = rfc3339(now);
    const body: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: involved,
      reason,
      message,
      source: this.source.host ? { component: this.source.component, host: this.source.host } : { component: this.source.component },
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
    };
    // One promise per create (an event is written for nearly everything a kubelet does): settled
    // either way, it leaves its aggregate (unless a newer event of the same identity is there now)
    // and the count of writes in flight.
    const settled = () => {
      const slot = this.aggregates.find(key);
      if (slot >= 0 && this.aggregates.write(slot) === created) this.aggregates.setWrite(slot, undefined);
      this.settled();
    };
    // The created Event is not read, so it is never decoded (in process); the body is handed over
    // (not copied by the server): it and everything in it, the caller's reference too, were made
    // for this event, and nothing here reads them again.
    const created: Promise<void> = this.events.createHandingOver(body, { namespace }).then(settled, settled);
    this.inFlight++;
    this.remember(key, namespace, objectName, seen, seq, created);
  }

  /** Resolves when every write started so far has finished (tests and shutdown). */
  async flush(): Promise<void> {
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.idleWaiters ??= []).push(resolve));
  }

  /** A write settled: when it was the last one, whoever flushes goes on. */
  private settled(): void {
    if (--this.inFlight > 0 || this.idleWaiters === undefined) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = undefined;
    for (const resolve of waiters) resolve();
  }

  /**
   * Forgets what the correlation window has passed, oldest first as they were set. Nothing it
   * forgets would have been used (a repeat after the window is a new event anyway); an owner that
   * records rarely calls it now and then, so an idle recorder does not hold its old events.
   */
  prune(): void {
    this.forgetBefore(Math.floor(this.clock.now()) - this.origin);
  }

  /** Patches the event (`createdAt` and `sequence` say which) to `count`, unless a later repeat of it carries more. */
  private async patchCount(key: number, createdAt: number, sequence: number, namespace: string, objectName: string, count: number, lastTimestamp: string): Promise<void> {
    const slot = this.aggregates.find(key);
    const same = slot >= 0 && this.aggregates.createdAt(slot) === createdAt && this.aggregates.sequence(slot) === sequence;
    if (same && count < this.aggregates.count(slot)) return; // a later repeat carries a higher count; skip the stale write
    try {
      const name = namedAt(objectName, this.origin + createdAt, sequence);
      await this.events.patchWithWarnings(name, 'merge', { count, lastTimestamp }, { namespace });
    } catch {
      // The event expired or was deleted: client-go then creates it again; a dropped repeat is harmless here.
    }
  }

  private remember(key: number, namespace: string, objectName: string, seen: number, sequence: number, write: Promise<void>): void {
    const aggregates = this.aggregates;
    aggregates.setWrite(aggregates.add(key, namespace, objectName, seen, sequence), write);
    if (aggregates.size > MAX_REMEMBERED) aggregates.remove(aggregates.oldest());
    this.forgetBefore(seen);
  }

  /** Forgets what the window has passed at `seen` (oldest first, as they were set). */
  private forgetBefore(seen: number): void {
    const aggregates = this.aggregates;
    for (let slot = aggregates.oldest(); slot >= 0; slot = aggregates.oldest()) {
      if (seen - aggregates.lastSeen(slot) <= CORRELATION_WINDOW_MS) break;
      aggregates.remove(slot);
    }
  }

  private track(write: Promise<void>): void {
    this.inFlight++;
    const done = () => this.settled();
    void write.then(done, done);
  }
}

/** An events.k8s.io event the recorder wrote, kept small as an Aggregate is (lastSeen from the recorder's start). */
class Series {
  constructor(readonly namespace: string, readonly name: string, public count: number, public lastSeen: number) {}
}

/** events.k8s.io/v1 recorder: `reportingController` (e.g. `default-scheduler`) and an `action` per event. */
export class EventsV1Recorder {
  /** By a 53-bit hash of (regarding, action, reason, type, note), as the core recorder keys its aggregates. */
  private readonly series = new Map<number, Series>();
  /** Creates still in flight: repeats wait for them. */
  private readonly pending = new Map<Series, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly events: ResourceClient<KubeObject>;
  private readonly origin: number;

  constructor(
    client: ApiClient,
    private readonly clock: Clock,
    readonly reportingController: string,
    readonly reportingInstance: string,
  ) {
    this.events = client.resource(EVENTS_V1);
    this.origin = Math.floor(clock.now());
  }

  /** Records `reason`/`note` about `regarding`, as `recorder.Eventf(regarding, related, type, reason, action, note)`. */
  eventf(regarding: KubeObject | ObjectReference, related: KubeObject | ObjectReference | undefined, type: EventType, reason: string, action: string, note: string): void {
    const ref = referenceOf(regarding);
    const now = this.clock.now();
    const seen = Math.floor(now) - this.origin;
    const key = identity(ref.kind, ref.namespace, ref.name, ref.uid, action, reason, type, note);
    const previous = this.series.get(key);
    if (previous && seen - previous.lastSeen <= SERIES_WINDOW_MS) {
      previous.count = previous.count === 1 ? 2 : previous.count + 1;
      previous.lastSeen = seen;
      const series = { count: previous.count, lastObservedTime: microTime(now) };
      this.track((this.pending.get(previous) ?? Promise.resolve()).then(() => this.patchSeries(previous, series)));
      return;
    }
    const namespace = ref.namespace || 'default';
    const name = eventName(ref.name ?? 'unknown', now);
    const body: KubeObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace },
      eventTime: microTime(now),
      reportingController: this.reportingController,
      reportingInstance: this.reportingInstance,
      action,
      reason,
      regarding: ref,
      note,
      type,
    };
    if (related) body.related = referenceOf(related);
    const entry = new Series(namespace, name, 1, seen);
    const settled = () => {
      this.pending.delete(entry);
      this.inFlight.delete(created);
    };
    // The created Event is not read, so it is never decoded (in process); the body and its
    // references were made for it here, so it is handed over, not copied by the server.
    const created: Promise<void> = this.events.createHandingOver(body, { namespace }).then(settled, settled);
    this.pending.set(entry, created);
    this.inFlight.add(created);
    this.series.delete(key);
    this.series.set(key, entry);
    if (this.series.size > MAX_REMEMBERED) this.series.delete(this.series.keys().next().value as number);
  }

  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async patchSeries(entry: Series, series: { count: number; lastObservedTime: string }): Promise<void> {
    if (series.count < entry.count) return;
    try {
      await this.events.patchWithWarnings(entry.name, 'merge', { series }, { namespace: entry.namespace });
    } catch {
      // dropped, as a failed series update is in client-go
    }
  }

  private track(write: Promise<void>): void {
    const done = () => { this.inFlight.delete(tracked); };
    const tracked = write.then(done, done);
    this.inFlight.add(tracked);
  }
}
