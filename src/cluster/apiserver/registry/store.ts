/**
 * The generic registry store (kubernetes/apiserver pkg/registry/generic/registry/store.go): every
 * resource's get, list, create, update, delete and watch over the KVStore, parameterised by its
 * ResourceDefinition and strategy. Kind-specific behaviour lives in strategies and in the few
 * subresource handlers (pods/binding, pods/eviction), never in a copy of this file.
 *
 * Guarantees:
 * - resourceVersion is the key's modRevision; a list's resourceVersion is the revision it was read at.
 * - Every write is a compare-and-swap transaction on the key's modRevision, so concurrent writers
 *   never lose each other's changes: a caller that named a resourceVersion gets 409 Conflict, a
 *   caller that did not (patch, status updates) is retried on the fresh object.
 * - A request that fails (validation, conflict, precondition) writes nothing.
 * - Dry-run requests run every step but the write.
 */
import {
  alreadyExists, badRequest, conflict, expired, invalid, notFound, OBJECT_MODIFIED, statusFailure, StatusError, timeout,
  type GroupResource,
} from '../../api/errors';
import { required, type FieldError } from '../../api/field-errors';
import type { KubeList, KubeObject } from '../../api/types';
import { jsonCopy } from '../../api/json-copy';
import type { Clock, Timer } from '../../clock';
import { CompactedError, FutureRevisionError, prefixEnd, type KeyValue, type KVStore } from '../../store/types';
import type { UserInfo } from '../types';
import { shareParts } from './shared-parts';
import { decodeKv, encodeObject, flatText, RawJson, rfc3339, storedShape, withMetadataMembers, withMetadataTail, withResourceVersion } from './codec';
import { servedJson } from './served-cache';
import { finalizersForPropagation } from './deletion-finalizers';
import { WrittenObjects, type WrittenObject } from './written';
import { shapeText, type PreviousRevision } from './spec-text';
import { ObjectHandle, shrinkHandles, type HandleSource } from './handle';
import { RecentObjects } from './recent';
import { CreatedFields, snapshot, type ShapeNode } from './created-fields';
import { createdShape } from './created-shape';
import { newUid } from './uid';
import { servedOrderCopy } from './served-copy';

/**
 * A resource stored in another resource's shape (events.k8s.io/v1 events are core/v1 events in
 * storage, as in kube-apiserver): objects are converted on the way in and out.
 */
export interface StorageConversion {
  apiVersion: string;
  kind: string;
  toStorage(object: KubeObject): KubeObject;
  fromStorage(object: KubeObject): KubeObject;
}
import { continueExpired, decodeContinue, encodeContinue } from './continue';
import type { ResourceDefinition, StrategyContext } from './resource';
import type { Selection } from './selection';
import { recordUpdate } from '../patch/server-side-apply';
import { formatTime } from '../patch/managed-fields';
import { admissionSteps, type AdmissionAttributes, type AdmissionLookup, type AdmissionOperation, type AdmissionPlugin } from '../admission/types';
import { patchMetaLookup } from '../schema';
import { isObject, setMember } from '../patch/json-value';
import { deepFreeze } from '../../api/deep-freeze';
import { removeMember } from '../../api/removed-members';

export interface WriteContext {
  user: UserInfo;
  subresource?: string;
  dryRun?: boolean;
  /**
   * Write without the strategy's preparation and validation: for the few server-side writers that
   * build the whole new object themselves (pods/binding, as kube-apiserver's BindingREST updates
   * storage directly).
   */
  bypassStrategy?: boolean;
  /**
   * The field manager of an Update-operation write (create, update, non-apply patch): it becomes the
   * owner of the fields it changed in metadata.managedFields. Undefined: managedFields are left as the
   * writer set them (server-side apply computes its own).
   */
  fieldManager?: string;
  /**
   * Top-level fields the update function will not change (a merge patch that does not name them).
   * With a strategy whose status writes keep the spec (statusSharesSpec), a status write not
   * touching `spec` gets the stored object's spec itself, shared and read-only, not a copy, and
   * one not touching `metadata` a shallow copy of the stored metadata.
   */
  untouched?: ReadonlySet<string>;
  /**
   * Members of `status` the update function replaces whole, whatever the stored ones hold (a merge
   * patch's lists and scalars: it never merges into them). A status write sharing the spec (see
   * `untouched`) gets the stored ones themselves in its copy, not copies of them: the kubelet's
   * status patch names every member, so its copy of the stored status was thrown away.
   */
  replacedStatus?: ReadonlySet<string>;
}

/** A written object: as stored, its served JSON text, and the strategy's warnings for the write. */
export interface WriteResult {
  object: KubeObject;
  text: string;
  /** `text` as a response body, made only if the body is read (in process, a writer that ignores the answer never makes it). */
  json?: RawJson;
  warnings: string[];
}

export interface ListParams {
  namespace: string;
  selection: Selection;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult {
  revision: number;
  /** Matching key-values in key order. */
  kvs: KeyValue[];
  /** Decoded objects, when filtering had to decode them (same order as kvs). */
  objects: KubeObject[] | undefined;
  continue?: string;
  remainingItemCount?: number;
}

export interface DeleteParams {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: string;
}

export interface DeleteResult {
  /** The object as it was deleted (with the deletion's resourceVersion), or as it now is while terminating. */
  object: KubeObject;
  /** `object` as a served JSON body, when the delete wrote (or found) it in the store. */
  json?: RawJson;
  /** True when the object is gone; false when deletion is pending (grace period, finalizers). */
  deleted: boolean;
}

/** How many times an unconditional update is retried on a conflicting concurrent write. */
const MAX_UPDATE_RETRIES = 10;
/**
 * How many of the objects it decoded last a registry keeps strongly (see `shared`): about two of
 * the bench's batches of pods in flight. 2,048 kept ~10 MB of pods alive for ~15% fewer decodes
 * again (~50 ms of 13 s while 10,000 pods came up).
 */
export const RECENT_OBJECTS = 512;
/** How long (cluster time) and how many of a large read's objects are held strongly after it (see holdListed). */
const LISTED_HOLD_MS = 10_000;
const LISTED_MAX = 20_000;
/** `decoded` is swept of keys whose object was collected once it has this many entries (and then at twice what is left). */
const MIN_SWEEP = 4096;
/** Cluster time after a new key went into `decoded` at which it is swept anyway, and between later tries (see newKey). */
const SWEEP_AFTER_MS = 10_000;
const GENERATE_NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_NAME_LENGTH = 253;

export function generateNameSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += GENERATE_NAME_CHARS[Math.floor(Math.random() * GENERATE_NAME_CHARS.length)];
  return s;
}

export class RegistryStore implements HandleSource {
  readonly gr: GroupResource;
  readonly apiVersion: string;
  readonly prefix: string;

  /** `prefix`: the key prefix, `/registry/<resource>/` unless the server had to qualify it with the group. */
  constructor(
    readonly def: ResourceDefinition,
    private readonly kv: KVStore,
    private readonly clock: Clock,
    prefix?: string,
    private readonly conversion?: StorageConversion,
  ) {
    this.gr = { group: def.group, resource: def.resource };
    this.apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
    this.prefix = prefix ?? `/registry/${def.resource}/`;
  }

