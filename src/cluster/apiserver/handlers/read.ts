/** GET of one object and of a collection, as JSON, YAML or a Table. */
import type { ServerParts, ResourceRequest } from './context';
import { negotiate, TABLE_CONTENT_TYPE } from '../negotiation';
import { includeObjectOf, table, tableBytes } from '../table';
import { RawJson } from '../registry/codec';
import { jsonResponse, tableResponse, yamlResponse } from './responses';
import { listParams } from './params';
import type { ApiResponse } from '../types';

/** What a resource read can be answered as. */
const READS = { table: true, yaml: true } as const;

export async function getObject(parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  const representation = negotiate(r.request.headers['accept'], READS);
  if (representation === 'table') {
    const include = includeObjectOf(r.request.query);
    const object = await r.registry.get(r.namespace, r.info.name);
    return tableResponse(table(r.registry.def, [object], parts.clock.now(), include, { resourceVersion: object.metadata.resourceVersion ?? '' }));
  }
  const json = await r.registry.getServed(r.namespace, r.info.name);
  return representation === 'yaml' ? yamlResponse(200, json.text.toString()) : jsonResponse(200, json);
}

export async function listObjects(parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  const representation = negotiate(r.request.headers['accept'], READS);
  const include = representation === 'table' ? includeObjectOf(r.request.query) : 'Metadata';
  const result = await r.registry.list(listParams(r));
  if (representation === 'table') {
    const meta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion: String(result.revision) };
    if (result.continue) meta.continue = result.continue;
    if (result.remainingItemCount !== undefined) meta.remainingItemCount = result.remainingItemCount;
    if (r.registry.storedAsServed) {
      return jsonResponse(200, new RawJson(tableBytes(r.registry.def, result.kvs, r.registry.objectsOf(result), parts.clock.now(), include, meta)), TABLE_CONTENT_TYPE);
    }
    return tableResponse(table(r.registry.def, r.registry.objectsOf(result), parts.clock.now(), include, meta));
  }
  if (representation === 'yaml') return yamlResponse(200, r.registry.listText(result));
  // An informer in process takes the registry's shared objects instead of parsing the text (see
  // RawJson.shared), so the text is made only when read: a list of 150,000 pods is hundreds of MB.
  const json = new RawJson(() => r.registry.listText(result));
  json.shared = () => r.registry.listObject(result);
  return jsonResponse(200, json);
}
