/**
 * Routing after authentication and authorization: non-resource endpoints (version, health,
 * discovery, OpenAPI) and resource requests to the handler for their verb or subresource.
 */
import { badRequest, statusFailure } from '../api/errors';
import type { UserInfo, ApiRequest, ApiResponse } from './types';
import type { RequestInfo } from './request-info';
import type { ResourceRequest, ServerParts } from './handlers/context';
import { discoverCore, discoverGroup, discoverGroups, discoverResources } from './discovery';
import { healthResponse, versionResponse } from './version';
import { openapiResponse } from './openapi';
import { getObject, listObjects } from './handlers/read';
import { createObject, updateObject } from './handlers/write';
import { deleteCollection, deleteObject } from './handlers/delete';
import { watchObjects } from './handlers/watch';
import { statusSubresource } from './handlers/status';
import { patchObject } from './handlers/patch';
import { selfSubjectAccessReview } from './handlers/access-review';
import { selfSubjectReview } from './handlers/self-subject-review';

/** Streaming pod subresources Kube Sim does not serve (exec is served: handlers/exec.ts). */
const STREAMING = new Set(['attach', 'portforward']);

export type SubresourceHandler = (parts: ServerParts, r: ResourceRequest) => Promise<ApiResponse>;

export function notFoundPath(): never {
  throw statusFailure(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function methodNotAllowed(): never {
  throw statusFailure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

export class Router {
  /** Subresource handlers by `<group>/<resource>/<subresource>`; `status` is generic. */
  private readonly subresources = new Map<string, SubresourceHandler>();

  constructor(private readonly parts: ServerParts, private readonly serverAddress: () => string) {}

  /** Verb handlers that replace the generic one for a resource (`bindings` create binds a pod). */
  private readonly verbs = new Map<string, SubresourceHandler>();
  /** The resources `verbs` has a handler for: the others (nearly every request) need no lookup key. */
  private readonly verbResources = new Set<string>();

  addSubresource(group: string, resource: string, subresource: string, handler: SubresourceHandler): void {
    this.subresources.set(`${group}/${resource}/${subresource}`, handler);
  }

  addVerb(group: string, resource: string, verb: string, handler: SubresourceHandler): void {
    this.verbs.set(`${group}/${resource}/${verb}`, handler);
    this.verbResources.add(resource);
  }

  /**
   * The handler's answer. Not itself async (one promise less per request): a request no handler
   * takes may throw its Status synchronously, and a few handlers answer synchronously.
   */
  route(request: ApiRequest, info: RequestInfo, user: UserInfo, onResource: (r: ResourceRequest) => void): Promise<ApiResponse> | ApiResponse {
    if (!info.isResourceRequest) return this.nonResource(request, info);
    if (info.apiGroup === 'authorization.k8s.io' && info.apiVersion === 'v1' && info.resource === 'selfsubjectaccessreviews' && !info.name) {
      return selfSubjectAccessReview(request, user);
    }
    if (info.apiGroup === 'authentication.k8s.io' && info.apiVersion === 'v1' && info.resource === 'selfsubjectreviews' && !info.name) {
      return selfSubjectReview(request, user);
    }
    const registry = this.parts.registries.find(info.apiGroup, info.apiVersion, info.resource);
    if (!registry) notFoundPath();
    const def = registry.def;
    let namespace = info.namespace;
    if (!def.namespaced) {
      if (namespace && def.resource !== 'namespaces') notFoundPath();
      namespace = '';
    } else if (!namespace && (info.name || info.verb === 'create' || info.verb === 'deletecollection')) {
      notFoundPath();
    }
    const r: ResourceRequest = { request, info, user, registry, namespace };
    onResource(r);
    if (info.subresource) {
      const declared = def.subresources.find((s) => s.name === info.subresource);
      if (!declared && def.group === '' && def.resource === 'pods' && STREAMING.has(info.subresource)) {
        // kubectl exec/attach/port-forward/cp: say why rather than 404.
        throw badRequest(`${info.subresource} is not available for pod ${info.name}: containers in Kube Sim are simulated, so there is no process to ${info.subresource === 'portforward' ? 'forward a port to' : 'attach to'}`);
      }
      if (!declared) notFoundPath();
      // Subresources of the object's own kind (status, ephemeralcontainers, a namespace's finalize)
      // read the object and write parts of it: the generic handler, with the strategy told which.
      const sameKind = declared.kind === def.kind && (declared.group ?? def.group) === def.group;
      const handler = this.subresources.get(`${def.group}/${def.resource}/${info.subresource}`) ?? (sameKind ? statusSubresource : undefined);
      if (!declared.verbs.includes(info.verb)) methodNotAllowed();
      if (!handler) throw statusFailure(501, 'NotImplemented', `${def.resource}/${info.subresource} is not implemented by Kube Sim yet`, {});
      return handler(this.parts, r);
    }
    if (!def.verbs.includes(info.verb)) methodNotAllowed();
    const special = this.verbResources.has(def.resource) ? this.verbs.get(`${def.group}/${def.resource}/${info.verb}`) : undefined;
    if (special) return special(this.parts, r);
    switch (info.verb) {
      case 'get': return getObject(this.parts, r);
      case 'list': return listObjects(this.parts, r);
      case 'watch': return watchObjects(this.parts, r);
      case 'create': return createObject(this.parts, r);
      case 'update': return updateObject(this.parts, r);
      case 'delete': return deleteObject(this.parts, r);
      case 'deletecollection': return deleteCollection(this.parts, r);
      case 'patch': return patchObject(this.parts, r);
      default: methodNotAllowed();
    }
  }

  private async nonResource(request: ApiRequest, info: RequestInfo): Promise<ApiResponse> {
    const { path } = request;
    const registries = this.parts.registries;
    if (request.method !== 'GET' && request.method !== 'HEAD') methodNotAllowed();
    const segments = info.parts;
    if (path === '/version' || path === '/version/') return versionResponse();
    const health = healthResponse(path, request.query);
    if (health) return health;
    if (segments[0] === 'api') {
      if (segments.length === 1) return discoverCore(registries, request.headers['accept'], this.serverAddress());
      if (segments.length === 2) return discoverResources(registries, '', segments[1]!);
    }
    if (segments[0] === 'apis') {
      if (segments.length === 1) return discoverGroups(registries, request.headers['accept']);
      if (segments.length === 2) return discoverGroup(registries, segments[1]!);
      if (segments.length === 3) return discoverResources(registries, segments[1]!, segments[2]!);
    }
    if (segments[0] === 'openapi') {
      const r = openapiResponse(registries, path, request.query, request.headers);
      if (r) return r;
    }
    notFoundPath();
  }
}