  /** The stored text of an object (converted to the storage shape when the resource has one). */
  private encode(object: KubeObject): string {
    if (!this.conversion) return encodeObject(object, this.apiVersion, this.def.kind);
    return encodeObject(this.conversion.toStorage(object), this.conversion.apiVersion, this.conversion.kind);
  }

  /**
   * The stored text of an object and, when no conversion applies, the shape it is the JSON of (see
   * storedShape), which a write offers as the text's decode (see `offerWritten`).
   */
  private encodeShaped(object: KubeObject, previous?: PreviousRevision): { text: string; shape?: KubeObject } {
    if (this.conversion) return { text: this.encode(object) };
    const shape = storedShape(object, this.apiVersion, this.def.kind);
    return { text: shapeText(shape, previous, this.def.strategy.statusSharesSpec === true), shape };
  }

  /**
   * encodeShaped of a new object, which is its own stored shape when it has that form already
   * (created-shape.ts); `text` is that shape's text when the strategy made it (Strategy.createdText).
   */
  private encodeNew(object: KubeObject, text?: string): { text: string; shape?: KubeObject } {
    const shape = createdShape(object, this.apiVersion, this.def.kind);
    return { text: text ?? shapeText(shape, undefined, this.def.strategy.statusSharesSpec === true), shape };
  }

  /**
   * Offers a write's stored shape as the decode of its text to the first reader of the new value
   * (written.ts), which is usually the write's own watch fan-out, before the writer resumes. The
   * shape shares the written object's nested values: nothing may change them after this.
   */
  private offerWritten(key: string, encoded: { text: string; shape?: KubeObject }): WrittenObject | undefined {
    return encoded.shape ? this.written.offer(key, encoded.text, encoded.shape) : undefined;
  }

  /**
   * The stored text of a created object and, for a resource stored in another shape, that shape
   * as JSON.parse of the text gives it (jsonCopy is that round trip), taken before anything else
   * can change the object: the response is converted back from it rather than from the text.
   */
  private encodeCreated(object: KubeObject): { text: string; stored?: KubeObject } {
    if (!this.conversion) return { text: this.encode(object) };
    const shape = storedShape(this.conversion.toStorage(object), this.conversion.apiVersion, this.conversion.kind);
    return { text: flatText(JSON.stringify(shape)), stored: jsonCopy(shape) };
  }

  /** A fresh object from stored text, in this resource's shape, with `revision` as its resourceVersion (a write's answer decodes with it). */
  decodeText(text: string, revision: number): KubeObject {
    const stored = JSON.parse(text) as KubeObject;
    stored.metadata.resourceVersion = String(revision);
    return this.conversion ? this.conversion.fromStorage(stored) : stored;
  }

  /** True when stored text is what clients get (no conversion): responses may be cut from it. */
  get storedAsServed(): boolean {
    return this.conversion === undefined;
  }

  private decode(kv: KeyValue): KubeObject {
    return this.conversion ? this.decodeText(kv.value, kv.modRevision) : decodeKv(kv);
  }

  /** The JSON text a client gets for stored text at `revision` (spliced, never parsed, when no conversion applies). */
  served(text: string, revision: number): string {
    return this.conversion ? JSON.stringify(this.decodeText(text, revision)) : withResourceVersion(text, revision);
  }

  /** The admission chain (set by the server once every registry exists, since plugins read other resources). */
  admission: { plugins: AdmissionPlugin[]; lookup: AdmissionLookup } | undefined;

  /**
   * The handle (handle.ts) of the newest decoded object of each key, kept until a sweep finds that
   * object collected: lists, tables, watch fan-out and every in-process informer read one object
   * per revision. The entry only serves to find that object; the handle stays with whoever holds
   * it (an informer's cache), whose next read decodes the object again and puts the handle back
   * here (redecode). Sweeps come as the map grows and, after new keys, 10 s of cluster time later
   * (a burst's objects live until a full collection, so a sweep during it keeps most of them). So
   * the map holds about the keys of live objects, not an entry and a WeakRef (~80 bytes at 150,000
   * pods) for every object an informer holds the handle of. Holding the handle itself (no WeakRef)
   * keeps nothing alive an informer does not: finding its object is what the entry is for.
   */
  private readonly decoded = new Map<string, ObjectHandle>();
  /** `decoded`'s size at which it is next swept. */
  private sweepAt = MIN_SWEEP;
  /** The sweep set for later (see newKey), if one is. */
  private sweepTimer: Timer | undefined;
  /** Stopped with its server: sets no timers (see stop). */
  private stopped = false;
  /**
   * Held weakly since the last sweep: gone once a collection has run since, which is the only
   * thing that makes a `decoded` entry's object go (see collectedSinceSweep).
   */
  private sweepSentinel: WeakRef<object> | undefined;
  /**
   * The objects decoded last, held strongly: a watch fan-out and the reads that follow it (an
   * informer's handler reading the object, the next write's old object) find them alive.
   */
  private readonly recent = new RecentObjects(RECENT_OBJECTS);
  /**
   * An update's watch events need the revision it replaced too (a selective watch asks: did the
   * object match before?), which was the newest one until the write; its handle is kept here only
   * until the watch fan-out under way is over (see `releasePrevious`).
   */
  private previous = new Map<string, ObjectHandle>();
  /** Objects of writes under way, taken instead of decoding their text (see written.ts). */
  private readonly written = new WrittenObjects();
  /** The objects of the last large read, held for a moment (see holdListed). */
  private listed: { objects: KubeObject[]; timer: Timer } | undefined;

  /**
   * The object of a key-value, decoded once and shared: callers must treat it as read-only (lists
   * serialize from the stored text, tables only read, watch objects are read-only by contract).
   * Its handle is `handleOf(object)`.
   */
  shared(kv: KeyValue): KubeObject {
    const current = this.decoded.get(kv.key);
    if (current !== undefined && current.kv.modRevision === kv.modRevision) return current.object();
    const previous = this.previous.get(kv.key);
    if (previous !== undefined && previous.kv.modRevision === kv.modRevision) return previous.object();
    const taken = this.conversion ? undefined : this.written.take(kv.key, kv.value, kv.modRevision);
    let object: KubeObject;
    if (taken) {
      object = taken;
    } else {
      object = this.decode(kv);
      shareParts(object);
    }
    this.recent.add(object);
    const handle = new ObjectHandle(kv, this, object);
    if (current !== undefined && kv.modRevision < current.kv.modRevision) {
      // An older revision (the previous object of an event whose own object is decoded already).
      if ((previous?.kv.modRevision ?? 0) < kv.modRevision) this.keepPrevious(kv.key, handle);
      return object;
    }
    if (current !== undefined) this.keepPrevious(kv.key, current);
    else this.newKey();
    this.decoded.set(kv.key, handle);
    return object;
  }

  /**
   * A fresh decode of a key-value whose shared object was collected (see handle.ts). `handle` is
   * the key's handle again unless the key has a newer one or one whose object lives: a `shared`
   * read of that revision then finds this object rather than decoding another.
   */
  redecode(kv: KeyValue, handle: ObjectHandle): KubeObject {
    const object = this.decode(kv);
    shareParts(object);
    this.recent.add(object);
    const current = this.decoded.get(kv.key);
    if (current === undefined) this.newKey();
    if (current === undefined || current.kv.modRevision < kv.modRevision || (current.kv.modRevision === kv.modRevision && current.peek() === undefined)) {
      this.decoded.set(kv.key, handle);
    }
    return object;
  }

