/**
 * An informer as client-go's reflector + indexer: list, then watch from the list's resourceVersion,
 * keep a local cache, and tell handlers about every change exactly once and in order.
 *
 * Guarantees:
 * - Handlers see ADDED/MODIFIED/DELETED in the order the server produced them.
 * - When the watch ends (timeout, connection loss) it resumes from the last seen resourceVersion.
 * - When the server says the version is too old (410 Expired/Gone), it re-lists and reconciles the
 *   cache against the new list: objects that vanished get a delete, changed ones an update. Nothing is
 *   delivered twice for the same resourceVersion.
 * - `hasSynced` is true after the first list has been delivered.
 *
 * Objects are read-only (watch objects are shared between watchers). An object the in-process
 * registry shared (every watch object, in process) is held by its handle (registry/handle.ts),
 * which holds it weakly and decodes it again if it was collected: a cache of 150,000 pods keeps
 * ~100 bytes for each instead of its ~5 KB object, and peers holding one revision hold one handle.
 * `get`, `list`, the replay of `addHandlers` and an update's old object go through the handle.
 * In process, a list is the registry's shared objects too (ResourceClient.listShared), held by
 * their handles. Over another transport (HTTPS, fakes) a list's objects are the caller's own,
 * fresh from JSON.parse, and would stay so until they next change (every Node, for components that
 * start after the nodes exist; every pod after a restart). So such a listed object is replaced by
 * an equal one (same uid and resourceVersion) that another running informer of the same resource
 * holds, or else made to share its parts as the registry's decoded objects do (managedFields field
 * sets, alike sub-objects, repeated strings: ~1.7 KB instead of ~3.7 KB for a Node).
 *
 * Indexes (client-go's Indexers, see informer-index.ts) let a caller read the objects of one index
 * value (a node's pods, a controller's pods) without reading, and so decoding, every object.
 *
 * Readers (addReader) are components that read this informer instead of listing and watching
 * themselves (the scheduler and the kubelets read the controller manager's pod informer): each list
 * and watch the informer begins is announced to the API server as each reader's own, with the
 * reader's identity and field selector, so that its audit log shows the reads kube-apiserver's
 * would (ResourceClient.announce); nothing more is served.
 */
import type { KubeObject, Status, WatchEvent } from '../api/types';
import type { Clock } from '../clock';
import { shareParts } from '../apiserver/registry/shared-parts';
import { handleOf, ObjectHandle } from '../apiserver/registry/handle';
import { flatText } from '../apiserver/registry/codec';
import type { ListOptions, ResourceClient, WatchHandle, WatchOptions } from './client';
import { InformerIndex, type IndexFunc } from './informer-index';

export interface InformerHandlers<T> {
  onAdd?(object: T): void;
  onUpdate?(oldObject: T, newObject: T): void;
  onDelete?(object: T): void;
}

export function objectKey(object: KubeObject): string {
  const ns = object.metadata.namespace;
  return ns ? `${ns}/${object.metadata.name}` : (object.metadata.name ?? '');
}

/**
 * The key an informer's cache holds `object` under. A Map keeps the key string it was first given,
 * so the informers of one object (four of every pod) share one flat string, made by whichever saw
 * the object first and kept on its handle, instead of holding one concatenation each (~36 bytes a
 * pod an informer). A new revision's handle takes the string of the revision `cache` holds (the
 * string the Map keeps as the key), so that the handles informers hold do not each keep a copy of it.
 */
function cacheKey(object: KubeObject, cache: Map<string, Held<KubeObject>>): string {
  const handle = handleOf(object);
  if (handle === undefined) return objectKey(object);
  if (handle.cacheKey !== undefined) return handle.cacheKey;
  const key = flatText(objectKey(object));
  const held = cache.get(key);
  return (handle.cacheKey = held instanceof ObjectHandle && held.cacheKey !== undefined ? held.cacheKey : key);
}

