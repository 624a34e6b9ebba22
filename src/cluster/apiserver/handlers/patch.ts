/**
 * PATCH with the four content types kube-apiserver takes: JSON patch, JSON merge patch, strategic
 * merge patch (merge keys and directives from the schema), and server-side apply. The patch is
 * applied to the live object inside the registry's compare-and-swap loop, so a concurrent write
 * makes it re-apply to the fresh object rather than lose that write. A patch that carries a
 * resourceVersion or a uid makes it a precondition (409 when stale), as kube-apiserver does.
 */
import { badRequest, conflict, OBJECT_MODIFIED, statusFailure, StatusError, unsupportedMediaType } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import { decodeBody, mediaType, PATCH_TYPES } from '../body';
import { fieldValidationOf, validateFields } from '../field-validation';
import { applyJsonPatch, JsonPatchError } from '../patch/json-patch';
import type { JsonObject } from '../patch/json-value';
import { applyMergePatch } from '../patch/merge-patch';
import { applyStrategicMergePatch, StrategicMergePatchError } from '../patch/strategic-merge-patch';
import { patchMetaLookup } from '../schema';
import type { ApiResponse } from '../types';
import type { ResourceRequest, ServerParts } from './context';
import { dryRunOf, fieldManagerOf, isPlainObject } from './params';
import { rawJsonResponse } from './responses';
import { applyPatch } from './apply';

const ACCEPTED = [PATCH_TYPES.json, PATCH_TYPES.merge, PATCH_TYPES.strategic, PATCH_TYPES.apply];


function patchBody(r: ResourceRequest): { type: string; value: unknown } {
  const type = mediaType(r.request.headers['content-type']);
  if (!ACCEPTED.includes(type as (typeof ACCEPTED)[number])) throw unsupportedMediaType(ACCEPTED);
  if (r.request.rawBody !== undefined) return { type, value: decodeBody(r.request.rawBody, type, ACCEPTED).value };
  if (r.request.body === undefined) throw badRequest('the body of the request was empty');
  return { type, value: JSON.parse(JSON.stringify(r.request.body)) as unknown };
}

/** kube-apiserver hides json-patch's own error text behind this generic 422. */
function jsonPatchFailed(err: JsonPatchError): StatusError {
  const e = statusFailure(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  void err;
  return e;
}

function smpFailed(err: StrategicMergePatchError): StatusError {
  if (err.kind === 'BadRequest') return badRequest(err.message);
  if (err.kind === 'Invalid') return statusFailure(422, 'Invalid', err.message, {});
  return statusFailure(500, 'InternalError', `Internal error occurred: ${err.message}`, { causes: [{ message: err.message }] });
}

export async function patchObject(parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  const { type, value } = patchBody(r);
  const mode = fieldValidationOf(r.request.query);
  const dryRun = dryRunOf(r.request.query);
  if (type === PATCH_TYPES.apply) {
    if (!isPlainObject(value)) throw badRequest('error decoding YAML: the apply patch must be an object');
    return applyPatch(parts, r, value as JsonObject);
  }
  if (type === PATCH_TYPES.json) {
    if (!Array.isArray(value)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  } else if (!isPlainObject(value)) {
    throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
  }
  const def = r.registry.def;
  let warnings: string[] = [];
  const { text } = await r.registry.guaranteedUpdate(r.namespace, r.info.name, { user: r.user, dryRun, subresource: r.info.subresource, fieldManager: fieldManagerOf(r.request) }, (current) => {
    let patched: KubeObject;
    try {
      if (type === PATCH_TYPES.json) patched = applyJsonPatch(current, value as JsonObject[]);
      else if (type === PATCH_TYPES.merge) patched = applyMergePatch(current, value as JsonObject);
      else patched = applyStrategicMergePatch(current, value as JsonObject, patchMetaLookup(def));
    } catch (err) {
      if (err instanceof JsonPatchError) throw jsonPatchFailed(err);
      if (err instanceof StrategicMergePatchError) throw smpFailed(err);
      throw err;
    }
    if (!isPlainObject(patched) || !isPlainObject(patched.metadata)) throw badRequest('the patched object must have metadata');
    const meta = patched.metadata;
    if (meta.resourceVersion && meta.resourceVersion !== current.metadata.resourceVersion) throw conflict(r.registry.gr, r.info.name, OBJECT_MODIFIED);
    if (meta.uid && meta.uid !== current.metadata.uid) {
      throw conflict(r.registry.gr, r.info.name, `Precondition failed: UID in precondition: ${String(meta.uid)}, UID in object meta: ${current.metadata.uid ?? ''}`);
    }
    if (meta.name !== undefined && meta.name !== r.info.name) {
      throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${r.info.name})`);
    }
    warnings = validateFields(def, patched, mode);
    return patched;
  });
  return rawJsonResponse(200, text, warnings);
}
