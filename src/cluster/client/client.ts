/**
 * The client every component inside the extension uses (scheduler, kubelets, controllers, the UI):
 * a thin, typed layer over REST paths that sends requests through a Transport (in-process or HTTP),
 * so that every call goes through the API server's pipeline exactly as kubectl's do.
 *
 * Objects returned by get/list/create/update/patch belong to the caller. Objects delivered to watch
 * handlers may be shared between watchers: treat them as read-only.
 */
import { StatusError, statusFailure } from '../api/errors';
import type { KubeList, KubeObject, Status, WatchEvent } from '../api/types';
import type { ApiRequest, ApiResponse, Transport, UserInfo } from '../apiserver/types';
import { sharedBodyOf } from '../apiserver/transport/in-process';

export interface GroupVersionResource {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural resource name, e.g. `pods`. */
  resource: string;
}

export const core = (resource: string): GroupVersionResource => ({ group: '', version: 'v1', resource });
export const PODS = core('pods');
export const NODES = core('nodes');
export const NAMESPACES = core('namespaces');
export const EVENTS = core('events');
export const CONFIGMAPS = core('configmaps');
export const SECRETS = core('secrets');
export const SERVICES = core('services');
export const SERVICEACCOUNTS = core('serviceaccounts');
export const LEASES: GroupVersionResource = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
export const EVENTS_V1: GroupVersionResource = { group: 'events.k8s.io', version: 'v1', resource: 'events' };

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';
export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WatchOptions extends ListOptions {
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions {
  namespace?: string;
  subresource?: string;
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

export interface PatchOptions extends WriteOptions {
  force?: boolean;
}

export interface DeleteOptions {
  namespace?: string;
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface WatchHandle {
  /** Stops the watch; `onEnd` is not called after stop(). */
  stop(): void;
}

/**
 * The result of a write, with the Warning headers the server sent (e.g. unknown fields under Warn).
 * `object` is decoded when first read (in process), so writers that ignore it use `...WithWarnings`.
 */
export interface WriteResult<T> {
  object: T;
  warnings: string[];
}

export function resourcePath(gvr: GroupVersionResource, namespace?: string, name?: string, subresource?: string): string {
  let path = gvr.group ? `/apis/${gvr.group}/${gvr.version}` : `/api/${gvr.version}`;
  if (namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${gvr.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

/** Collection paths a ResourceClient keeps (see collectionPath); all are dropped when it has this many. */
const MAX_COLLECTION_PATHS = 64;

function query(options: object): URLSearchParams {
  const q = new URLSearchParams();
  // for-in over own members, not Object.entries: no arrays per request (every component write comes here).
  for (const key in options) {
    if (!Object.prototype.hasOwnProperty.call(options, key)) continue;
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined || key === 'namespace' || key === 'subresource' || key === 'preconditions') continue;
    if (key === 'dryRun') {
      if (value) q.set('dryRun', 'All');
      continue;
    }
    q.set(key, String(value));
  }
  return q;
}

export class ApiClient {
  /** `transport` is also what tells one cluster's clients from another's (informers share objects only within one). */
  constructor(readonly transport: Transport, readonly user: UserInfo, private readonly userAgent = 'kube-sim') {}

  /** A client acting as another user on the same transport (e.g. a kubelet as `system:node:node-1`). */
  as(user: UserInfo, userAgent = this.userAgent): ApiClient {
    return new ApiClient(this.transport, user, userAgent);
  }

  resource<T extends KubeObject = KubeObject>(gvr: GroupVersionResource): ResourceClient<T> {
    return new ResourceClient<T>(this, gvr);
  }

  /**
   * Sends a request and returns the response as is (no error mapping). Not async: it only builds
   * the request, and an async function's own promise around the transport's was one more a request.
   */
  raw(method: string, path: string, init: { query?: URLSearchParams; body?: unknown; handOver?: boolean; headers?: Record<string, string>; signal?: AbortSignal; announced?: boolean } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.userAgent };
    const extra = init.headers;
    if (extra !== undefined) for (const k in extra) if (Object.prototype.hasOwnProperty.call(extra, k)) headers[k.toLowerCase()] = extra[k]!;
    if (init.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const request: ApiRequest = { method, path, query: init.query ?? new URLSearchParams(), headers, user: this.user };
    if (init.body !== undefined) {
      request.body = init.body;
      if (init.handOver === true) request.bodyHandedOver = true;
    }
    if (init.signal) request.signal = init.signal;
    if (init.announced === true) request.announced = true;
    return this.transport(request);
  }

  /** Sends a request; a response with status ≥ 400 becomes a thrown StatusError. */
  async request<T>(method: string, path: string, init: { query?: URLSearchParams; body?: unknown; handOver?: boolean; headers?: Record<string, string> } = {}): Promise<WriteResult<T>> {
    const response = await this.raw(method, path, init);
    const warnings = warningsOf(response);
    if (response.status >= 400) throw toStatusError(response, warnings);
    return new Answer<T>(response, warnings);
  }
}

/**
 * A request's answer, its body read when asked for: a caller that only needs the write done never
 * has it parsed. A class, not an object literal with a getter, which is slow to build per request.
 */
class Answer<T> implements WriteResult<T> {
  constructor(private readonly response: ApiResponse, readonly warnings: string[]) {}

  get object(): T {
    return this.response.body as T;
  }
}

export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(private readonly client: ApiClient, readonly gvr: GroupVersionResource) {}

  /** The transport requests go through: one per cluster (or per connection to one). */
  get transport(): Transport {
    return this.client.transport;
  }

  async get(name: string, options: { namespace?: string; subresource?: string } = {}): Promise<T> {
    return (await this.client.request<T>('GET', resourcePath(this.gvr, options.namespace, name, options.subresource))).object;
  }

  async list(options: ListOptions = {}): Promise<KubeList<T>> {
    return (await this.client.request<KubeList<T>>('GET', resourcePath(this.gvr, options.namespace), { query: query(options) })).object;
  }

  /**
   * A list whose objects are read-only and may be shared, as watch objects are (an informer's): in
   * process, the registry's own decoded objects instead of a parse of the list's text.
   */
  async listShared(options: ListOptions = {}): Promise<KubeList<T>> {
    const response = await this.client.raw('GET', resourcePath(this.gvr, options.namespace), { query: query(options) });
    if (response.status >= 400) throw toStatusError(response, warningsOf(response));
    return (sharedBodyOf(response) ?? response.body) as KubeList<T>;
  }

  /**
   * Tells the API server of the list (or, `watch`, the watch) this client's user would make with
   * `options`, read instead from a cache another component keeps (ApiRequest.announced): authorized
   * and audited as that request, nothing served. Resolves with the status it would have begun with.
   */
  async announce(options: WatchOptions, watch: boolean): Promise<number> {
    const q = query(options);
    if (watch) q.set('watch', 'true');
    return (await this.client.raw('GET', resourcePath(this.gvr, options.namespace), { query: q, announced: true })).status;
  }

  async create(object: T | KubeObject, options: WriteOptions = {}): Promise<T> {
    return (await this.createWithWarnings(object, options)).object;
  }

  async createWithWarnings(object: T | KubeObject, options: WriteOptions = {}): Promise<WriteResult<T>> {
    const namespace = options.namespace ?? object.metadata?.namespace;
    return this.client.request<T>('POST', this.collectionPath(namespace), { query: query(options), body: object });
  }

  /**
   * As createWithWarnings, with `object` handed over (ApiRequest.bodyHandedOver): an in-process
   * server stores it without a copy. The caller built it for this one create, as plain JSON (no
   * undefined member), and never reads or changes it, nor anything in it, again.
   */
  createHandingOver(object: T | KubeObject, options: WriteOptions = {}): Promise<WriteResult<T>> {
    const namespace = options.namespace ?? object.metadata?.namespace;
    return this.client.request<T>('POST', this.collectionPath(namespace), { query: query(options), body: object, handOver: true });
  }

  /**
   * The path of the collection in `namespace`, the same string for every create there: a path
   * made again each time was a rope the server flattened and hashed for each request (an event
   * recorder creates in a few namespaces again and again).
   */
  private collectionPath(namespace: string | undefined): string {
    const key = namespace ?? '';
    let path = this.collectionPaths?.get(key);
    if (path === undefined) {
      path = resourcePath(this.gvr, namespace);
      this.collectionPaths ??= new Map();
      if (this.collectionPaths.size >= MAX_COLLECTION_PATHS) this.collectionPaths.clear();
      this.collectionPaths.set(key, path);
    }
    return path;
  }

  private collectionPaths: Map<string, string> | undefined;

  /** POSTs to a subresource of `name`, e.g. `binding` or `eviction`. Returns the response body. */
  async createSubresource<R = unknown>(name: string, subresource: string, body: unknown, options: WriteOptions = {}): Promise<R> {
    return (await this.client.request<R>('POST', resourcePath(this.gvr, options.namespace, name, subresource), { query: query(options), body })).object;
  }

  async update(object: T, options: WriteOptions = {}): Promise<T> {
    const namespace = options.namespace ?? object.metadata.namespace;
    const name = object.metadata.name ?? '';
    return (await this.client.request<T>('PUT', resourcePath(this.gvr, namespace, name, options.subresource), { query: query(options), body: object })).object;
  }

  async patch(name: string, type: PatchType, patch: unknown, options: PatchOptions = {}): Promise<T> {
    return (await this.patchWithWarnings(name, type, patch, options)).object;
  }

  async patchWithWarnings(name: string, type: PatchType, patch: unknown, options: PatchOptions = {}): Promise<WriteResult<T>> {
    return this.client.request<T>('PATCH', resourcePath(this.gvr, options.namespace, name, options.subresource), {
      query: query(options),
      body: patch,
      headers: { 'content-type': PATCH_CONTENT_TYPES[type] },
    });
  }

  /** Deletes `name`. Returns the object (still terminating, with deletionTimestamp) or a Success Status. */
  async delete(name: string, options: DeleteOptions = {}): Promise<T | Status> {
    return (await this.deleteWithWarnings(name, options)).object;
  }

  async deleteWithWarnings(name: string, options: DeleteOptions = {}): Promise<WriteResult<T | Status>> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (options.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = options.gracePeriodSeconds;
    if (options.propagationPolicy) body.propagationPolicy = options.propagationPolicy;
    if (options.preconditions) body.preconditions = options.preconditions;
    if (options.dryRun) body.dryRun = ['All'];
    return this.client.request<T | Status>('DELETE', resourcePath(this.gvr, options.namespace, name), { body });
  }

  async deleteCollection(options: ListOptions & { gracePeriodSeconds?: number } = {}): Promise<KubeList<T> | Status> {
    return (await this.client.request<KubeList<T> | Status>('DELETE', resourcePath(this.gvr, options.namespace), { query: query(options) })).object;
  }

  /** Reads a text subresource such as `log`. */
  async getText(name: string, subresource: string, options: { namespace?: string; query?: Record<string, string | number | boolean> } = {}): Promise<string> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query ?? {})) q.set(k, String(v));
    const result = await this.client.request<string>('GET', resourcePath(this.gvr, options.namespace, name, subresource), { query: q, headers: { accept: 'text/plain, */*' } });
    return typeof result.object === 'string' ? result.object : JSON.stringify(result.object);
  }

  /**
   * Watches the collection. `onEvent` gets each event in order (ERROR events included: a 410 Expired
   * arrives as an ERROR event whose object is a Status). `onEnd` is called once when the server ends
   * the stream or the watch request fails.
   */
  watch(options: WatchOptions, onEvent: (event: WatchEvent<T>) => void, onEnd: (err?: Error) => void): WatchHandle {
    const controller = new AbortController();
    let stopped = false;
    let stream: { close(): void } | undefined;
    const q = query(options);
    q.set('watch', 'true');
    this.client
      .raw('GET', resourcePath(this.gvr, options.namespace), { query: q, signal: controller.signal })
      .then((response) => {
        if (response.status >= 400 || !response.stream) {
          if (!stopped) onEnd(response.status >= 400 ? toStatusError(response, []) : new Error('watch response carried no stream'));
          return;
        }
        stream = response.stream;
        if (stopped) return stream.close();
        response.stream.start(
          (chunk) => { if (!stopped && typeof chunk !== 'string') onEvent(chunk as WatchEvent<T>); },
          () => { if (!stopped) { stopped = true; onEnd(); } },
        );
      })
      .catch((err: unknown) => { if (!stopped) { stopped = true; onEnd(err instanceof Error ? err : new Error(String(err))); } });
    return {
      stop: () => {
        if (stopped) return;
        stopped = true;
        controller.abort();
        stream?.close();
      },
    };
  }
}

function warningsOf(response: ApiResponse): string[] {
  const header = response.headers['Warning'] ?? response.headers['warning'];
  if (!header) return [];
  const values = Array.isArray(header) ? header : [header];
  // `299 - "text"`: keep the quoted text.
  return values.map((v) => { const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(v); return m ? m[1]!.replace(/\\(.)/g, '$1') : v; });
}

function toStatusError(response: ApiResponse, warnings: string[]): StatusError {
  const body = response.body as Partial<Status> | undefined;
  if (body && body.kind === 'Status') return new StatusError(body as Status, warnings);
  return statusFailure(response.status, 'Unknown', typeof body === 'string' ? body : `the server responded with status ${response.status}`);
}
