/** Query parameters and bodies, checked as kube-apiserver checks them (400 on malformed input). */
import { badRequest } from '../../api/errors';
import { jsonCopy } from '../../api/json-copy';
import type { KubeObject } from '../../api/types';
import { decodeBody, JSON_TYPE, mediaType, PROTOBUF_TYPE, YAML_TYPE } from '../body';
import { decodeProtobufObject } from '../protobuf';
import { selectionFor } from '../registry/selection';
import type { DeleteParams, ListParams } from '../registry/store';
import type { ApiRequest } from '../types';
import type { ResourceRequest } from './context';
import { checkDeleteOptionsBody } from './delete-options';

/** The request body as a fresh value the handler may mutate (in-process bodies are copied, unless handed over). */
export function readBody(request: ApiRequest, allowed: readonly string[] = [JSON_TYPE, YAML_TYPE]): unknown {
  if (request.rawBody !== undefined) {
    if (request.rawBody.length === 0) return undefined;
    return decodeBody(request.rawBody, request.headers['content-type'], allowed).value;
  }
  if (request.body === undefined) return undefined;
  return request.bodyHandedOver ? request.body : (jsonCopy(request.body) as unknown);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The body as an object to create or update. With `protobufAs`, a protobuf body (kubectl's typed
 * `create` commands) is decoded as that kind where Kube Sim can (see protobuf.ts).
 */
export function readObject(request: ApiRequest, kind: string, protobufAs?: { apiVersion: string }): KubeObject {
  if (protobufAs && request.rawBody !== undefined && mediaType(request.headers['content-type']) === PROTOBUF_TYPE) {
    return decodeProtobufObject(request.rawBody, protobufAs.apiVersion, kind, [JSON_TYPE, YAML_TYPE, PROTOBUF_TYPE]);
  }
  const value = readBody(request);
  if (value === undefined) throw badRequest('the body of the request was empty');
  if (!isPlainObject(value)) throw badRequest(`the body of the request could not be decoded as a ${kind}: expected an object`);
  if (value.metadata === undefined || value.metadata === null) value.metadata = {};
  if (!isPlainObject(value.metadata)) throw badRequest(`${kind} in version "v1" cannot be handled as a ${kind}: json: cannot unmarshal ${typeof value.metadata} into Go struct field ${kind}.metadata of type v1.ObjectMeta`);
  return value as KubeObject;
}

export function dryRunOf(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') throw badRequest(`Invalid dryRun value: ${v}`, [{ reason: 'FieldValueNotSupported', message: `Unsupported value: "${v}": supported values: "All"`, field: 'dryRun' }]);
  }
  return values.length > 0;
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid ${name} parameter: strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

export function listParams(r: ResourceRequest, extraFieldSelector?: string): ListParams {
  const q = r.request.query;
  let fieldSelector = q.get('fieldSelector');
  if (extraFieldSelector) fieldSelector = fieldSelector ? `${extraFieldSelector},${fieldSelector}` : extraFieldSelector;
  const params: ListParams = { namespace: r.namespace, selection: selectionFor(r.registry.def, q.get('labelSelector'), fieldSelector) };
  const limit = intParam(q, 'limit');
  if (limit !== undefined && limit > 0) params.limit = limit;
  const cont = q.get('continue');
  if (cont) params.continue = cont;
  const rv = q.get('resourceVersion');
  if (rv !== null) params.resourceVersion = rv;
  const match = q.get('resourceVersionMatch');
  if (match) {
    if (match !== 'Exact' && match !== 'NotOlderThan') throw badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
    const watchList = q.get('sendInitialEvents') === 'true' && match === 'NotOlderThan';
    if ((!rv && !watchList) || (match === 'Exact' && rv === '0')) throw badRequest(`resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided`);
    params.resourceVersionMatch = match;
  }
  if (cont && rv && rv !== '0') throw badRequest('specifying resource version is not allowed when using continue');
  return params;
}

export function timeoutSecondsOf(query: URLSearchParams): number | undefined {
  return intParam(query, 'timeoutSeconds');
}

const PROPAGATION = new Set(['Orphan', 'Background', 'Foreground']);

/** DeleteOptions from the body (if any) and the query (query wins, as kube-apiserver reads both). */
export function deleteParams(request: ApiRequest): { params: DeleteParams; dryRun: boolean } {
  const params: DeleteParams = {};
  let dryRun = false;
  const body = readBody(request);
  if (body !== undefined && body !== null) {
    if (!isPlainObject(body)) throw badRequest('the body of the request could not be decoded as DeleteOptions');
    checkDeleteOptionsBody(body);
    if (body.gracePeriodSeconds !== undefined && body.gracePeriodSeconds !== null) {
      if (typeof body.gracePeriodSeconds !== 'number' || !Number.isInteger(body.gracePeriodSeconds)) throw badRequest('gracePeriodSeconds must be an integer');
      params.gracePeriodSeconds = body.gracePeriodSeconds;
    }
    if (typeof body.propagationPolicy === 'string') params.propagationPolicy = body.propagationPolicy;
    if (isPlainObject(body.preconditions)) {
      const pre: DeleteParams['preconditions'] = {};
      if (typeof body.preconditions.uid === 'string') pre.uid = body.preconditions.uid;
      if (typeof body.preconditions.resourceVersion === 'string') pre.resourceVersion = body.preconditions.resourceVersion;
      params.preconditions = pre;
    }
    if (Array.isArray(body.dryRun)) {
      for (const v of body.dryRun) if (v !== 'All') throw badRequest(`Invalid dryRun value: ${String(v)}`);
      dryRun = body.dryRun.length > 0;
    }
    if (body.orphanDependents === true) params.propagationPolicy = 'Orphan';
  }
  const q = request.query;
  const grace = intParam(q, 'gracePeriodSeconds');
  if (grace !== undefined) params.gracePeriodSeconds = grace;
  const policy = q.get('propagationPolicy');
  if (policy) params.propagationPolicy = policy;
  if (params.propagationPolicy !== undefined && !PROPAGATION.has(params.propagationPolicy)) {
    throw badRequest(`propagationPolicy: Unsupported value: "${params.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  if (dryRunOf(q)) dryRun = true;
  return { params, dryRun };
}

/** The fieldManager query parameter, or (as kube-apiserver defaults it) the User-Agent up to its first `/`. */
export function fieldManagerOf(request: ApiRequest): string {
  const given = request.query.get('fieldManager');
  if (given !== null && given !== '') {
    if (given.length > 128) throw badRequest(`fieldManager: Too long: may not be more than 128 bytes`);
    return given;
  }
  const agent = request.headers['user-agent'] ?? '';
  const slash = agent.indexOf('/');
  return (slash >= 0 ? agent.slice(0, slash) : agent).slice(0, 128);
}
