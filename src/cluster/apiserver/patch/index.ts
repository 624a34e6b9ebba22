/**
 * PATCH for the API server: one entry, `applyPatch(type, live, body, ctx)`, over the four patch
 * types kube-apiserver 1.32 accepts. Pure: it never reads or writes the store.
 *
 * Contract with the PATCH handler (APISERVER):
 * - `type` is the request's Content-Type without parameters. Anything but PATCH_TYPES is 415
 *   UnsupportedMediaType listing them, as kube-apiserver does.
 * - `body` is the raw body (Buffer or string, HTTPS) or the parsed value (in-process). Malformed
 *   bodies are 400 BadRequest with kube-apiserver's wording.
 * - `ctx.fieldManager`, `ctx.force`, `ctx.fieldValidation` are the query parameters as sent
 *   (undefined when absent). PatchOptions are validated first: apply without fieldManager, or force
 *   on another patch type, is 422 `PatchOptions.meta.k8s.io "" is invalid: ...`.
 * - json-patch / merge-patch / strategic-merge-patch need the live object: with `live` undefined they
 *   throw 404 NotFound for `ctx.resource`/`ctx.name`. They return the patched object with
 *   metadata.managedFields as the patch left it; the handler then defaults and calls `recordUpdate`
 *   (server-side-apply.ts) with `managerFor(ctx)`, as for PUT, before mutating admission (see there).
 * - apply-patch+yaml creates the object when `live` is undefined (`created: true`, answer 201) and
 *   returns it with managedFields already computed: the handler defaults and runs the strategy but
 *   does not call recordUpdate. A conflict is 409 with FieldManagerConflict causes.
 * - Patch failures are answered as kube-apiserver answers them: a JSON patch that does not apply
 *   (failed test, missing path) is 422 Invalid "the server rejected our request due to an error in
 *   our request" (kube-apiserver drops json-patch's own text; we keep it on the error as
 *   `patchDetail`, for logs), malformed strategic-merge directives are 400, lists of lists 422,
 *   other strategic-merge failures 500 without a reason.
 * - Unknown-field checks (fieldValidation) are the handler's: they need the schema, not the patch.
 */
import { parse as parseYaml } from 'yaml';
import { badRequest, invalid, notFound, statusFailure, StatusError, unsupportedMediaType, type GroupResource } from '../../api/errors';
import { forbidden, required, tooLong } from '../../api/field-errors';
import type { KubeObject, Status } from '../../api/types';
import { applyJsonPatch, JsonPatchError } from './json-patch';
import { isObject, jsonTypeName, type JsonObject } from './json-value';
import { applyMergePatch } from './merge-patch';
import type { MetaLookup } from './patch-meta';
import { apply, type PatchResult } from './server-side-apply';
import { applyStrategicMergePatch, StrategicMergePatchError } from './strategic-merge-patch';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';
/** In kube-apiserver's order (the 415 message lists them so). */
export const PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH] as const;
export type PatchType = (typeof PATCH_TYPES)[number];

export const MAX_JSON_PATCH_OPERATIONS = 10000;
const FIELD_MANAGER_MAX_LENGTH = 128;

export interface PatchContext {
  /** The resource's group/version/kind (apiVersion of the result, apply checks). */
  group: string;
  version: string;
  kind: string;
  /** For 404s on non-apply patches: `{group: '', resource: 'pods'}` and the object's name. */
  resource: GroupResource;
  name: string;
  subresource?: string;
  meta: MetaLookup;
  fieldManager?: string;
  userAgent?: string;
  force?: boolean;
  /** `Strict`, `Warn` (kube-apiserver's default when absent) or `Ignore`. */
  fieldValidation?: string;
  /** The cluster clock. */
  now: number | string;
}

export interface PatchOutcome {
  object: JsonObject;
  /** Only for apply: the object did not exist and was created. */
  created: boolean;
  /** Only meaningful for apply: false when the result is exactly `live` (no write needed). */
  changed: boolean;
}

