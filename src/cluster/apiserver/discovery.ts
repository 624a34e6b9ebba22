/**
 * API discovery, in both forms kubectl 1.32 and client libraries use:
 * - aggregated (apidiscovery.k8s.io/v2 APIGroupDiscoveryList) at /api and /apis when the Accept
 *   header asks for it (kubectl does, first);
 * - legacy: APIVersions at /api, APIGroupList at /apis, APIGroup at /apis/<g>, APIResourceList at
 *   /api/v1 and /apis/<g>/<v> (client-node's KubernetesObjectApi, kubectl's fallback).
 * Everything is computed from the ResourceDefinitions, so a new kind is discoverable by existing.
 */
import { createHash } from 'node:crypto';
import { statusFailure } from '../api/errors';
import type { Registries } from './registries';
import type { RegistryStore } from './registry/store';
import { DISCOVERY_V2_CONTENT_TYPE, negotiate } from './negotiation';
import { jsonResponse } from './handlers/responses';
import type { ApiResponse } from './types';

function notFoundPath(): never {
  throw statusFailure(404, 'NotFound', 'the server could not find the requested resource', {});
}

function storageVersionHash(r: RegistryStore): string {
  // kube-apiserver: base64 of the first 8 bytes of sha256("<group>/<version>/<kind>").
  return createHash('sha256').update(`${r.def.group}/${r.def.version}/${r.def.kind}`).digest().subarray(0, 8).toString('base64');
}

function aggregatedResource(r: RegistryStore): Record<string, unknown> {
  const def = r.def;
  const out: Record<string, unknown> = {
    resource: def.resource,
    responseKind: { group: def.group, version: def.version, kind: def.kind },
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: def.singular,
    verbs: [...def.verbs].sort(),
  };
  if (def.shortNames?.length) out.shortNames = def.shortNames;
  if (def.categories?.length) out.categories = def.categories;
  if (def.subresources.length) {
    out.subresources = def.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? def.group, version: s.version ?? def.version, kind: s.kind },
      verbs: [...s.verbs].sort(),
    }));
  }
  return out;
}

function aggregatedVersions(registries: Registries, group: string): Record<string, unknown>[] {
  return registries
    .groupVersions()
    .filter((gv) => gv.group === group)
    .map((gv) => ({
      version: gv.version,
      resources: registries.inGroupVersion(gv.group, gv.version).map(aggregatedResource).sort((a, b) => (String(a.resource) < String(b.resource) ? -1 : 1)),
      freshness: 'Current',
    }));
}

function groupsOf(registries: Registries): string[] {
  const groups: string[] = [];
  for (const gv of registries.groupVersions()) if (gv.group && !groups.includes(gv.group)) groups.push(gv.group);
  return groups;
}

function apiGroup(registries: Registries, group: string): Record<string, unknown> {
  const versions = registries.groupVersions().filter((gv) => gv.group === group).map((gv) => ({ groupVersion: `${group}/${gv.version}`, version: gv.version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

/** GET /api */
export function discoverCore(registries: Registries, accept: string | undefined, serverAddress: string): ApiResponse {
  if (negotiate(accept, { discovery: true }) === 'discovery-v2') {
    return jsonResponse(200, {
      kind: 'APIGroupDiscoveryList',
      apiVersion: 'apidiscovery.k8s.io/v2',
      metadata: {},
      items: [{ metadata: { creationTimestamp: null }, versions: aggregatedVersions(registries, '') }],
    }, DISCOVERY_V2_CONTENT_TYPE);
  }
  return jsonResponse(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] });
}

/** GET /apis */
export function discoverGroups(registries: Registries, accept: string | undefined): ApiResponse {
  if (negotiate(accept, { discovery: true }) === 'discovery-v2') {
    return jsonResponse(200, {
      kind: 'APIGroupDiscoveryList',
      apiVersion: 'apidiscovery.k8s.io/v2',
      metadata: {},
      items: groupsOf(registries).map((g) => ({ metadata: { name: g, creationTimestamp: null }, versions: aggregatedVersions(registries, g) })),
    }, DISCOVERY_V2_CONTENT_TYPE);
  }
  return jsonResponse(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: groupsOf(registries).map((g) => apiGroup(registries, g)) });
}

/** GET /apis/<group> */
export function discoverGroup(registries: Registries, group: string): ApiResponse {
  if (!groupsOf(registries).includes(group)) notFoundPath();
  return jsonResponse(200, { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(registries, group) });
}

/** GET /api/v1, GET /apis/<group>/<version> */
export function discoverResources(registries: Registries, group: string, version: string): ApiResponse {
  const list = registries.inGroupVersion(group, version);
  if (list.length === 0) notFoundPath();
  const resources: Record<string, unknown>[] = [];
  for (const r of [...list].sort((a, b) => (a.def.resource < b.def.resource ? -1 : 1))) {
    const def = r.def;
    const entry: Record<string, unknown> = {
      name: def.resource, singularName: def.singular, namespaced: def.namespaced, kind: def.kind, verbs: [...def.verbs].sort(),
    };
    if (def.shortNames?.length) entry.shortNames = def.shortNames;
    if (def.categories?.length) entry.categories = def.categories;
    entry.storageVersionHash = storageVersionHash(r);
    resources.push(entry);
    for (const s of def.subresources) {
      const sub: Record<string, unknown> = { name: `${def.resource}/${s.name}`, singularName: '', namespaced: def.namespaced, kind: s.kind, verbs: [...s.verbs].sort() };
      if (s.group !== undefined && s.group !== def.group) sub.group = s.group;
      if (s.version !== undefined && (s.version !== def.version || s.group !== def.group)) sub.version = s.version;
      resources.push(sub);
    }
  }
  return jsonResponse(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources });
}