  /**
   * A key is about to go into `decoded`: sweeps it if it is large, and sets a sweep for later.
   * A sweep walks the map only if a collection has run since the last one (a walk before finds
   * every object alive: a burst's objects live until a full collection, often after the burst).
   * The sweep for later tries again every SWEEP_AFTER_MS while the map holds more than the strong
   * set's keys, so the keys of a burst's objects go after the first collection that takes them,
   * not with the next new key, which a settled cluster may not write for a long time: 10,000
   * Running pods kept 10,000 entries and the handles table's room for them (~140 B a pod).
   */
  private newKey(): void {
    if (this.decoded.size >= this.sweepAt) {
      if (this.collectedSinceSweep()) this.sweep();
      else this.sweepAt = 2 * this.decoded.size;
    }
    this.sweepLater();
  }

  private sweepLater(): void {
    if (this.stopped) return;
    this.sweepTimer ??= this.clock.setTimer(SWEEP_AFTER_MS, () => {
      this.sweepTimer = undefined;
      if (this.decoded.size <= RECENT_OBJECTS) return;
      if (this.collectedSinceSweep()) this.sweep();
      if (this.decoded.size > RECENT_OBJECTS) this.sweepLater();
    });
  }

  /** True unless the sentinel of the last sweep is still alive (no collection since; see sweepSentinel). */
  private collectedSinceSweep(): boolean {
    return this.sweepSentinel?.deref() === undefined;
  }

  /**
   * Forgets the keys whose object was collected (deleted objects, objects nobody reads), and lets
   * the table of objects' handles shrink, since collections have taken objects (shrinkHandles).
   */
  private sweep(): void {
    for (const [key, handle] of this.decoded) if (handle.peek() === undefined) this.decoded.delete(key);
    this.sweepAt = Math.max(MIN_SWEEP, 2 * this.decoded.size);
    this.sweepSentinel = new WeakRef({});
    shrinkHandles();
  }

  private keepPrevious(key: string, handle: ObjectHandle): void {
    const first = this.previous.size === 0;
    this.previous.set(key, handle);
    if (first) queueMicrotask(this.releasePrevious);
  }

  /**
   * Store watchers are called synchronously, all of them in one microtask (the watch hub's flush),
   * so a microtask queued while one runs comes after every watcher has read the event's previous
   * object. If a write is decoded before its flush (the microtask then runs first), the first
   * watcher decodes the previous revision again and keeps it for the others: one decode more, the
   * same objects.
   */
  private readonly releasePrevious = (): void => {
    this.previous = new Map();
  };

  key(namespace: string, name: string): string {
    return this.def.namespaced ? `${this.prefix}${namespace}/${name}` : `${this.prefix}${name}`;
  }

  /** The key range of a collection: one namespace, or all of them. */
  range(namespace: string): { key: string; end: string } {
    const key = this.def.namespaced && namespace ? `${this.prefix}${namespace}/` : this.prefix;
    return { key, end: prefixEnd(key) };
  }

  private strategyContext(ctx: WriteContext): StrategyContext {
    return { now: this.clock.now(), user: ctx.user, subresource: ctx.subresource ?? '' };
  }

  private kindRef() {
    return { group: this.def.group, kind: this.def.kind };
  }

  // ---- reads ----------------------------------------------------------------------------------

  async getKv(namespace: string, name: string): Promise<KeyValue | undefined> {
    const result = await this.kv.range({ key: this.key(namespace, name) });
    return result.kvs[0];
  }

  /** The stored object as served JSON with its resourceVersion, or 404 (shared: see served-cache.ts). */
  async getServed(namespace: string, name: string): Promise<RawJson> {
    const kv = (await this.kv.range({ key: this.key(namespace, name) })).kvs[0];
    if (!kv) throw notFound(this.gr, name);
    return this.conversion ? new RawJson(this.served(kv.value, kv.modRevision)) : servedJson(kv);
  }

  async get(namespace: string, name: string): Promise<KubeObject> {
    const kv = await this.getKv(namespace, name);
    if (!kv) throw notFound(this.gr, name);
    return this.decode(kv);
  }

  async list(params: ListParams): Promise<ListResult> {
    const { key, end } = this.range(params.namespace);
    const limit = params.limit && params.limit > 0 ? params.limit : 0;
    let revision = 0;
    let start = key;
    if (params.continue) {
      const token = decodeContinue(params.continue);
      revision = token.rv;
      start = key + token.start;
    } else if (params.resourceVersion && params.resourceVersion !== '0') {
      const rv = parseResourceVersion(params.resourceVersion);
      // Exact (or a paged list at a resourceVersion) reads that snapshot; NotOlderThan reads the newest,
      // which is never older than what a client has seen since revisions only grow.
      if (params.resourceVersionMatch === 'Exact' || (limit > 0 && params.resourceVersionMatch !== 'NotOlderThan')) revision = rv;
      else {
        const current = await this.kv.revision();
        if (rv > current) throw timeout(`Too large resource version: ${rv}, current: ${current}`, 1);
      }
    }
    const selection = params.selection;
    const kvs: KeyValue[] = [];
    const objects: KubeObject[] | undefined = selection.everything ? undefined : [];
    let more = false;
    let nextStart = '';
    let remaining: number | undefined;
    try {
      if (selection.name !== undefined && !params.continue) {
        // metadata.name=X: at most one key per namespace; read just those.
        const result = await this.readRange(this.def.namespaced && !params.namespace ? { key, end } : { key: this.key(params.namespace, selection.name) }, revision, 0);
        revision = result.revision;
        for (const kv of result.kvs) this.collect(kv, selection, kvs, objects);
      } else {
        const batch = limit > 0 ? Math.max(limit, selection.everything ? limit : 500) : 0;
        for (;;) {
          const result = await this.readRange({ key: start, end }, revision, limit > 0 ? batch + 1 : 0);
          revision = result.revision;
          let i = 0;
          for (; i < result.kvs.length; i++) {
            if (limit > 0 && kvs.length === limit) break;
            this.collect(result.kvs[i]!, selection, kvs, objects);
          }
          if (limit > 0 && kvs.length === limit && (i < result.kvs.length || result.more)) {
            // Full: the next chunk starts after the last key we examined.
            const last = result.kvs[i - 1]!.key;
            nextStart = last + '\0';
            more = true;
            if (selection.everything) remaining = result.count - kvs.length;
            break;
          }
          if (!result.more) break;
          start = result.kvs[result.kvs.length - 1]!.key + '\0';
        }
      }
    } catch (err) {
      // As kube-apiserver words it: the second number is the oldest resourceVersion still served.
      if (err instanceof CompactedError) throw params.continue ? continueExpired() : expired(`too old resource version: ${revision} (${err.compactedRevision})`);
      if (err instanceof FutureRevisionError) throw timeout(`Too large resource version: ${err.requestedRevision}, current: ${err.currentRevision}`, 1);
      throw err;
    }
    const out: ListResult = { revision, kvs, objects };
    if (more) {
      out.continue = encodeContinue({ rv: revision, start: nextStart.slice(key.length) });
      if (remaining !== undefined && !params.continue) out.remainingItemCount = remaining;
    }
    return out;
  }