/** The manager a non-apply write is recorded under: fieldManager, else the user agent up to its first `/`. */
export function managerFor(ctx: Pick<PatchContext, 'fieldManager' | 'userAgent'>): string {
  if (ctx.fieldManager) return ctx.fieldManager;
  let out = '';
  for (const ch of (ctx.userAgent ?? '').split('/')[0]!) {
    if (!/\P{C}/u.test(ch)) continue;
    if (Buffer.byteLength(out + ch) > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
  }
  return out;
}

/** PatchOptions checks kube-apiserver makes before reading the patch (422 PatchOptions.meta.k8s.io). */
export function validatePatchOptions(type: PatchType, ctx: PatchContext): void {
  const errs = [];
  if (type === APPLY_PATCH) {
    if (!ctx.fieldManager) errs.push(required('fieldManager', 'is required for apply patch'));
  } else if (ctx.force !== undefined) {
    errs.push(forbidden('force', 'may not be specified for non-apply patch'));
  }
  if (ctx.fieldManager && Buffer.byteLength(ctx.fieldManager) > FIELD_MANAGER_MAX_LENGTH) errs.push(tooLong('fieldManager', FIELD_MANAGER_MAX_LENGTH));
  if (errs.length > 0) throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', errs);
}

/** The message Go's encoding/json gives for text that is not JSON. */
function goSyntaxError(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'unexpected end of JSON input';
  try {
    JSON.parse(trimmed);
    return '';
  } catch (err) {
    const message = (err as Error).message;
    const token = /Unexpected token '(.)'/.exec(message)?.[1];
    const at = /position (\d+)/.exec(message);
    const ch = token ?? (at ? trimmed[Number(at[1])] : undefined);
    return ch === undefined ? 'unexpected end of JSON input' : `invalid character '${ch}' looking for beginning of value`;
  }
}

function decodeJson(body: unknown, prefix: string): unknown {
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const text = body.toString();
    try {
      return JSON.parse(text);
    } catch {
      throw badRequest(`${prefix}${goSyntaxError(text)}`);
    }
  }
  return body;
}

function decodeYaml(body: unknown): unknown {
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      return parseYaml(body.toString(), { maxAliasCount: 100 });
    } catch (err) {
      throw badRequest(`error decoding YAML: ${(err as Error).message}`);
    }
  }
  return body;
}

function strict(ctx: PatchContext): boolean {
  return ctx.fieldValidation !== 'Ignore';
}

/** 422 with kube-apiserver's generic text (NewGenericServerResponse drops the patch library's message). */
function unprocessable(detail: string): StatusError {
  const err = statusFailure(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  return Object.assign(err, { patchDetail: detail });
}

function internalUnknown(message: string): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 };
  return new StatusError(status);
}

