/**
 * Maps an object's apiVersion and kind to the REST resource that serves it, the way kubectl's
 * RESTMapper does: from the server's discovery documents (`/api/v1`, `/apis/<group>/<version>`),
 * fetched once per group-version. Plain Node (no vscode).
 */
import { isStatusError } from '../../cluster/api/errors';
import type { ApiClient, GroupVersionResource } from '../../cluster/client/client';

export interface ResourceMapping {
  gvr: GroupVersionResource;
  namespaced: boolean;
  kind: string;
}

interface APIResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export class NoKindMatchError extends Error {
  constructor(kind: string, apiVersion: string) {
    super(`no matches for kind "${kind}" in version "${apiVersion}"`);
    this.name = 'NoKindMatchError';
  }
}

export class RestMapper {
  private readonly groupVersions = new Map<string, Promise<APIResource[] | undefined>>();

  constructor(private readonly client: ApiClient) {}

  async mapping(apiVersion: string, kind: string): Promise<ResourceMapping> {
    const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/', 2) as [string, string]) : ['', apiVersion];
    const resources = await this.discover(group, version);
    const resource = resources?.find((r) => r.kind === kind && !r.name.includes('/'));
    if (!resource) throw new NoKindMatchError(kind, apiVersion);
    return { gvr: { group, version, resource: resource.name }, namespaced: resource.namespaced, kind };
  }

  private discover(group: string, version: string): Promise<APIResource[] | undefined> {
    const key = `${group}/${version}`;
    let found = this.groupVersions.get(key);
    if (!found) {
      const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
      found = this.client.request<{ resources?: APIResource[] }>('GET', path).then(
        (result) => result.object.resources ?? [],
        (err: unknown) => {
          this.groupVersions.delete(key); // retry next time: the server may learn the group later
          if (isStatusError(err, 'NotFound')) return undefined;
          throw err;
        },
      );
      this.groupVersions.set(key, found);
    }
    return found;
  }
}