  private async readRange(range: { key: string; end?: string }, revision: number, limit: number) {
    const options: { key: string; end?: string; revision?: number; limit?: number } = { key: range.key };
    if (range.end !== undefined) options.end = range.end;
    if (revision) options.revision = revision;
    if (limit) options.limit = limit;
    return this.kv.range(options);
  }

  private collect(kv: KeyValue, selection: Selection, kvs: KeyValue[], objects: KubeObject[] | undefined): void {
    if (objects === undefined) {
      kvs.push(kv);
      return;
    }
    const object = this.shared(kv);
    if (!selection.matches(object)) return;
    kvs.push(kv);
    objects.push(object);
  }

  /** A list as the JSON text of `<Kind>List`, without decoding items that need no filtering. */
  listText(result: ListResult): string {
    const meta: string[] = [`"resourceVersion":"${result.revision}"`];
    if (result.continue) meta.push(`"continue":"${result.continue}"`);
    if (result.remainingItemCount !== undefined) meta.push(`"remainingItemCount":${result.remainingItemCount}`);
    const items = result.kvs.map((kv) => this.served(kv.value, kv.modRevision)).join(',');
    return `{"kind":"${this.def.listKind}","apiVersion":"${this.apiVersion}","metadata":{${meta.join(',')}},"items":[${items}]}`;
  }

  listObject(result: ListResult): KubeList {
    const metadata: KubeList['metadata'] = { resourceVersion: String(result.revision) };
    if (result.continue) metadata.continue = result.continue;
    if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
    return { kind: this.def.listKind, apiVersion: this.apiVersion, metadata, items: this.objectsOf(result) };
  }

  /** The listed objects, shared and read-only (see `shared`). */
  objectsOf(result: ListResult): KubeObject[] {
    const objects = result.objects ?? result.kvs.map((kv) => this.shared(kv));
    if (objects.length > RECENT_OBJECTS) this.holdListed(objects);
    return objects;
  }

  /**
   * Cancels the sweep set for later and the hold of a large read, and sets no more: the registry's
   * server stopped, and a timer that sets itself again (sweepLater, while live objects keep the map
   * large) would keep a clock at unlimited speed spinning after the cluster stopped.
   */
  stop(): void {
    this.stopped = true;
    this.sweepTimer?.cancel();
    this.sweepTimer = undefined;
    this.listed?.timer.cancel();
    this.listed = undefined;
  }

  /**
   * Holds the objects of a read larger than the strong set for LISTED_HOLD_MS of cluster time:
   * every other holder is weak, so a client reading the same large list again soon (`kubectl get
   * pods` repeated, a Table and then its watch, an informer's relist) would decode all of it again
   * after any full collection. One read at a time, bounded in time and in size.
   */
  private holdListed(objects: KubeObject[]): void {
    this.listed?.timer.cancel();
    if (this.stopped) return;
    const timer = this.clock.setTimer(LISTED_HOLD_MS, () => {
      if (this.listed?.timer === timer) this.listed = undefined;
    });
    this.listed = { objects: objects.slice(0, LISTED_MAX), timer };
  }

  // ---- create ---------------------------------------------------------------------------------

  /**
   * Creates `object` (which the caller owns and this call mutates) in `namespace`.
   * Returns the stored object text (with its resourceVersion) and the object.
   */
  async create(namespace: string, object: KubeObject, ctx: WriteContext): Promise<WriteResult> {
    this.checkTypeMeta(object);
    const meta = object.metadata;
    if (this.def.namespaced) {
      if (meta.namespace && meta.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace;
    } else {
      removeMember(meta, 'namespace');
    }
    if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    if (!meta.name && meta.generateName) meta.name = meta.generateName + generateNameSuffix();
    const now = this.clock.now();
    meta.uid = newUid();
    meta.creationTimestamp = rfc3339(now);
    removeMember(meta, 'deletionTimestamp');
    removeMember(meta, 'deletionGracePeriodSeconds');
    if (Array.isArray(meta.managedFields) && meta.managedFields.length === 0) removeMember(meta, 'managedFields');
    dropEmptyOwnership(meta);
    const sctx = this.strategyContext(ctx);
    const attrs = this.admissionAttributes('CREATE', namespace, meta.name ?? '', object, undefined, ctx);
    // As kube-apiserver: the creator owns what it sent (defaulted), not what admission adds.
    if (ctx.fieldManager !== undefined) {
      this.def.strategy.defaults?.(object, sctx);
      this.recordManagedFields(object, undefined, ctx, now);
    }
    const admitting = this.admit('admit', attrs);
    if (admitting) await admitting;
    // An object the strategy serializes itself is valid as it is (Strategy.createdText).
    const known = this.conversion ? undefined : this.def.strategy.createdText?.(object);
    if (known === undefined && this.def.strategy.beginCreate) await this.def.strategy.beginCreate(object, sctx, this.admission?.lookup);
    const warnings = known !== undefined ? [] : this.prepareCreated(object, sctx);
    const validating = this.admit('validate', attrs);
    if (validating) await validating;
    const encoded: { text: string; shape?: KubeObject; stored?: KubeObject } = this.conversion ? this.encodeCreated(object) : this.encodeNew(object, known);
    const { text, stored } = encoded;
    if (ctx.dryRun) {
      const existing = await this.getKv(namespace, meta.name!);
      if (existing) throw alreadyExists(this.gr, meta.name!);
      const dry = this.decodeText(text, 0);
      delete dry.metadata.resourceVersion;
      return { object: dry, text: JSON.stringify(dry), warnings };
    }
    const key = this.key(namespace, meta.name!);
    const name = meta.name!;
    // The shape is offered to the write's watch fan-out for the time of the transaction (see offerWritten).
    const written = this.offerWritten(key, encoded);
    let result;
    try {
      result = await this.kv.txn([{ key, target: 'create', result: '=', value: 0 }], [{ type: 'put', key, value: text }]);
    } finally {
      if (written) this.written.withdraw(key, written);
    }
    if (!result.succeeded) throw alreadyExists(this.gr, name);
    if (stored && this.conversion) {
      // decodeText's steps, on the copy instead of a parse of the text.
      stored.metadata.resourceVersion = String(result.revision);
      object.metadata.resourceVersion = String(result.revision);
      return { object, text: JSON.stringify(this.conversion.fromStorage(stored)), warnings };
    }
    // The object's nested values are now the written object's (see offerWritten): callers get a decode.
    return this.writeResult(text, result.revision, warnings, key);
  }

  /**
   * Runs a write's transaction with its stored shape offered to the watch fan-out (see
   * offerWritten); the offer is withdrawn once the transaction is over, taken or not.
   */
  private async writeOnce<T>(key: string, encoded: { text: string; shape?: KubeObject }, txn: () => Promise<T>): Promise<T> {
    const written = this.offerWritten(key, encoded);
    try {
      return await txn();
    } finally {
      if (written) this.written.withdraw(key, written);
    }
  }

  private checkTypeMeta(object: KubeObject): void {
    if (object.kind !== undefined && object.kind !== '' && object.kind !== this.def.kind) {
      throw badRequest(`the kind of the provided object (${String(object.kind)}) does not match the kind of the resource (${this.def.kind})`);
    }
    if (object.apiVersion !== undefined && object.apiVersion !== '' && object.apiVersion !== this.apiVersion) {
      throw badRequest(`the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${this.apiVersion})`);
    }
  }

  // ---- update ---------------------------------------------------------------------------------

  /**
   * Reads the current object, asks `tryUpdate` for the new one, and writes it with a CAS on the
   * current modRevision, retrying on a concurrent write. `tryUpdate` gets a fresh copy each time
   * and may throw a StatusError to stop. If the result equals the stored object nothing is written.
   * `conditional`: the caller's resourceVersion must match (PUT with a resourceVersion): no retries.
   */
  async guaranteedUpdate(
    namespace: string,
    name: string,
    ctx: WriteContext,
    tryUpdate: (current: KubeObject) => KubeObject | Promise<KubeObject>,
  ): Promise<WriteResult> {
    for (let attempt = 0; ; attempt++) {
      const kv = await this.getKv(namespace, name);
      if (!kv) throw notFound(this.gr, name);
      // The old object is only read (by prepareUpdate, the strategy, admission and managedFields),
      // so it is the shared decoding, which the watch fan-out of the last write usually made already;
      // `current`, which tryUpdate changes, is a copy of it (a copy is cheaper than a parse).
      const shared = this.conversion ? undefined : this.shared(kv);
      const current = shared ? this.copyForUpdate(shared, ctx) : this.decode(kv);
      // A write that bypasses the strategy reads only its metadata's scalars: a shallow copy of those.
      const old = ctx.bypassStrategy ? ({ metadata: { ...current.metadata } } as KubeObject) : (shared ?? this.shared(kv));
      const updated = await tryUpdate(current);
      if (shared && ctx.replacedStatus) keepNoStoredStatus(updated, shared, ctx.replacedStatus);
      this.checkTypeMeta(updated);
      const { encoded, warnings } = await this.prepareUpdate(updated, old, ctx, shared && { text: kv.value, object: shared });
      const { text } = encoded;
      if (text === kv.value) return this.writeResult(kv.value, kv.modRevision, warnings, kv.key);
      if (ctx.dryRun) return this.writeResult(text, kv.modRevision, warnings);
      const finishing = this.finishesDeletion(updated);
      const compare = [{ key: kv.key, target: 'mod' as const, result: '=' as const, value: kv.modRevision }];
      const written = finishing ? undefined : this.offerWritten(kv.key, encoded);
      let result;
      try {
        result = await this.kv.txn(compare, [finishing ? { type: 'delete', key: kv.key } : { type: 'put', key: kv.key, value: text }]);
      } finally {
        if (written) this.written.withdraw(kv.key, written);
      }
      if (result.succeeded) return this.writeResult(text, result.revision, warnings, kv.key);
      if (attempt >= MAX_UPDATE_RETRIES) throw conflict(this.gr, name, OBJECT_MODIFIED);
    }
  }

  /**
   * The object an update function gets to change: a copy of the shared one, but for a spec that a
   * status write keeps (see WriteContext.untouched), which stays the shared, read-only one: a pod's
   * spec is most of it, and neither copying nor (once written) freezing it again is needed.
   */
  private copyForUpdate(shared: KubeObject, ctx: WriteContext): KubeObject {
    const sharesSpec = ctx.subresource === 'status' && !ctx.bypassStrategy && this.def.strategy.statusSharesSpec && ctx.untouched?.has('spec');
    if (!sharesSpec) return jsonCopy(shared);
    // The metadata too, when the update leaves it alone, is a new object of the same members: the
    // registry and the strategy set its own fields (resourceVersion, managedFields...), never a
    // value inside one (labels, the managedFields entries kept as they are).
    const sharesMetadata = ctx.untouched!.has('metadata');
    const replaced = ctx.replacedStatus;
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(shared)) {
      const value = shared[key];
      if (key === 'spec') copy[key] = value;
      else if (key === 'metadata' && sharesMetadata) copy[key] = { ...(value as object) };
      else if (key === 'status' && replaced !== undefined && isObject(value)) copy[key] = statusCopy(value, replaced);
      else copy[key] = jsonCopy(value);
    }
    return copy as KubeObject;
  }

