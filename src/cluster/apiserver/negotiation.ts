/**
 * Content negotiation: which representation a GET asks for. kubectl asks for
 * `application/json;as=Table;v=v1;g=meta.k8s.io,…,application/json` to print server-side tables;
 * resource reads may also be asked for as `application/yaml`; everything else gets plain JSON. Protobuf
 * is never produced; a client that accepts only protobuf (or only something else we do not speak)
 * gets 406 naming what we do produce.
 */
import { notAcceptable } from '../api/errors';

export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
export const JSON_CONTENT_TYPE = 'application/json';
export const YAML_CONTENT_TYPE = 'application/yaml';
export const DISCOVERY_V2_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [];
  const out: MediaRange[] = [];
  for (const part of accept.split(',')) {
    const [type, ...rest] = part.split(';');
    const params: Record<string, string> = {};
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim();
    }
    const t = (type ?? '').trim().toLowerCase();
    if (t) out.push({ type: t, params });
  }
  return out;
}

const JSONISH = new Set(['application/json', 'application/*', '*/*']);

export type Representation = 'json' | 'yaml' | 'table' | 'discovery-v2';

/**
 * The representation to answer with. `table`: this endpoint can print tables (resource GET/list/
 * watch). `yaml`: the endpoint can answer in YAML (resource GET and list). `discovery`: aggregated
 * discovery is possible (/api, /apis).
 */
export function negotiate(accept: string | undefined, can: { table?: boolean; yaml?: boolean; discovery?: boolean } = {}): Representation {
  // What client-node and client-go send on most requests, answered without parsing.
  if (accept === JSON_CONTENT_TYPE || accept === 'application/json, */*') return 'json';
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return 'json';
  for (const r of ranges) {
    if (r.type === 'application/json' && r.params.as) {
      if (can.table && r.params.as === 'Table' && r.params.g === 'meta.k8s.io' && (r.params.v === 'v1' || r.params.v === 'v1beta1')) return 'table';
      if (can.discovery && r.params.as === 'APIGroupDiscoveryList' && r.params.g === 'apidiscovery.k8s.io' && r.params.v === 'v2') return 'discovery-v2';
      continue;
    }
    if (JSONISH.has(r.type) || r.type === 'text/plain') return 'json';
    if (can.yaml && r.type === YAML_CONTENT_TYPE && !r.params.as) return 'yaml';
  }
  throw notAcceptable(can.yaml ? [JSON_CONTENT_TYPE, YAML_CONTENT_TYPE] : [JSON_CONTENT_TYPE]);
}
