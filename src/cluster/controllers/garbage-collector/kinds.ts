/**
 * What the garbage collector needs to know of a kind named in an ownerReference (the RESTMapper's
 * part): its resource and scope, from the API server's own resource definitions.
 */
import type { GroupVersionResource } from '../../client/client';
import type { ResourceDefinition } from '../../apiserver/registry/resource';

export interface KindInfo {
  gvr: GroupVersionResource;
  namespaced: boolean;
}

export class KindMapper {
  private readonly byKind = new Map<string, KindInfo>();
  private readonly byGroupKind = new Map<string, KindInfo>();

  constructor(definitions: readonly ResourceDefinition[]) {
    for (const def of definitions) {
      const info: KindInfo = { gvr: { group: def.group, version: def.version, resource: def.resource }, namespaced: def.namespaced };
      const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
      if (!this.byKind.has(`${apiVersion}/${def.kind}`)) this.byKind.set(`${apiVersion}/${def.kind}`, info);
      if (!this.byGroupKind.has(`${def.group}/${def.kind}`)) this.byGroupKind.set(`${def.group}/${def.kind}`, info);
    }
  }

  /** The kind of `apiVersion`, or of another version of its group; undefined when not served. */
  resolve(apiVersion: string, kind: string): KindInfo | undefined {
    const exact = this.byKind.get(`${apiVersion}/${kind}`);
    if (exact) return exact;
    const slash = apiVersion.indexOf('/');
    return this.byGroupKind.get(`${slash < 0 ? '' : apiVersion.slice(0, slash)}/${kind}`);
  }
}
