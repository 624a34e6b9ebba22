/**
 * Watching a resource through the registry: store events turned into Kubernetes watch events,
 * with the list-watch guarantees clients (reflectors, informers, `kubectl get -w`) rely on:
 *
 * - From resourceVersion X: every change with a revision > X, in order, once. Each object carries
 *   its new resourceVersion; DELETED carries the last state with the deletion's revision.
 * - From "" or "0": the current state first, as ADDED events, then every change after it.
 * - With a selector, an object that starts matching arrives as ADDED and one that stops matching as
 *   DELETED (the watch cache's semantics), so a client's view stays equal to a fresh list.
 * - A compacted X ends the watch with an ERROR event: 410 Expired `too old resource version: X (Y)`.
 * - With bookmarks allowed, a BOOKMARK carrying the newest revision the watch has reached arrives
 *   every BOOKMARK_INTERVAL_MS of cluster time.
 */
import { expired, internalError } from '../../api/errors';
import type { KubeObject, Status, WatchEvent } from '../../api/types';
import type { Clock, Timer } from '../../clock';
import { CompactedError, type KVStore, type StoreWatchEvent } from '../../store/types';
import type { Selection } from './selection';
import { parseResourceVersion, type RegistryStore } from './store';

export const BOOKMARK_INTERVAL_MS = 60_000;
export const INITIAL_EVENTS_END = 'k8s.io/initial-events-end';

export interface RegistryWatchParams {
  namespace: string;
  selection: Selection;
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /**
   * Watch-list (`sendInitialEvents=true`): the current state as ADDED events first, whatever the
   * resourceVersion, then a BOOKMARK annotated `k8s.io/initial-events-end: "true"`.
   */
  sendInitialEvents?: boolean;
}

export interface RegistryWatchSink {
  event(event: WatchEvent): void;
  /** The watch cannot continue (ERROR already sent); the stream should end. */
  end(): void;
}

export interface RegistryWatch {
  cancel(): void;
  /** Sends a BOOKMARK with the newest revision reached now (only when bookmarks are allowed). */
  bookmark(): void;
}

function errorEvent(status: Status): WatchEvent {
  return { type: 'ERROR', object: status as unknown as KubeObject };
}

export async function watchRegistry(
  registry: RegistryStore,
  kv: KVStore,
  clock: Clock,
  params: RegistryWatchParams,
  sink: RegistryWatchSink,
): Promise<RegistryWatch> {
  const { selection } = params;
  const range = registry.range(params.namespace);
  let cancelled = false;
  let storeWatch: { cancel(): void } | undefined;
  let bookmarkTimer: Timer | undefined;
  let reached = 0;

  const stop = () => {
    cancelled = true;
    storeWatch?.cancel();
    bookmarkTimer?.cancel();
  };

  const rv = params.resourceVersion ?? '';
  let startRevision: number;
  if (rv === '' || rv === '0' || params.sendInitialEvents) {
    // The current state first (a consistent snapshot), then changes after it.
    const listed = await registry.list({ namespace: params.namespace, selection });
    for (const object of registry.objectsOf(listed)) sink.event({ type: 'ADDED', object });
    startRevision = listed.revision + 1;
    reached = listed.revision;
    if (params.sendInitialEvents && params.allowWatchBookmarks) {
      sink.event({
        type: 'BOOKMARK',
        object: {
          kind: registry.def.kind, apiVersion: registry.apiVersion,
          metadata: { resourceVersion: String(reached), annotations: { [INITIAL_EVENTS_END]: 'true' } },
        },
      });
    }
  } else {
    const from = parseResourceVersion(rv);
    startRevision = from + 1;
    reached = from;
  }

  const onEvents = (events: StoreWatchEvent[]) => {
    if (cancelled) return;
    for (const event of events) {
      const out = translate(registry, event, selection);
      if (out) sink.event(out);
      if (event.kv.modRevision > reached) reached = event.kv.modRevision;
    }
  };
  const onError = (err: Error) => {
    if (cancelled) return;
    if (err instanceof CompactedError) {
      // kube-apiserver: `too old resource version: <asked> (<oldest resourceVersion a watch may start from>)`.
      sink.event(errorEvent(expired(`too old resource version: ${startRevision - 1} (${err.compactedRevision})`).status));
    } else {
      sink.event(errorEvent(internalError(err).status));
    }
    stop();
    sink.end();
  };
  storeWatch = kv.watch({ key: range.key, end: range.end, startRevision }, onEvents, onError);

  const bookmark = () => {
    if (cancelled || !params.allowWatchBookmarks) return;
    sink.event({
      type: 'BOOKMARK',
      object: { kind: registry.def.kind, apiVersion: registry.apiVersion, metadata: { resourceVersion: String(reached) } },
    });
  };
  if (params.allowWatchBookmarks) {
    const arm = () => {
      bookmarkTimer = clock.setTimer(BOOKMARK_INTERVAL_MS, () => {
        bookmark();
        if (!cancelled) arm();
      });
    };
    arm();
  }
  return { cancel: stop, bookmark };
}

/** The last state of an object with the revision that removed it from the watch (a shallow copy: shared objects stay untouched). */
function atRevision(object: KubeObject, revision: number): KubeObject {
  return { ...object, metadata: { ...object.metadata, resourceVersion: String(revision) } };
}

/**
 * The previous state of an updated object, decoded once per registry and store event: every
 * watch with a selector needs it (did the object match before?), and the store hands the same
 * event to each watch of the range. Read-only, like the shared objects.
 */
const previousObjects = new WeakMap<RegistryStore, WeakMap<StoreWatchEvent, KubeObject>>();

function previousObject(registry: RegistryStore, event: StoreWatchEvent): KubeObject {
  let byEvent = previousObjects.get(registry);
  if (!byEvent) previousObjects.set(registry, (byEvent = new WeakMap()));
  let prev = byEvent.get(event);
  if (!prev) byEvent.set(event, (prev = registry.decodeFresh(event.prevKv!)));
  return prev;
}

function translate(registry: RegistryStore, event: StoreWatchEvent, selection: Selection): WatchEvent | undefined {
  if (event.type === 'delete') {
    if (!event.prevKv) return undefined;
    const prev = registry.shared(event.prevKv);
    return selection.matches(prev) ? { type: 'DELETED', object: atRevision(prev, event.kv.modRevision) } : undefined;
  }
  const object = registry.shared(event.kv);
  if (selection.everything) return { type: event.prevKv ? 'MODIFIED' : 'ADDED', object };
  const matches = selection.matches(object);
  const prev = event.prevKv ? previousObject(registry, event) : undefined;
  const prevMatched = prev !== undefined && selection.matches(prev);
  if (matches) return { type: prevMatched ? 'MODIFIED' : 'ADDED', object };
  if (prevMatched) return { type: 'DELETED', object: atRevision(prev!, event.kv.modRevision) };
  return undefined;
}
