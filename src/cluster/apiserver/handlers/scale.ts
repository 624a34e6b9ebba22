/**
 * The `scale` subresource of Deployments and ReplicaSets (pkg/registry/apps/*\/storage: ScaleREST):
 * an autoscaling/v1 Scale made from the object (spec.replicas, status.replicas, the selector as
 * text); writing it (PUT or PATCH of the Scale) changes the object's spec.replicas through the
 * object's own update strategy, so the generation moves as for any spec change. A resourceVersion
 * in the Scale is a precondition on the object.
 */
import { badRequest, conflict, invalid as invalidStatus, OBJECT_MODIFIED, unsupportedMediaType } from '../../api/errors';
import { FieldPath, invalid } from '../../api/field-errors';
import { labelSelectorAsSelector, type LabelSelectorSpec } from '../../api/labels';
import type { KubeObject } from '../../api/types';
import { IS_NEGATIVE_ERROR_MSG } from '../../api/validation/names';
import { mediaType } from '../body';
import { APPLY_PATCH, applyPatch, managerFor, noMeta, PATCH_TYPES, validatePatchOptions, type PatchContext, type PatchType } from '../patch';
import type { ApiResponse } from '../types';
import type { ResourceRequest, ServerParts } from './context';
import { dryRunOf, fieldManagerOf, isPlainObject, readBody } from './params';
import { jsonResponse } from './responses';

type Obj = Record<string, unknown>;

/** scaleFromDeployment / scaleFromReplicaSet. */
export function scaleOf(object: KubeObject): KubeObject {
  const spec = (object.spec ?? {}) as { replicas?: number; selector?: LabelSelectorSpec };
  const status = (object.status ?? {}) as { replicas?: number };
  let selector = '';
  try {
    selector = labelSelectorAsSelector(spec.selector).toString();
  } catch {
    // kube-apiserver fails the request for an unparsable selector; validation keeps them out of storage.
  }
  const meta = object.metadata;
  const metadata: KubeObject['metadata'] = { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp };
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector },
  };
}

/** ValidateScale, then the new replicas on a fresh copy of the object. */
function scaled(r: ResourceRequest, current: KubeObject, scale: unknown): KubeObject {
  if (!isPlainObject(scale)) throw badRequest('the body of the request could not be decoded as a Scale: expected an object');
  const meta = (isPlainObject(scale.metadata) ? scale.metadata : {}) as Obj;
  const spec = (isPlainObject(scale.spec) ? scale.spec : {}) as Obj;
  const replicas = spec.replicas === undefined || spec.replicas === null ? 0 : spec.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) throw badRequest(`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
  if (replicas < 0) {
    throw invalidStatus({ group: 'autoscaling', kind: 'Scale' }, r.info.name, [invalid(FieldPath.root('spec').child('replicas').toString(), replicas, IS_NEGATIVE_ERROR_MSG)]);
  }
  if (typeof meta.resourceVersion === 'string' && meta.resourceVersion && meta.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(r.registry.gr, r.info.name, OBJECT_MODIFIED);
  }
  (current.spec as Obj | undefined ?? (current.spec = {}) as Obj).replicas = replicas;
  return current;
}

function respond(text: string): ApiResponse {
  return jsonResponse(200, scaleOf(JSON.parse(text) as KubeObject));
}

export async function scaleSubresource(parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  const write = { user: r.user, dryRun: dryRunOf(r.request.query), subresource: 'scale' };
  switch (r.info.verb) {
    case 'get':
      return jsonResponse(200, scaleOf(await r.registry.get(r.namespace, r.info.name)));
    case 'update': {
      const body = readBody(r.request);
      if (body === undefined) throw badRequest('the body of the request was empty');
      const result = await r.registry.guaranteedUpdate(r.namespace, r.info.name, { ...write, fieldManager: fieldManagerOf(r.request) }, (current) => scaled(r, current, body));
      return respond(result.text);
    }
    case 'patch': {
      const type = mediaType(r.request.headers['content-type']);
      if (!(PATCH_TYPES as readonly string[]).includes(type) || type === APPLY_PATCH) throw unsupportedMediaType(PATCH_TYPES.filter((t) => t !== APPLY_PATCH));
      const raw = r.request.rawBody;
      const body = raw !== undefined ? raw.toString('utf8') : typeof r.request.body === 'string' ? r.request.body : JSON.stringify(r.request.body ?? null);
      const ctx: PatchContext = {
        group: 'autoscaling', version: 'v1', kind: 'Scale', resource: r.registry.gr, name: r.info.name, meta: noMeta, fieldValidation: 'Ignore', now: parts.clock.now(), subresource: 'scale',
      };
      const manager = r.request.query.get('fieldManager');
      if (manager) ctx.fieldManager = manager;
      const agent = r.request.headers['user-agent'];
      if (agent) ctx.userAgent = agent;
      validatePatchOptions(type as PatchType, ctx);
      const result = await r.registry.guaranteedUpdate(r.namespace, r.info.name, { ...write, fieldManager: managerFor(ctx) }, (current) => {
        const patched = applyPatch(type, scaleOf(current), body, ctx, true).object;
        return scaled(r, current, patched);
      });
      return respond(result.text);
    }
    default:
      throw badRequest(`${r.info.verb} is not supported on ${r.registry.def.resource}/scale`);
  }
}
