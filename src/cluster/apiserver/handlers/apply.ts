/**
 * Server-side apply (PATCH with application/apply-patch+yaml): the configuration is merged into the
 * live object by src/cluster/apiserver/patch/server-side-apply.ts, which also keeps managedFields and
 * raises ownership conflicts; this handler runs it in the registry's CAS loop, and creates the
 * object when it does not exist yet (201), as kube-apiserver does.
 */
import { badRequest, isStatusError, statusFailure } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import { fieldValidationOf, validateFields } from '../field-validation';
import type { JsonObject } from '../patch/json-value';
import { apply } from '../patch/server-side-apply';
import { fieldIndex, patchMetaLookup } from '../schema';
import { findUndeclaredFields } from '../../../schema/undeclared-fields';
import type { ApiResponse } from '../types';
import type { ResourceRequest, ServerParts } from './context';
import { dryRunOf } from './params';
import { rawJsonResponse } from './responses';

export async function applyPatch(parts: ServerParts, r: ResourceRequest, config: JsonObject): Promise<ApiResponse> {
  const q = r.request.query;
  const manager = q.get('fieldManager');
  if (!manager) throw statusFailure(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {});
  const forceParam = q.get('force');
  if (forceParam !== null && forceParam !== 'true' && forceParam !== 'false') throw badRequest(`invalid force parameter: ${forceParam}`);
  const force = forceParam === 'true';
  const mode = fieldValidationOf(q);
  const dryRun = dryRunOf(q);
  const def = r.registry.def;
  const subresource = r.info.subresource;

  let warnings: string[] = [];
  if (mode === 'Strict') {
    const idx = fieldIndex();
    const undeclared = idx ? findUndeclaredFields(idx, { group: def.group, version: def.version, kind: def.kind }, config) : [];
    if (undeclared.length > 0) {
      const gv = def.group ? `${def.group}/${def.version}` : def.version;
      const ref = def.namespaced ? `${r.namespace}/${r.info.name}` : r.info.name;
      throw badRequest(`failed to create typed patch object (${ref}; ${gv}, Kind=${def.kind}): ${undeclared.map((p) => `${p}: field not declared in schema`).join('\n')}`);
    }
  } else {
    warnings = validateFields(def, config as KubeObject, mode);
  }
  const meta = patchMetaLookup(def);
  const common = { config, manager, force, apiVersion: r.registry.apiVersion, kind: def.kind, meta };
  const configMeta = (config.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  if (configMeta.name !== undefined && configMeta.name !== r.info.name) {
    throw badRequest(`the name of the object (${String(configMeta.name)}) does not match the name on the URL (${r.info.name})`);
  }

  try {
    const { text } = await r.registry.guaranteedUpdate(r.namespace, r.info.name, { user: r.user, dryRun, subresource }, (current) => {
      const options: Parameters<typeof apply>[0] = { ...common, live: current, now: parts.clock.now() };
      if (subresource) options.subresource = subresource;
      return apply(options).object as KubeObject;
    });
    return rawJsonResponse(200, text, warnings);
  } catch (err) {
    if (!isStatusError(err, 'NotFound') || subresource) throw err;
  }
  // Not there: the apply creates it.
  const options: Parameters<typeof apply>[0] = { ...common, now: parts.clock.now() };
  const created = apply(options).object as KubeObject;
  created.metadata = { ...(created.metadata ?? {}), name: r.info.name };
  if (def.namespaced) created.metadata.namespace = r.namespace;
  const result = await r.registry.create(r.namespace, created, { user: r.user, dryRun });
  return rawJsonResponse(201, result.text, warnings);
}
