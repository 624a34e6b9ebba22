/**
 * PATCH with the four content types kube-apiserver takes. The patch itself (decoding, PatchOptions
 * checks, the patch types' exact errors) is src/cluster/apiserver/patch/index.ts `applyPatch`; this
 * handler feeds it the live object inside the registry's compare-and-swap loop, so a concurrent
 * write makes it re-apply to the fresh object rather than lose that write. A patch that carries a
 * resourceVersion or a uid makes it a precondition (409 when stale), as kube-apiserver does.
 */
import { badRequest, conflict, OBJECT_MODIFIED, unsupportedMediaType } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import { structuredCopy } from '../../api/json-copy';
import { checkJsonDepth, MAX_BODY_BYTES, mediaType, parseYaml } from '../body';
import { fieldValidationOf, validateFields } from '../field-validation';
import { APPLY_PATCH, applyPatch, managerFor, MERGE_PATCH, PATCH_TYPES, validatePatchOptions, type PatchContext, type PatchType } from '../patch';
import { patchMetaLookup } from '../schema';
import type { ApiResponse } from '../types';
import type { WriteContext } from '../registry/store';
import { applyObject } from './apply';
import type { ResourceRequest, ServerParts } from './context';
import { dryRunOf, isPlainObject } from './params';
import { rawJsonResponse } from './responses';

/**
 * The body as `applyPatch` takes it: JSON patch types as text (bounded in size and depth, decoded
 * there with kube-apiserver's messages), apply's YAML decoded here with bounded aliases and depth;
 * in-process bodies are values already (copied: the patch may keep parts of them), but for a merge
 * patch's, which is only read and whose added values are copied (merge-patch.ts): an in-process
 * caller hands its patch over and does not change it until the write is answered (a kubelet's
 * status patch, most of the status writes, was copied three times).
 */
function patchBody(r: ResourceRequest, type: PatchType): unknown {
  const raw = r.request.rawBody;
  if (raw === undefined) {
    const body = r.request.body;
    if (body === undefined) throw badRequest('the body of the request was empty');
    return typeof body === 'string' || type === MERGE_PATCH ? body : structuredCopy(body);
  }
  if (raw.length > MAX_BODY_BYTES) throw badRequest('the request body is too large');
  const text = raw.toString('utf8');
  if (type === APPLY_PATCH) return text.trim() === '' ? {} : parseYaml(text);
  checkJsonDepth(text);
  return text;
}

function patchContext(parts: ServerParts, r: ResourceRequest): PatchContext {
  const q = r.request.query;
  const def = r.registry.def;
  const forceParam = q.get('force');
  if (forceParam !== null && forceParam !== 'true' && forceParam !== 'false') throw badRequest(`invalid force parameter: ${forceParam}`);
  const ctx: PatchContext = {
    group: def.group, version: def.version, kind: def.kind, resource: r.registry.gr, name: r.info.name,
    meta: patchMetaLookup(def), fieldValidation: fieldValidationOf(q), now: parts.clock.now(),
  };
  if (r.info.subresource) ctx.subresource = r.info.subresource;
  const manager = q.get('fieldManager');
  if (manager !== null && manager !== '') ctx.fieldManager = manager;
  const agent = r.request.headers['user-agent'];
  if (agent) ctx.userAgent = agent;
  if (forceParam !== null) ctx.force = forceParam === 'true';
  return ctx;
}

/** WriteContext.untouched by which of spec (1) and metadata (2) a merge patch leaves alone. */
const UNTOUCHED: readonly ReadonlySet<string>[] = [new Set(), new Set(['spec']), new Set(['metadata']), new Set(['spec', 'metadata'])];

export async function patchObject(parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  const type = mediaType(r.request.headers['content-type']);
  if (!(PATCH_TYPES as readonly string[]).includes(type)) throw unsupportedMediaType([...PATCH_TYPES]);
  const ctx = patchContext(parts, r);
  validatePatchOptions(type as PatchType, ctx);
  const body = patchBody(r, type as PatchType);
  if (type === APPLY_PATCH) return applyObject(parts, r, body, ctx);

  const def = r.registry.def;
  const mode = fieldValidationOf(r.request.query);
  let warnings: string[] = [];
  const write: WriteContext = { user: r.user, dryRun: dryRunOf(r.request.query), subresource: r.info.subresource, fieldManager: managerFor(ctx) };
  // A merge patch changes only the top-level fields it names (an in-process body is an object
  // already; a text body is decoded by applyPatch and not looked into here). A metadata of the uid
  // alone (the kubelet's status patches) changes nothing: it is a precondition, checked below.
  if (type === MERGE_PATCH && isPlainObject(body)) {
    const touchesMetadata = 'metadata' in body && !uidOnly(body.metadata);
    const untouched = UNTOUCHED[('spec' in body ? 0 : 1) + (touchesMetadata ? 0 : 2)]!;
    if (untouched.size > 0) write.untouched = untouched;
    const replaced = replacedMembers(body.status);
    if (replaced !== undefined) write.replacedStatus = replaced;
  }
  const result = await r.registry.guaranteedUpdate(r.namespace, r.info.name, write, (current) => {
    // `current` is the registry's fresh copy: the patch goes into it in place, so what the
    // preconditions compare with is read first.
    const { resourceVersion, uid } = current.metadata;
    const patched = applyPatch(type, current, body, ctx, true).object as KubeObject;
    if (!isPlainObject(patched) || !isPlainObject(patched.metadata)) throw badRequest('the patched object must have metadata');
    const meta = patched.metadata;
    if (meta.resourceVersion && meta.resourceVersion !== resourceVersion) throw conflict(r.registry.gr, r.info.name, OBJECT_MODIFIED);
    if (meta.uid && meta.uid !== uid) {
      throw conflict(r.registry.gr, r.info.name, `Precondition failed: UID in precondition: ${String(meta.uid)}, UID in object meta: ${uid ?? ''}`);
    }
    if (meta.name !== undefined && meta.name !== r.info.name) {
      throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${r.info.name})`);
    }
    warnings = validateFields(def, patched, mode);
    return patched;
  });
  return rawJsonResponse(200, result, [...warnings, ...result.warnings]);
}

/**
 * The members of `status` a merge patch's status replaces whole: those it gives a list, a scalar
 * or null (merged into nothing, deleted for null), as JSON has them. Undefined when it gives none,
 * or when the status is not merged member by member.
 */
function replacedMembers(status: unknown): Set<string> | undefined {
  if (!isPlainObject(status) || typeof status.toJSON === 'function') return undefined;
  let replaced: Set<string> | undefined;
  for (const key in status) {
    const value = status[key];
    const whole = value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) || Array.isArray(value);
    if (whole && key !== '__proto__') (replaced ??= new Set()).add(key);
  }
  return replaced;
}

/** A patch's metadata that names the uid and nothing else. */
function uidOnly(metadata: unknown): boolean {
  if (!isPlainObject(metadata) || typeof metadata.uid !== 'string') return false;
  for (const key in metadata) if (key !== 'uid') return false;
  return true;
}
