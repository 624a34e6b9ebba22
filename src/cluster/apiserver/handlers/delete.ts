/** DELETE of one object and of a collection. */
import { statusSuccess } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import type { ServerParts, ResourceRequest } from './context';
import { deleteParams, listParams } from './params';
import { jsonResponse } from './responses';
import { RawJson } from '../registry/codec';
import type { ApiResponse } from '../types';

/** Kinds whose completed delete answers with the object rather than a Status (ReturnDeletedObject). */
const RETURNS_DELETED_OBJECT = new Set(['/pods', '/serviceaccounts', '/services']);

export async function deleteObject(parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  const { params, dryRun } = deleteParams(r.request);
  void parts;
  const result = await r.registry.delete(r.namespace, r.info.name, params, { user: r.user, dryRun });
  // The served JSON when the store gave it (the object is then decoded only if read: in process,
  // a kubelet's delete never reads it).
  const object = () => result.json ?? result.object;
  if (!result.deleted) return jsonResponse(200, object());
  return jsonResponse(200, deletedBody(r, result, object));
}

function deletedBody(r: ResourceRequest, result: { object: KubeObject }, served: () => unknown): unknown {
  const def = r.registry.def;
  if (RETURNS_DELETED_OBJECT.has(`${def.group}/${def.resource}`)) return served();
  const object = result.object;
  const details: { name: string; group?: string; kind: string; uid?: string } = { name: object.metadata.name ?? '', kind: def.resource };
  if (def.group) details.group = def.group;
  if (object.metadata.uid) details.uid = object.metadata.uid;
  return statusSuccess(200, details);
}

export async function deleteCollection(parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  const { params, dryRun } = deleteParams(r.request);
  const deleted = await r.registry.deleteCollection(listParams(r), params, { user: r.user, dryRun });
  void parts;
  return jsonResponse(200, new RawJson(JSON.stringify({ kind: r.registry.def.listKind, apiVersion: r.registry.apiVersion, metadata: {}, items: deleted })));
}
