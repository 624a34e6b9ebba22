/**
 * What a request is about, parsed from its path and method as kube-apiserver's RequestInfoFactory
 * does (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go). Authorization, audit and routing
 * all read this one parse.
 *
 * Resource paths:
 *   /api/v1/<resource>[/<name>[/<subresource>]]
 *   /api/v1/namespaces/<ns>/<resource>[/<name>[/<subresource>]]
 *   /apis/<group>/<version>/...                      (same shapes)
 *   /api/v1/namespaces/<ns>                           (the namespace object itself)
 * Everything else (/version, /api, /apis, /openapi/v3, /healthz) is a non-resource request.
 */

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | string;

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection; for non-resource requests the lower-cased HTTP method. */
  verb: Verb;
  /** `api` or `apis`, '' for non-resource requests. */
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** The decoded path segments after the prefix. */
  parts: string[];
}

const NON_RESOURCE: Omit<RequestInfo, 'path' | 'verb' | 'parts'> = {
  isResourceRequest: false,
  apiPrefix: '',
  apiGroup: '',
  apiVersion: '',
  namespace: '',
  resource: '',
  subresource: '',
  name: '',
};

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function isWatch(query: URLSearchParams): boolean {
  const w = query.get('watch');
  return w === 'true' || w === '1';
}

/** Splits a path into decoded segments; undefined when a segment does not decode (bad escape). */
export function splitPath(path: string): string[] | undefined {
  const out: string[] = [];
  // Only an escaped segment needs decoding (and can be malformed); most paths have none.
  const escaped = path.includes('%');
  for (let start = 0; start < path.length;) {
    let end = path.indexOf('/', start);
    if (end < 0) end = path.length;
    if (end > start) {
      const raw = path.slice(start, end);
      if (!escaped || !raw.includes('%')) out.push(raw);
      else {
        try {
          out.push(decodeURIComponent(raw));
        } catch {
          return undefined;
        }
      }
    }
    start = end + 1;
  }
  return out;
}

/**
 * The info of recent POSTs by path, frozen (the info is read, never changed, by authorization,
 * audit and routing): what a POST is depends on its path alone, and creates come to a few
 * collections again and again (every kubelet event to its namespace's events). Dropped whole when
 * full, so that paths met once (a named subresource's, a stranger's) cannot grow it.
 */
const postInfos = new Map<string, RequestInfo>();
const MAX_POST_INFOS = 256;

/** The info of a request; the same frozen object for POSTs to the same path (see postInfos). */
export function requestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  if (method !== 'POST') return parsedInfo(method, path, query);
  let info = postInfos.get(path);
  if (info === undefined) {
    info = parsedInfo(method, path, query);
    Object.freeze(info.parts);
    Object.freeze(info);
    if (postInfos.size >= MAX_POST_INFOS) postInfos.clear();
    postInfos.set(path, info);
  }
  return info;
}

function parsedInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const segments = splitPath(path) ?? [];
  const httpVerb = method.toLowerCase();
  const nonResource = (): RequestInfo => ({ ...NON_RESOURCE, path, verb: httpVerb, parts: segments });

  let parts: string[];
  let apiPrefix: string;
  let apiGroup = '';
  let apiVersion: string;
  if (segments[0] === 'api') {
    if (segments.length < 3) return nonResource();
    apiPrefix = 'api';
    apiVersion = segments[1]!;
    parts = segments.slice(2);
  } else if (segments[0] === 'apis') {
    if (segments.length < 4) return nonResource();
    apiPrefix = 'apis';
    apiGroup = segments[1]!;
    apiVersion = segments[2]!;
    parts = segments.slice(3);
  } else {
    return nonResource();
  }

  let namespace = '';
  // /namespaces/<ns>/<resource>/...: a namespaced request. /namespaces and /namespaces/<ns>[/status|finalize] are the
  // namespace resource itself.
  if (parts[0] === 'namespaces' && parts.length >= 2) {
    namespace = parts[1]!;
    // /namespaces/<ns>/status and /finalize are subresources of the namespace itself, whose namespace is its name.
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
  }

  const resource = parts[0] ?? '';
  const name = parts[1] ?? '';
  const subresource = parts.length >= 3 ? parts.slice(2).join('/') : '';

  let verb: Verb;
  switch (method) {
    case 'POST': verb = 'create'; break;
    case 'GET': case 'HEAD': verb = 'get'; break;
    case 'PUT': verb = 'update'; break;
    case 'PATCH': verb = 'patch'; break;
    case 'DELETE': verb = 'delete'; break;
    default: verb = httpVerb;
  }
  if (!name) {
    if (verb === 'get') verb = isWatch(query) ? 'watch' : 'list';
    else if (verb === 'delete') verb = 'deletecollection';
  } else if (verb === 'get' && isWatch(query) && !subresource) {
    // A watch on a single object (?watch=true on a named GET) is a watch with a name field selector.
    verb = 'watch';
  }
  return { isResourceRequest: true, path, verb, apiPrefix, apiGroup, apiVersion, namespace, resource, subresource, name, parts };
}
