/**
 * Namespace lifecycle (kube-apiserver's NamespaceLifecycle admission and namespace deletion):
 * namespaced writes need an existing namespace (404 `namespaces "x" not found`), and deleting a
 * namespace deletes everything in it.
 */
import { notFound, statusFailure, StatusError } from '../../api/errors';
import type { ServerParts } from './context';
import type { UserInfo } from '../types';
import { selectionFor } from '../registry/selection';

export async function requireNamespace(parts: ServerParts, namespace: string): Promise<void> {
  const kv = await parts.registries.core('namespaces').getKv('', namespace);
  if (!kv) throw notFound({ group: '', resource: 'namespaces' }, namespace);
  if (kv.value.includes('"deletionTimestamp"')) {
    const ns = JSON.parse(kv.value) as { metadata: { deletionTimestamp?: string } };
    if (ns.metadata.deletionTimestamp) {
      throw statusFailure(403, 'Forbidden', `unable to create new content in namespace ${namespace} because it is being terminated`, {
        name: namespace, kind: 'namespaces',
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  }
}

/** Deletes every namespaced object in `namespace` at once (what the namespace controller does, without the wait). */
export async function deleteNamespaceContent(parts: ServerParts, namespace: string, user: UserInfo): Promise<void> {
  for (const registry of parts.registries.all) {
    if (!registry.def.namespaced) continue;
    try {
      await registry.deleteCollection({ namespace, selection: selectionFor(registry.def, null, null) }, { gracePeriodSeconds: 0 }, { user });
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
    }
  }
}
