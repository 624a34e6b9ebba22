/**
 * Applies manifests the way `kubectl apply --server-side` does: a PATCH of type
 * application/apply-patch+yaml with our field manager. The server creates what is missing, merges
 * what exists, tracks which manager owns which field, and reports conflicts with other managers
 * (kubectl, controllers) instead of silently overwriting them. Plain Node (no vscode).
 */
import type { KubeObject } from '../../cluster/api/types';
import type { ApiClient, ResourceClient } from '../../cluster/client/client';
import type { Manifest } from './manifest';
import { RestMapper } from './rest-mapper';

export const FIELD_MANAGER = 'kube-sim';

export interface AppliedObject {
  /** kubectl's name for it: `pod/nginx`, `deployment.apps/web`. */
  displayName: string;
  object: KubeObject;
  warnings: string[];
}

export interface FailedManifest {
  manifest: Manifest;
  /** `pod/nginx`, or what is known of the object. */
  displayName: string;
  error: Error;
}

export interface ApplyOutcome {
  applied: AppliedObject[];
  failed: FailedManifest[];
}

/** Applies each manifest in order; one failure does not stop the others (kubectl does the same). */
export interface ApplyOptions {
  defaultNamespace?: string;
  /** `--force-conflicts`: take ownership of fields another manager set, instead of failing with a conflict. */
  force?: boolean;
}

export async function applyManifests(client: ApiClient, manifests: Manifest[], applyOptions: ApplyOptions = {}): Promise<ApplyOutcome> {
  return eachManifest(client, manifests, applyOptions.defaultNamespace ?? 'default', async (resource, object, name, namespace) => {
    const options: { fieldManager: string; force: boolean; namespace?: string } = { fieldManager: FIELD_MANAGER, force: applyOptions.force ?? false };
    if (namespace) options.namespace = namespace;
    const result = await resource.patchWithWarnings(name, 'apply', object, options);
    return { object: result.object, warnings: result.warnings };
  });
}

/** Deletes each manifest's object (`kubectl delete -f`); a missing object is a failure in kubectl's words. */
export async function deleteManifests(client: ApiClient, manifests: Manifest[], defaultNamespace = 'default'): Promise<ApplyOutcome> {
  return eachManifest(client, manifests, defaultNamespace, async (resource, object, name, namespace) => {
    await resource.delete(name, namespace ? { namespace } : {});
    return { object, warnings: [] };
  });
}

/**
 * Runs `act` for each manifest in order with its resource (found through discovery, as kubectl's
 * REST mapper does) and namespace; one failure does not stop the others. Names objects as kubectl
 * prints them: `pod/nginx`, `deployment.apps/web`.
 */
async function eachManifest(
  client: ApiClient,
  manifests: Manifest[],
  defaultNamespace: string,
  act: (resource: ResourceClient, object: KubeObject, name: string, namespace: string | undefined) => Promise<{ object: KubeObject; warnings: string[] }>,
): Promise<ApplyOutcome> {
  const mapper = new RestMapper(client);
  const outcome: ApplyOutcome = { applied: [], failed: [] };
  for (const manifest of manifests) {
    const { object } = manifest;
    const kind = object.kind ?? '';
    const name = object.metadata.name ?? '';
    let displayName = `${kind.toLowerCase()}/${name}`;
    try {
      const mapping = await mapper.mapping(object.apiVersion ?? '', kind);
      displayName = `${kind.toLowerCase()}${mapping.gvr.group ? `.${mapping.gvr.group}` : ''}/${name}`;
      const namespace = mapping.namespaced ? object.metadata.namespace ?? defaultNamespace : undefined;
      const done = await act(client.resource(mapping.gvr), object, name, namespace);
      outcome.applied.push({ displayName, ...done });
    } catch (err) {
      outcome.failed.push({ manifest, displayName, error: err instanceof Error ? err : new Error(String(err)) });
    }
  }
  return outcome;
}
