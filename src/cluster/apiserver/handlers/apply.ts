/**
 * Server-side apply (PATCH with application/apply-patch+yaml): `applyPatch` (patch/index.ts) merges
 * the configuration into the live object, keeps managedFields and raises ownership conflicts; this
 * handler adds the schema checks of fieldValidation, runs it in the registry's CAS loop, and creates
 * the object when it does not exist yet (201), as kube-apiserver does.
 */
import { badRequest, isStatusError } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import { validateFields } from '../field-validation';
import { APPLY_PATCH, applyPatch, type PatchContext } from '../patch';
import { fieldIndex } from '../schema';
import { findUndeclaredFields } from '../../../schema/undeclared-fields';
import type { ApiResponse } from '../types';
import type { ResourceRequest, ServerParts } from './context';
import { dryRunOf, isPlainObject } from './params';
import { rawJsonResponse } from './responses';

/**
 * The object in structured-merge-diff's errors, as kube-apiserver prints it: `namespace/name;
 * group/version, Kind=Kind` from the configuration (`default/nginx; /v1, Kind=Pod`, and
 * `/node-1; /v1, Kind=Node` for a cluster-scoped object).
 */
export function typedObjectRef(config: Record<string, unknown>, r: ResourceRequest): string {
  const def = r.registry.def;
  const meta = isPlainObject(config.metadata) ? config.metadata : {};
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : def.namespaced ? r.namespace : '';
  const name = typeof meta.name === 'string' ? meta.name : r.info.name;
  return `${namespace}/${name}; ${def.group}/${def.version}, Kind=${def.kind}`;
}

export async function applyObject(parts: ServerParts, r: ResourceRequest, config: unknown, ctx: PatchContext): Promise<ApiResponse> {
  const def = r.registry.def;
  const mode = ctx.fieldValidation ?? 'Warn';
  let warnings: string[] = [];
  if (isPlainObject(config)) {
    if (mode === 'Strict') {
      const idx = fieldIndex();
      const undeclared = idx ? findUndeclaredFields(idx, { group: def.group, version: def.version, kind: def.kind }, config) : [];
      if (undeclared.length > 0) {
        throw badRequest(`failed to create typed patch object (${typedObjectRef(config, r)}): ${undeclared.map((p) => `${p}: field not declared in schema`).join('\n')}`);
      }
    } else {
      warnings = validateFields(def, config as KubeObject, mode === 'Ignore' ? 'Ignore' : 'Warn');
    }
    const configMeta = isPlainObject(config.metadata) ? config.metadata : {};
    if (configMeta.name !== undefined && configMeta.name !== r.info.name) {
      throw badRequest(`the name of the object (${String(configMeta.name)}) does not match the name on the URL (${r.info.name})`);
    }
  }
  const dryRun = dryRunOf(r.request.query);
  const subresource = r.info.subresource;
  try {
    const updated = await r.registry.guaranteedUpdate(r.namespace, r.info.name, { user: r.user, dryRun, subresource }, (current) => {
      return applyPatch(APPLY_PATCH, current, config, { ...ctx, now: parts.clock.now() }).object as KubeObject;
    });
    return rawJsonResponse(200, updated, [...warnings, ...updated.warnings]);
  } catch (err) {
    if (!isStatusError(err, 'NotFound') || subresource) throw err;
  }
  // Not there: the apply creates it.
  // A copy of the merge's object, whose members the merge may have deleted (dropped nulls, removed
  // fields): the registry may store the object it creates as itself (registry/created-shape.ts).
  const applied = applyPatch(APPLY_PATCH, undefined, config, { ...ctx, now: parts.clock.now() }).object as KubeObject;
  const created: KubeObject = { ...applied, metadata: { ...(applied.metadata ?? {}), name: r.info.name } };
  if (def.namespaced) created.metadata.namespace = r.namespace;
  const result = await r.registry.create(r.namespace, created, { user: r.user, dryRun });
  return rawJsonResponse(201, result, [...warnings, ...result.warnings]);
}
