/**
 * Namespace deletion: deleting a namespace deletes everything in it (what kube-controller-manager's
 * namespace controller does, without the wait). Writes into a missing namespace are refused by the
 * NamespaceLifecycle admission plugin.
 */
import { StatusError } from '../../api/errors';
import type { ServerParts } from './context';
import type { UserInfo } from '../types';
import { selectionFor } from '../registry/selection';

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