function decodeJsonPatch(body: unknown, ctx: PatchContext): JsonObject[] {
  const ops = decodeJson(body, strict(ctx) ? 'error decoding patch: ' : '');
  const fail = (what: string, goType: string) => {
    const message = `json: cannot unmarshal ${what} into Go value of type ${goType}`;
    return badRequest(strict(ctx) ? `error decoding patch: ${message}` : message);
  };
  if (!Array.isArray(ops)) throw fail(jsonTypeName(ops), strict(ctx) ? '[]handlers.jsonPatchOp' : 'jsonpatch.Patch');
  for (const op of ops) {
    if (!isObject(op)) throw fail(jsonTypeName(op), strict(ctx) ? 'handlers.jsonPatchOp' : 'jsonpatch.Operation');
    if (strict(ctx)) {
      for (const field of ['op', 'path', 'from'] as const) {
        if (op[field] !== undefined && op[field] !== null && typeof op[field] !== 'string') {
          throw badRequest(`error decoding patch: json: cannot unmarshal ${jsonTypeName(op[field])} into Go struct field jsonPatchOp.${field} of type string`);
        }
      }
    }
  }
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw statusFailure(413, 'RequestEntityTooLarge', `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  return ops as JsonObject[];
}

/** A decoded patch that must be a JSON object, worded as Go's decoder rejects other values. */
function asObjectPatch(patch: unknown, prefix: string): JsonObject {
  if (!isObject(patch)) throw badRequest(`${prefix}json: cannot unmarshal ${jsonTypeName(patch)} into Go value of type map[string]interface {}`);
  return patch;
}

function requireLive(live: KubeObject | JsonObject | undefined, ctx: PatchContext): JsonObject {
  if (!live) throw notFound(ctx.resource, ctx.name);
  return live as JsonObject;
}

/**
 * `ownsLive`: `live` is the caller's fresh copy (the registry decodes one per attempt), which the
 * JSON patch types may then change in place instead of copying; server-side apply never does.
 */
export function applyPatch(type: string, live: KubeObject | JsonObject | undefined, body: unknown, ctx: PatchContext, ownsLive = false): PatchOutcome {
  if (!(PATCH_TYPES as readonly string[]).includes(type)) throw unsupportedMediaType([...PATCH_TYPES]);
  const patchType = type as PatchType;
  validatePatchOptions(patchType, ctx);
  const done = (object: JsonObject): PatchOutcome => ({ object, created: false, changed: true });

  switch (patchType) {
    case JSON_PATCH: {
      const ops = decodeJsonPatch(body, ctx);
      const current = requireLive(live, ctx);
      try {
        return done(applyJsonPatch(current, ops, ownsLive));
      } catch (err) {
        if (err instanceof JsonPatchError) throw unprocessable(err.message);
        throw err;
      }
    }
    case MERGE_PATCH: {
      // evanphx's MergePatch rejects a null patch; with strict decoding (the default) any non-object fails first.
      const patch = decodeJson(body, strict(ctx) ? 'error decoding patch: ' : '');
      if (patch === null || (!strict(ctx) && !isObject(patch))) throw badRequest('Invalid JSON Patch');
      return done(applyMergePatch(requireLive(live, ctx), asObjectPatch(patch, 'error decoding patch: '), ownsLive));
    }
    case STRATEGIC_MERGE_PATCH: {
      const decoded = decodeJson(body, '');
      const patch = decoded === null ? {} : asObjectPatch(decoded, '');
      const current = requireLive(live, ctx);
      try {
        return done(applyStrategicMergePatch(current, patch, ctx.meta, ownsLive));
      } catch (err) {
        if (!(err instanceof StrategicMergePatchError)) throw err;
        if (err.kind === 'BadRequest') throw badRequest(err.message);
        if (err.kind === 'Invalid') throw unprocessable(err.message);
        throw internalUnknown(err.message);
      }
    }
    case APPLY_PATCH: {
      const decoded = decodeYaml(body);
      const config = decoded === undefined || decoded === null ? {} : decoded;
      if (!isObject(config)) {
        throw badRequest(`error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonTypeName(config)} into Go value of type map[string]interface {}`);
      }
      const result: PatchResult = apply({
        live,
        config,
        manager: ctx.fieldManager!,
        force: ctx.force ?? false,
        apiVersion: ctx.group ? `${ctx.group}/${ctx.version}` : ctx.version,
        kind: ctx.kind,
        ...(ctx.subresource ? { subresource: ctx.subresource } : {}),
        now: ctx.now,
        meta: ctx.meta,
      });
      return { object: result.object, created: !live, changed: result.changed };
    }
  }
}

export { applyJsonPatch, JsonPatchError } from './json-patch';
export { applyMergePatch } from './merge-patch';
export { applyStrategicMergePatch, StrategicMergePatchError } from './strategic-merge-patch';
export { apply, recordUpdate, defaultResetFields, LAST_APPLIED_ANNOTATION } from './server-side-apply';
export type { ApplyOptions, RecordUpdateOptions, PatchResult } from './server-side-apply';
export { schemaMetaLookup } from './schema-meta';
export { metaFromTable, noMeta } from './patch-meta';
export type { MetaLookup, PatchMeta } from './patch-meta';
