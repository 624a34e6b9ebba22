/** POST (create) and PUT (update), for the main resource and the status subresource. */
import { methodNotSupported } from '../../api/errors';
import type { ServerParts, ResourceRequest } from './context';
import { dryRunOf, fieldManagerOf, readObject } from './params';
import { rawJsonResponse } from './responses';
import { fieldValidationOf, validateFields } from '../field-validation';
import { CleanShapes } from '../clean-shapes';
import { rawJsonText } from '../body';
import type { ApiResponse } from '../types';

/**
 * Shapes of created objects found clean of unknown fields and type errors (clean-shapes.ts): one
 * set for the process, as the schema they were checked against is.
 */
const cleanShapes = new CleanShapes();

export async function createObject(_parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  if (r.info.name) throw methodNotSupported(r.registry.gr, 'create');
  const mode = fieldValidationOf(r.request.query);
  const dryRun = dryRunOf(r.request.query);
  const object = readObject(r.request, r.registry.def.kind, { apiVersion: r.registry.apiVersion });
  const warnings = validateFields(r.registry.def, object, mode, mode === 'Ignore' ? undefined : rawJsonText(r.request.rawBody, r.request.headers['content-type']), cleanShapes);
  const result = await r.registry.create(r.namespace, object, { user: r.user, dryRun, fieldManager: fieldManagerOf(r.request) });
  // The name create gave it (generateName): read from the request's object, so the result is not decoded.
  r.auditName = object.metadata.name ?? '';
  return rawJsonResponse(201, result, [...warnings, ...result.warnings]);
}

export async function updateObject(_parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  const mode = fieldValidationOf(r.request.query);
  const dryRun = dryRunOf(r.request.query);
  const object = readObject(r.request, r.registry.def.kind);
  const warnings = validateFields(r.registry.def, object, mode, mode === 'Ignore' ? undefined : rawJsonText(r.request.rawBody, r.request.headers['content-type']));
  const result = await r.registry.update(r.namespace, r.info.name, object, { user: r.user, dryRun, subresource: r.info.subresource, fieldManager: fieldManagerOf(r.request) });
  return rawJsonResponse(200, result, [...warnings, ...result.warnings]);
}