  /**
   * The result of a write: handlers answer with the text, so the object is decoded only when a
   * caller asks for it (a fresh copy, decoded once). `key`: the text is stored under it at
   * `revision` (a write that happened, or found nothing to change; never a dry run's text), so an
   * in-process caller reading the answer gets a copy of that revision's shared object instead of a
   * parse (see servedCopy). The object is taken now, while it is the key's newest: the write's own
   * watch fan-out decoded it before the writer resumed, and by the time the caller reads the
   * answer another writer (the kubelet's first status, for a created pod) has often replaced it.
   */
  private writeResult(text: string, revision: number, warnings: string[], key?: string): WriteResult {
    const shared = key === undefined ? undefined : this.liveShared(key, revision);
    return new StoredWrite(this, text, revision, warnings, key, shared);
  }

  /** PUT: replaces the object; a resourceVersion in the body is a precondition (409 when stale). */
  async update(namespace: string, name: string, object: KubeObject, ctx: WriteContext): Promise<WriteResult> {
    const meta = object.metadata;
    if (meta.name !== name) {
      throw badRequest(`the name of the object (${meta.name ?? ''}) does not match the name on the URL (${name})`);
    }
    if (this.def.namespaced && meta.namespace && meta.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const wanted = meta.resourceVersion;
    return this.guaranteedUpdate(namespace, name, ctx, (current) => {
      if (wanted && wanted !== current.metadata.resourceVersion) throw conflict(this.gr, name, OBJECT_MODIFIED);
      if (meta.uid && meta.uid !== current.metadata.uid) {
        throw conflict(this.gr, name, `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${current.metadata.uid ?? ''}`);
      }
      return jsonCopy(object);
    });
  }

  /**
   * Carries over what no update may change (uid, creationTimestamp, generation, deletion state),
   * runs the strategy, validates, and returns the text to store.
   */
  private async prepareUpdate(object: KubeObject, old: KubeObject, ctx: WriteContext, previous?: PreviousRevision): Promise<{ encoded: { text: string; shape?: KubeObject }; warnings: string[] }> {
    if (!object.metadata || typeof object.metadata !== 'object') object.metadata = {};
    const meta = object.metadata;
    const oldMeta = old.metadata;
    meta.name = oldMeta.name;
    if (this.def.namespaced) meta.namespace = oldMeta.namespace;
    else delete meta.namespace;
    meta.uid = oldMeta.uid;
    meta.creationTimestamp = oldMeta.creationTimestamp;
    // A client cannot set the generation (BeforeUpdate): only a strategy moves it (workloads.ts).
    // Compared first: nearly every update sends the stored one, or none for a kind without it.
    if (meta.generation !== oldMeta.generation) {
      if (oldMeta.generation === undefined) delete meta.generation;
      else meta.generation = oldMeta.generation;
    }
    if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (oldMeta.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    else delete meta.deletionGracePeriodSeconds;
    if (meta.generateName === undefined && oldMeta.generateName !== undefined) meta.generateName = oldMeta.generateName;
    if (Array.isArray(meta.managedFields) && meta.managedFields.length === 0) delete meta.managedFields;
    dropEmptyOwnership(meta);
    let warnings: string[] = [];
    if (!ctx.bypassStrategy) {
      const sctx = this.strategyContext(ctx);
      const attrs = this.admissionAttributes('UPDATE', oldMeta.namespace ?? '', oldMeta.name ?? '', object, old, ctx);
      if (ctx.fieldManager !== undefined) {
        this.def.strategy.defaults?.(object, sctx);
        this.recordManagedFields(object, old, ctx, this.clock.now());
      }
      const admitting = this.admit('admit', attrs);
      if (admitting) await admitting;
      this.def.strategy.prepareForUpdate(object, old, sctx);
      const errs = this.def.strategy.validateUpdate(object, old, sctx);
      if (errs.length > 0) throw invalid(this.kindRef(), meta.name ?? '', errs);
      warnings = this.def.strategy.warningsOnUpdate?.(object, old, sctx) ?? [];
      const validating = this.admit('validate', attrs);
      if (validating) await validating;
    }
    return { encoded: this.encodeShaped(object, previous), warnings };
  }

  /** A create's preparation and validation by its strategy (after beginCreate); returns the strategy's warnings. */
  private prepareCreated(object: KubeObject, sctx: StrategyContext): string[] {
    const meta = object.metadata;
    this.def.strategy.prepareForCreate(object, sctx);
    const errs: FieldError[] = [];
    if (!meta.name) errs.push(required('metadata.name', 'name or generateName is required'));
    errs.push(...this.def.strategy.validate(object, sctx).filter((e) => !(e.field === 'metadata.name' && e.type === 'FieldValueRequired' && !meta.name)));
    if (errs.length > 0) throw invalid(this.kindRef(), meta.name ?? '', errs);
    if (meta.name!.length > MAX_NAME_LENGTH) throw invalid(this.kindRef(), meta.name!, [required('metadata.name')]);
    return this.def.strategy.warningsOnCreate?.(object, sctx) ?? [];
  }

  /** The managedFields of recent creates by shape (created-fields.ts). */
  private readonly createdFields = new CreatedFields();

  /** Gives `ctx.fieldManager` the fields this write changed (an Update entry in managedFields). */
  private recordManagedFields(object: KubeObject, old: KubeObject | undefined, ctx: WriteContext, now: number): void {
    const sent = object.metadata.managedFields;
    const cacheable = !old && !(Array.isArray(sent) && sent.length > 0);
    let shape: ShapeNode | undefined;
    if (cacheable) {
      const hit = this.createdFields.get(object, ctx.fieldManager!, ctx.subresource ?? '');
      if (hit) {
        // The entries are new; their fieldsV1 are shared and frozen (nothing between here and
        // encoding changes managedFields).
        const time = formatTime(now);
        if (hit.length > 0) object.metadata.managedFields = hit.map((e) => ({ ...e, time }));
        else removeMember(object.metadata, 'managedFields');
        return;
      }
      shape = snapshot(object);
    }
    const options: Parameters<typeof recordUpdate>[0] = {
      updated: object,
      manager: ctx.fieldManager!,
      apiVersion: this.apiVersion,
      now,
      meta: patchMetaLookup(this.def),
    };
    if (old) options.old = old;
    if (ctx.subresource) options.subresource = ctx.subresource;
    const entries = recordUpdate(options);
    if (shape !== undefined) this.createdFields.set(shape, ctx.fieldManager!, ctx.subresource ?? '', deepFreeze(jsonCopy(entries)));
    if (entries.length > 0) object.metadata.managedFields = entries;
    else removeMember(object.metadata, 'managedFields');
  }

  /** An update that removes the last finalizer of an object already being deleted (with no grace left) removes it. */
  private finishesDeletion(object: KubeObject): boolean {
    const meta = object.metadata;
    return !!meta.deletionTimestamp && (meta.finalizers?.length ?? 0) === 0 && (meta.deletionGracePeriodSeconds ?? 0) === 0 && !this.def.strategy.deletionBlocked?.(object);
  }

  // ---- delete ---------------------------------------------------------------------------------

  async delete(namespace: string, name: string, params: DeleteParams, ctx: WriteContext): Promise<DeleteResult> {
    for (let attempt = 0; ; attempt++) {
      const kv = await this.getKv(namespace, name);
      if (!kv) throw notFound(this.gr, name);
      // The stored text, read once: a value the store has packed is inflated on every read, and the
      // awaits below let other writes' reads in between, so a second read inflated it again (a
      // graceful delete of an idle pod did, for markedText). Reading it here also warms the store's
      // last-unpacked value for a decode of it just below.
      const text = kv.value;
      // Preconditions, admission and the grace period only read the object: the shared decoding
      // (see `shared`). What is written or returned is a fresh decode of its own.
      const current = this.shared(kv);
      this.checkPreconditions(current, params.preconditions);
      if (attempt === 0) {
        const attrs = this.admissionAttributes('DELETE', namespace, name, undefined, current, ctx);
        const admitting = this.admit('admit', attrs);
        if (admitting) await admitting;
        const validating = this.admit('validate', attrs);
        if (validating) await validating;
      }
      const meta = current.metadata;
      // The garbage collector's finalizers for the propagation policy (deletion-finalizers.ts).
      const finalizers = finalizersForPropagation(meta.finalizers, params.propagationPolicy);
      const hasFinalizers = ((finalizers ?? meta.finalizers)?.length ?? 0) > 0 || !!this.def.strategy.deletionBlocked?.(current);
      const graceful = this.gracefulDeletion(current, params);
      if (graceful === 'pending') return this.deleteResult(kv.key, text, kv.modRevision, false);
      let next: KubeObject | undefined;
      let mark: { deletionTimestamp: number; gracePeriodSeconds: number } | undefined;
      // A graceful delete with no grace left is written (the mark) and then deleted, as kube-apiserver's
      // updateForGracefulDeletionAndFinalizers does: watchers see MODIFIED, then DELETED.
      let thenDelete = false;
      if (graceful) {
        mark = graceful;
        thenDelete = graceful.gracePeriodSeconds === 0 && !hasFinalizers;
      } else if (finalizers && meta.deletionTimestamp) {
        // Already terminating: only the finalizers change (and it goes once none is left).
        if (hasFinalizers || (meta.deletionGracePeriodSeconds ?? 0) > 0) next = withFinalizers(this.decode(kv), finalizers);
      } else if (hasFinalizers) {
        // Finalizers wait: mark the object (markAsDeleting: now, no grace); their owners finish the deletion.
        const now = this.clock.now();
        const existing = meta.deletionTimestamp ? Date.parse(meta.deletionTimestamp) : undefined;
        if (existing !== undefined && existing <= now && (meta.deletionGracePeriodSeconds ?? 0) <= 0) return this.deleteResult(kv.key, text, kv.modRevision, false);
        mark = { deletionTimestamp: existing !== undefined ? Math.min(existing, now) : now, gracePeriodSeconds: 0 };
      }
      if (mark) next = this.marked(kv, current, ctx, mark, finalizers);
      // A mark that leaves the finalizers as they are changes only the two deletion members of the metadata.
      const marksOnly = mark !== undefined && !this.conversion && !finalizers && !this.def.strategy.prepareForDelete && ('deletionTimestamp' in meta) === ('deletionGracePeriodSeconds' in meta);
      if (ctx.dryRun) {
        if (next) {
          next.metadata.resourceVersion = meta.resourceVersion;
          return { object: next, deleted: thenDelete };
        }
        return { object: this.decode(kv), deleted: true };
      }
      const compare = [{ key: kv.key, target: 'mod' as const, result: '=' as const, value: kv.modRevision }];
      if (next) {
        const encoded = (marksOnly && this.markedText(text, next, meta)) || this.encodeShaped(next);
        const result = await this.writeOnce(kv.key, encoded, () => this.kv.txn(compare, [{ type: 'put', key: kv.key, value: encoded.text }]));
        if (result.succeeded) {
          if (!thenDelete) return this.deleteResult(kv.key, encoded.text, result.revision, false);
          // The object this request marked, and no other: a write since (the kubelet's) does not stop the delete.
          const gone = await this.kv.txn([{ key: kv.key, target: 'create', result: '=', value: kv.createRevision }], [{ type: 'delete', key: kv.key }]);
          // Gone already (another deleter won the race): the delete succeeded all the same (ignoreNotFound).
          return this.deleteResult(kv.key, encoded.text, gone.succeeded ? gone.revision : result.revision, true);
        }
      } else {
        const result = await this.kv.txn(compare, [{ type: 'delete', key: kv.key }]);
        // The last state, with the deletion's revision.
        if (result.succeeded) return this.deleteResult(kv.key, text, result.revision, true);
      }
      if (attempt >= MAX_UPDATE_RETRIES) throw conflict(this.gr, name, OBJECT_MODIFIED);
    }
  }

  /**
   * `current` (the shared, read-only object) as a delete marks it: its own copy (a shallow one, see
   * markable, unless a dry run or a conversion needs a whole one) with the deadline, the grace
   * period and the finalizers set, and what the strategy prepares for a delete.
   */
  private marked(kv: KeyValue, current: KubeObject, ctx: WriteContext, mark: { deletionTimestamp: number; gracePeriodSeconds: number }, finalizers: string[] | undefined): KubeObject {
    const next = this.conversion ? this.decode(kv) : ctx.dryRun ? jsonCopy(current) : markable(current);
    next.metadata.deletionTimestamp = rfc3339(mark.deletionTimestamp);
    next.metadata.deletionGracePeriodSeconds = mark.gracePeriodSeconds;
    if (finalizers) withFinalizers(next, finalizers);
    this.def.strategy.prepareForDelete?.(next);
    return next;
  }

  /**
   * The stored text and shape of `next`, a shallow copy of the object stored as `text` (see
   * markable) whose deletionTimestamp and deletionGracePeriodSeconds a delete set, and nothing
   * else: spliced into the text instead of a serialization of the whole object (a pod's
   * JSON.stringify was most of its graceful delete). A first mark adds the two members last to the
   * metadata (codec.ts withMetadataMembers), which is what JSON.stringify of the shape gives, since
   * the shared object is exactly the decode of the text and added members come last. A later one
   * (a shorter grace period, the kubelet's final delete) replaces them where a first mark put
   * them, last in the metadata, and only there (withMetadataTail); undefined otherwise.
   */
  private markedText(text: string, next: KubeObject, previous: KubeObject['metadata']): { text: string; shape: KubeObject } | undefined {
    const members = (meta: KubeObject['metadata']) => `,"deletionTimestamp":${JSON.stringify(meta.deletionTimestamp)},"deletionGracePeriodSeconds":${JSON.stringify(meta.deletionGracePeriodSeconds)}`;
    const marked = 'deletionTimestamp' in previous ? withMetadataTail(text, members(previous), members(next.metadata)) : withMetadataMembers(text, members(next.metadata));
    return marked === undefined ? undefined : { text: marked, shape: storedShape(next, this.apiVersion, this.def.kind) };
  }

  /**
   * A delete's answer from stored text: its served JSON and the object, each made only if a caller
   * reads it. An object still there (marked for deletion, or found being deleted) at `revision` is
   * answered in process with a copy of that revision's shared object, taken now as writeResult
   * takes it: by the time the caller reads the answer the kubelet has usually written the pod
   * again, and the copy would be a parse of the served text.
   */
  private deleteResult(key: string, text: string, revision: number, deleted: boolean): DeleteResult {
    return new StoredDelete(this, key, text, revision, deleted, deleted ? undefined : this.liveShared(key, revision));
  }

  /**
   * A caller-owned copy of the shared object of `key` at `revision`, equal to JSON.parse of its
   * served text, member order included (the served text has the resourceVersion first in the
   * metadata, where the shared object has it last): undefined unless that object is alive and the
   * stored text is what is served (served-copy.ts). A graceful delete's answer read in process (the
   * terminating pod) is such a copy when the write's watch fan-out has decoded the object already;
   * so is a create's or update's answer. Both take the object when the write finishes (writeResult,
   * deleteResult); this finds it when read only for an answer that had none then.
   */
  servedCopy(key: string, revision: number): KubeObject | undefined {
    const object = this.liveShared(key, revision);
    return object === undefined ? undefined : servedOrderCopy(object);
  }

  /** The shared object of `key` at `revision` if it is decoded and alive (and stored text is served as it is); else undefined. */
  private liveShared(key: string, revision: number): KubeObject | undefined {
    if (this.conversion) return undefined;
    const handle = this.decoded.get(key);
    return handle !== undefined && handle.kv.modRevision === revision ? handle.peek() : undefined;
  }

  private checkPreconditions(current: KubeObject, pre: DeleteParams['preconditions']): void {
    if (!pre) return;
    const name = current.metadata.name ?? '';
    if (pre.uid && pre.uid !== current.metadata.uid) {
      throw conflict(this.gr, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ''}`);
    }
    if (pre.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(this.gr, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${current.metadata.resourceVersion ?? ''}`);
    }
  }

  /**
   * Graceful deletion (rest.BeforeDelete with the pod strategy's CheckGracefulDelete; only pods are
   * deleted gracefully): undefined when the object is not (another resource, or a pod already
   * marked with no grace left: it goes at once); 'pending' when it is being deleted already and
   * this request does not shorten that; otherwise the mark to write.
   * - A first delete: the grace period is the request's gracePeriodSeconds, else the pod's
   *   terminationGracePeriodSeconds; 0 for a pod no kubelet runs (not scheduled) or that has
   *   finished; negative counts as 1. The deadline is now plus that, and it is written even at 0.
   * - Already terminating: only a shorter gracePeriodSeconds changes it, keeping the time the
   *   deletion was asked: the deadline moves by the difference of the two grace periods.
   */
  private gracefulDeletion(object: KubeObject, params: DeleteParams): { deletionTimestamp: number; gracePeriodSeconds: number } | 'pending' | undefined {
    if (this.def.group !== '' || this.def.resource !== 'pods') return undefined;
    const meta = object.metadata;
    const requested = params.gracePeriodSeconds === undefined ? undefined : params.gracePeriodSeconds < 0 ? 1 : params.gracePeriodSeconds;
    if (meta.deletionTimestamp) {
      const current = meta.deletionGracePeriodSeconds ?? 0;
      if (current <= 0) return undefined;
      if (requested === undefined || requested >= current) return 'pending';
      return { deletionTimestamp: Date.parse(meta.deletionTimestamp) + (requested - current) * 1000, gracePeriodSeconds: requested };
    }
    const spec = (object.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = ((object.status ?? {}) as { phase?: string }).phase;
    let grace = requested ?? spec.terminationGracePeriodSeconds ?? 0;
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') grace = 0;
    if (grace < 0) grace = 1;
    return { deletionTimestamp: this.clock.now() + grace * 1000, gracePeriodSeconds: grace };
  }

  /** Deletes every object the selection picks (each as a single delete would), returning them. */
  async deleteCollection(params: ListParams, del: DeleteParams, ctx: WriteContext): Promise<KubeObject[]> {
    const listed = await this.list({ ...params, limit: 0, continue: undefined, resourceVersion: undefined });
    const out: KubeObject[] = [];
    for (const object of this.objectsOf(listed)) {
      try {
        const r = await this.delete(object.metadata.namespace ?? '', object.metadata.name ?? '', del, ctx);
        out.push(r.object);
      } catch (err) {
        if (err instanceof StatusError && err.code === 404) continue;
        throw err;
      }
    }
    return out;
  }

  // ---- admission -----------------------------------------------------------------------------

  private admissionAttributes(
    operation: AdmissionOperation, namespace: string, name: string, object: KubeObject | undefined, oldObject: KubeObject | undefined, ctx: WriteContext,
  ): AdmissionAttributes {
    const attrs: AdmissionAttributes = {
      operation, group: this.def.group, version: this.def.version, kind: this.def.kind, resource: this.def.resource,
      subresource: ctx.subresource ?? '', namespace: this.def.namespaced ? namespace : '', name, user: ctx.user, dryRun: !!ctx.dryRun, now: this.clock.now(),
    };
    if (object) attrs.object = object;
    if (oldObject) attrs.oldObject = oldObject;
    return attrs;
  }

  /**
   * One phase of the admission chain: undefined when it finished synchronously (no plugin had work
   * for this write, the usual case for status writes and deletes), so callers await only a promise.
   */
  private admit(phase: 'admit' | 'validate', attrs: AdmissionAttributes): Promise<void> | undefined {
    return this.admission ? admissionSteps(this.admission.plugins, phase, attrs, this.admission.lookup) : undefined;
  }

  // ---- helpers for callers -------------------------------------------------------------------

  /** The namespace an object's key belongs to, from its key (cheap, no decode). */
  namespaceOfKey(key: string): string {
    if (!this.def.namespaced) return '';
    const rest = key.slice(this.prefix.length);
    const slash = rest.indexOf('/');
    return slash < 0 ? '' : rest.slice(0, slash);
  }
}


/** ownerReferences and finalizers are omitempty in Go's ObjectMeta: an empty list is not stored (a patch deleting the last item leaves one). */
function dropEmptyOwnership(meta: KubeObject['metadata']): void {
  if (Array.isArray(meta.ownerReferences) && meta.ownerReferences.length === 0) removeMember(meta, 'ownerReferences');
  if (Array.isArray(meta.finalizers) && meta.finalizers.length === 0) removeMember(meta, 'finalizers');
}

/**
 * The object a graceful delete writes, made from the shared (read-only) current one: only its
 * metadata's own members change (deletionTimestamp, deletionGracePeriodSeconds, finalizers, and a
 * strategy's prepareForDelete, which replaces values rather than changing them), so everything
 * else is the current object's. Once written, its shape is frozen (written.ts), and the parts it
 * shares with the current object are frozen already or become so, as a status write's spec does
 * (copyForUpdate). A pod's spec and status are most of it: no copy of them, and no walk of them
 * again when the write's watch fan-out takes the written object.
 */
function markable(current: KubeObject): KubeObject {
  return { ...current, metadata: { ...current.metadata } };
}

/**
 * A copy of a stored status whose members in `replaced` are the stored ones themselves: the update
 * replaces each of them (WriteContext.replacedStatus), so none stays in the object it writes.
 */
function statusCopy(status: Record<string, unknown>, replaced: ReadonlySet<string>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(status)) {
    const value = status[key];
    setMember(copy, key, replaced.has(key) ? value : jsonCopy(value));
  }
  return copy;
}

/**
 * Whatever the update function did, no stored status member it was to replace (statusCopy) stays
 * in the object written: the shared object's values are not all frozen, and nothing after the
 * update function may change them (a merge patch replaces each of them, so this finds none).
 */
function keepNoStoredStatus(updated: KubeObject, shared: KubeObject, replaced: ReadonlySet<string>): void {
  const status = (updated as { status?: unknown }).status;
  const stored = (shared as { status?: unknown }).status;
  if (!isObject(status) || !isObject(stored) || Object.isFrozen(status)) return;
  if (status === stored) {
    (updated as { status?: unknown }).status = jsonCopy(stored);
    return;
  }
  for (const key of replaced) {
    const value = stored[key];
    if (value !== null && typeof value === 'object' && status[key] === value) status[key] = jsonCopy(value);
  }
}

function withFinalizers(object: KubeObject, finalizers: string[]): KubeObject {
  if (finalizers.length > 0) object.metadata.finalizers = finalizers;
  else delete object.metadata.finalizers;
  return object;
}

/**
 * A write's answer from its stored text: handlers answer with the text, so the object is decoded
 * only when a caller asks for it (a fresh copy, decoded once), and the served text is made only
 * when read. A class rather than an object literal with getters: such a literal is built slowly
 * (accessors and closures made for each write: ~3 us, more than the rest of the answer).
 */
class StoredWrite implements WriteResult {
  readonly json: RawJson;
  private decoded: KubeObject | undefined;
  private servedText: string | undefined;

