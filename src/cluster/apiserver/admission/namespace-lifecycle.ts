/**
 * NamespaceLifecycle: nothing is created in a namespace that does not exist (404
 * `namespaces "x" not found`) or is being terminated (403, cause NamespaceTerminating), and the
 * immortal namespaces cannot be deleted.
 */
import { forbidden, notFound } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import type { AdmissionAttributes, AdmissionLookup, AdmissionPlugin } from './types';

export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

export const namespaceLifecycle: AdmissionPlugin = {
  name: 'NamespaceLifecycle',
  admit(attrs, lookup) {
    if (attrs.group === '' && attrs.resource === 'namespaces') {
      if (attrs.operation === 'DELETE' && IMMORTAL_NAMESPACES.includes(attrs.name)) {
        return Promise.reject(forbidden({ group: attrs.group, resource: attrs.resource }, attrs.name, 'this namespace may not be deleted'));
      }
      return;
    }
    if (attrs.operation !== 'CREATE' || !attrs.namespace) return;
    // Subresource creates (binding, eviction) act on existing objects; kube-apiserver checks them too.
    // A namespace the in-memory copy does not have is read from the store before the create is
    // refused, as kube-apiserver's plugin makes a live lookup when its lister misses: that copy
    // follows a watch, which behind a real etcd can lag a namespace the client was just answered.
    const known = lookup.peek?.('', 'namespaces', '', attrs.namespace);
    if (known) return checkNamespace(attrs, known);
    return admitCreate(attrs, lookup);
  },
};

/** A create in a namespace: the namespace must exist and not be terminating. */
async function admitCreate(attrs: AdmissionAttributes, lookup: AdmissionLookup): Promise<void> {
  checkNamespace(attrs, await lookup.get('', 'namespaces', '', attrs.namespace));
}

/** Throws unless `ns`, the namespace of a create, exists and is not terminating. */
function checkNamespace(attrs: AdmissionAttributes, ns: KubeObject | undefined): void {
  const gr = { group: attrs.group, resource: attrs.resource };
  if (!ns) throw notFound({ group: '', resource: 'namespaces' }, attrs.namespace);
  const phase = (ns.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Terminating' || ns.metadata.deletionTimestamp) {
    const err = forbidden(gr, attrs.name, `unable to create new content in namespace ${attrs.namespace} because it is being terminated`);
    err.status.details = {
      ...(err.status.details ?? {}),
      causes: [{ reason: 'NamespaceTerminating', message: `namespace ${attrs.namespace} is being terminated`, field: 'metadata.namespace' }],
    };
    throw err;
  }
}