/**
 * The running informers of each resource (`group/version/resource`) by the transport they list
 * through, whose objects a list may share. Only informers of one cluster (one transport) are
 * peers: two clusters in one process (a restart from the same data directory, tests) hold objects
 * of equal uid and resourceVersion that are not the same object.
 */
const running = new WeakMap<object, Map<string, Set<Informer<KubeObject>>>>();
/** The `running` key of informers whose resource has no transport (fakes in tests). */
const NO_TRANSPORT = {};

/** What a cache holds for a key: the object's handle when it has one, else the object. */
type Held<T> = T | ObjectHandle;

function rvOf(held: Held<KubeObject>): string | undefined {
  return held instanceof ObjectHandle ? held.resourceVersion : held.metadata.resourceVersion;
}

export class Informer<T extends KubeObject = KubeObject> {
  private readonly cache = new Map<string, Held<T>>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private readonly indexes = new Map<string, InformerIndex<T>>();
  private resourceVersion = '';
  private watchHandle: WatchHandle | undefined;
  private stopped = false;
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];
  /** `group/version/resource`, and the transport (a fake resource in tests may have none): the keys of `running`. */
  private readonly resourceKey: string;
  /** Weakly held by `running`: an informer nobody stopped does not keep its cluster alive once the cluster is dropped. */
  private readonly origin: object;
  /** Readers (addReader): each one's client of this resource, and the field selector it would list with. */
  private readers: Map<ResourceClient<T>, string | undefined> | undefined;

  constructor(
    private readonly resource: ResourceClient<T>,
    private readonly options: ListOptions = {},
    private readonly clock?: Clock,
  ) {
    this.resourceKey = `${resource.gvr.group}/${resource.gvr.version}/${resource.gvr.resource}`;
    this.origin = (resource as { transport?: object }).transport ?? NO_TRANSPORT;
  }

  /** The running informers of this resource on this informer's transport. */
  private peers(create: boolean): Set<Informer<KubeObject>> | undefined {
    let byResource = running.get(this.origin);
    if (!byResource) {
      if (!create) return undefined;
      running.set(this.origin, (byResource = new Map()));
    }
    let peers = byResource.get(this.resourceKey);
    if (!peers && create) byResource.set(this.resourceKey, (peers = new Set()));
    return peers;
  }

  addHandlers(handlers: InformerHandlers<T>): () => void {
    this.handlers.push(handlers);
    if (this.synced) for (const held of this.cache.values()) handlers.onAdd?.(this.objectOf(held));
    return () => {
      const i = this.handlers.indexOf(handlers);
      if (i >= 0) this.handlers.splice(i, 1);
    };
  }

  /**
   * `resource`, another user's client of this informer's resource, reads this informer as if it
   * listed and watched with `fieldSelector` itself: its list and watch are announced now if this
   * informer has listed, else with this informer's; then with every list and watch it begins,
   * until removeReader.
   */
  addReader(resource: ResourceClient<T>, fieldSelector?: string): void {
    (this.readers ??= new Map()).set(resource, fieldSelector);
    if (!this.synced || this.stopped) return;
    this.announce(resource, fieldSelector, false);
    if (this.watchHandle !== undefined) this.announce(resource, fieldSelector, true);
  }

  removeReader(resource: ResourceClient<T>): void {
    this.readers?.delete(resource);
  }

  /** Every reader's list (or watch), as this informer begins its own. */
  private announceReaders(watch: boolean): void {
    if (this.readers === undefined) return;
    for (const [resource, fieldSelector] of this.readers) this.announce(resource, fieldSelector, watch);
  }

  private announce(resource: ResourceClient<T>, fieldSelector: string | undefined, watch: boolean): void {
    const options: WatchOptions = fieldSelector === undefined ? {} : { fieldSelector };
    if (watch) {
      options.resourceVersion = this.resourceVersion;
      options.allowWatchBookmarks = true;
    }
    resource.announce(options, watch).catch(() => undefined);
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list has been delivered to the handlers. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** Whether the cache holds `key` (never decodes). */
  has(key: string): boolean {
    return this.cache.has(key);
  }

  get(key: string): T | undefined {
    const held = this.cache.get(key);
    return held === undefined ? undefined : this.objectOf(held);
  }

  /** The keys of the cached objects (`namespace/name`, or the name of a cluster-scoped one), never decoding. */
  keys(): IterableIterator<string> {
    return this.cache.keys();
  }

  list(): T[] {
    const out: T[] = [];
    for (const held of this.cache.values()) out.push(this.objectOf(held));
    return out;
  }

  private objectOf(held: Held<T>): T {
    return held instanceof ObjectHandle ? (held.object() as T) : held;
  }

  /** The object if it is alive (never decodes). */
  private aliveOf(held: Held<T>): T | undefined {
    return held instanceof ObjectHandle ? (held.peek() as T | undefined) : held;
  }

  /**
   * Adds an index (client-go's AddIndexers): `fn` gives the values an object is found by. The
   * objects already cached are indexed now (each read once); from then on the index follows every
   * add, update, delete and relist. A name can be added once.
   */
  addIndex(name: string, fn: IndexFunc<T>): void {
    if (this.indexes.has(name)) throw new Error(`informer index "${name}" already exists`);
    const index = new InformerIndex(fn);
    for (const [key, held] of this.cache) index.add(key, this.objectOf(held));
    this.indexes.set(name, index);
  }

  /** The keys of the cached objects whose index `name` gives `value` (ByIndex without the objects). */
  keysByIndex(name: string, value: string): string[] {
    return [...this.index(name).keys(value)];
  }

  /** The cached objects whose index `name` gives `value` (client-go's ByIndex); only these are read. */
  byIndex(name: string, value: string): T[] {
    const out: T[] = [];
    for (const key of this.index(name).keys(value)) {
      const held = this.cache.get(key);
      if (held !== undefined) out.push(this.objectOf(held));
    }
    return out;
  }

  private index(name: string): InformerIndex<T> {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`informer index "${name}" does not exist`);
    return index;
  }

  get size(): number {
    return this.cache.size;
  }

  get lastSyncResourceVersion(): string {
    return this.resourceVersion;
  }

  start(): this {
    this.peers(true)!.add(this as unknown as Informer<KubeObject>);
    void this.relist();
    return this;
  }

  stop(): void {
    this.stopped = true;
    this.watchHandle?.stop();
    this.watchHandle = undefined;
    const peers = this.peers(false);
    if (peers?.delete(this as unknown as Informer<KubeObject>) && peers.size === 0) {
      const byResource = running.get(this.origin)!;
      byResource.delete(this.resourceKey);
      if (byResource.size === 0) running.delete(this.origin);
    }
  }

  /**
   * What another running informer of this resource holds for an object equal to `object` (same
   * uid and resourceVersion): its handle, or the object. A handle's revision of the same key is
   * the same object in the store of this cluster (peers share one transport), so its uid is not read.
   */
  private heldElsewhere(key: string, object: T): Held<T> | undefined {
    const peers = this.peers(false);
    if (!peers || peers.size < 2) return undefined;
    const { uid, resourceVersion } = object.metadata;
    if (uid === undefined || resourceVersion === undefined) return undefined;
    for (const peer of peers) {
      if (peer === (this as unknown as Informer<KubeObject>)) continue;
      const held = peer.cache.get(key);
      if (held === undefined) continue;
      if (held instanceof ObjectHandle ? held.resourceVersion === resourceVersion : held.metadata.uid === uid && held.metadata.resourceVersion === resourceVersion) return held as Held<T>;
    }
    return undefined;
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    let list;
    try {
      // In process, the registry's shared objects, held by their handles like watch objects.
      list = typeof this.resource.listShared === 'function' ? await this.resource.listShared(this.options) : await this.resource.list(this.options);
    } catch {
      return this.retryLater(() => this.relist());
    }
    if (this.stopped) return;
    this.announceReaders(false);
    const seen = new Set<string>();
    for (const object of list.items) {
      const key = cacheKey(object, this.cache);
      seen.add(key);
      const held = handleOf(object) ?? this.heldElsewhere(key, object);
      const cached = this.cache.get(key);
      if (held === undefined && (cached === undefined || rvOf(cached) !== object.metadata.resourceVersion)) shareParts(object);
      this.apply('upsert', key, held ?? object);
    }
    for (const [key, held] of [...this.cache]) if (!seen.has(key)) this.apply('delete', key, held);
    this.resourceVersion = list.metadata.resourceVersion ?? '';
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
    this.watch();
  }

  private watch(): void {
    if (this.stopped) return;
    let expired = false;
    this.watchHandle = this.resource.watch(
      { ...this.options, resourceVersion: this.resourceVersion, allowWatchBookmarks: true },
      (event: WatchEvent<T>) => {
        if (event.type === 'ERROR') {
          const status = event.object as unknown as Status;
          if (status.code === 410) expired = true;
          return;
        }
        const rv = event.object.metadata?.resourceVersion;
        if (event.type !== 'BOOKMARK') {
          const key = cacheKey(event.object, this.cache);
          this.apply(event.type === 'DELETED' ? 'delete' : 'upsert', key, event.object);
        }
        if (rv) this.resourceVersion = rv;
      },
      (err) => {
        this.watchHandle = undefined;
        if (this.stopped) return;
        const status = (err as { status?: Status } | undefined)?.status;
        if (expired || status?.code === 410) return void this.relist();
        if (err) return this.retryLater(() => this.watch());
        this.watch();
      },
    );
    this.announceReaders(true);
  }

  /** `item`: a watch event's or a list's object, or what a peer holds for it (see heldElsewhere). */
  private apply(kind: 'upsert' | 'delete', key: string, item: Held<T>): void {
    const old = this.cache.get(key);
    if (kind === 'delete') {
      if (!old) return;
      this.cache.delete(key);
      let object: T | undefined;
      // A watch's DELETED object carries the last state this informer saw (the watch is complete
      // and in order), so it is indexed as the cached one when that was collected; a relist's
      // delete hands the cached one itself.
      if (this.indexes.size > 0) {
        const indexed = this.aliveOf(old) ?? (object = this.objectOf(item));
        for (const index of this.indexes.values()) index.remove(key, indexed);
      }
      if (this.handlers.length === 0) return;
      object ??= this.objectOf(item);
      for (const h of this.handlers) h.onDelete?.(object);
      return;
    }
    if (old && rvOf(old) === rvOf(item)) return;
    const handle = item instanceof ObjectHandle ? item : handleOf(item);
    this.cache.set(key, handle ?? item);
    if (this.handlers.length === 0 && this.indexes.size === 0) return;
    const object = this.objectOf(item);
    // The old object is read only for handlers and indexes that need it (decoding it again if it was collected).
    let oldObject = this.indexes.size > 0 ? this.updateIndexes(key, old, object) : undefined;
    for (const h of this.handlers) {
      if (old) {
        if (h.onUpdate) h.onUpdate((oldObject ??= this.objectOf(old)), object);
      } else h.onAdd?.(object);
    }
  }

  /**
   * Moves `key` from `old` to `object` in every index; the old object if an index read it. Apart
   * from apply, so that apply makes no closure for the old object on every event (most informers
   * have no index): ~100 bytes of garbage an event.
   */
  private updateIndexes(key: string, old: Held<T> | undefined, object: T): T | undefined {
    let oldObject: T | undefined;
    const oldOf = () => (oldObject ??= this.objectOf(old!));
    for (const index of this.indexes.values()) {
      if (old) index.update(key, oldOf, object);
      else index.add(key, object);
    }
    return oldObject;
  }

  private retryLater(fn: () => void | Promise<void>): void {
    if (this.stopped) return;
    const run = () => { if (!this.stopped) void fn(); };
    if (this.clock) this.clock.setTimer(1000, run);
    else setTimeout(run, 1000).unref();
  }
}