  /** `shared`: the registry's shared object of the written revision, when it had one (see RegistryStore.writeResult). */
  constructor(private readonly registry: RegistryStore, private readonly stored: string, private readonly revision: number, readonly warnings: string[], key?: string, shared?: KubeObject) {
    this.json = new RawJson(() => this.text);
    if (shared !== undefined) this.json.copy = () => servedOrderCopy(shared);
    else if (key !== undefined) this.json.copy = () => registry.servedCopy(key, revision);
  }

  get object(): KubeObject {
    return (this.decoded ??= this.registry.decodeText(this.stored, this.revision));
  }

  get text(): string {
    return (this.servedText ??= this.registry.served(this.stored, this.revision));
  }
}

/** A delete's answer from stored text: its served JSON and the object, each made only if a caller reads it. */
class StoredDelete implements DeleteResult {
  readonly json: RawJson;
  private decoded: KubeObject | undefined;

  /** `shared`: the registry's shared object of `revision`, when the object is not deleted and had one (see RegistryStore.deleteResult). */
  constructor(private readonly registry: RegistryStore, private readonly key: string, private readonly stored: string, private readonly revision: number, readonly deleted: boolean, shared?: KubeObject) {
    this.json = new RawJson(() => this.registry.served(this.stored, this.revision));
    // The object of a deleted key's answer is its last revision with the deletion's resourceVersion:
    // not a revision anybody decoded.
    if (shared !== undefined) this.json.copy = () => servedOrderCopy(shared);
    else if (!deleted) this.json.copy = () => this.registry.servedCopy(this.key, this.revision);
  }

  get object(): KubeObject {
    return (this.decoded ??= this.registry.decodeText(this.stored, this.revision));
  }
}

export function parseResourceVersion(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw statusFailure(400, 'BadRequest', `invalid resource version "${text}"`);
  return n;
}
