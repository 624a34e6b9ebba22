/**
 * The admission contract between the request pipeline (APISERVER) and the built-in admission
 * plugins (KINDS). It mirrors k8s.io/apiserver/pkg/admission: a plugin sees the attributes of one
 * write and may mutate the object (`admit`, the mutating phase) or only reject it (`validate`).
 *
 * Where the pipeline calls them, as kube-apiserver does:
 *   decode → API defaults → admit (every plugin, in list order) → strategy.prepareForCreate/Update →
 *   strategy.validate → validate (every plugin, in list order) → storage.
 * A plugin rejects by throwing a StatusError (e.g. 404 `namespaces "x" not found`, 403 Forbidden).
 * Plugins never write: they read the cluster only through the read-only `AdmissionLookup`.
 */
import type { KubeObject } from '../../api/types';
import type { UserInfo } from '../types';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: AdmissionOperation;
  group: string;
  version: string;
  kind: string;
  /** Plural resource, e.g. `pods`. */
  resource: string;
  /** `status`, `binding`, ... or '' for the main resource. */
  subresource: string;
  /** '' for cluster-scoped resources. */
  namespace: string;
  /** The object's name ('' when a create uses generateName and no name is chosen yet). */
  name: string;
  /** The new object (CREATE, UPDATE); mutating plugins change it in place. */
  object?: KubeObject;
  /** The stored object (UPDATE, DELETE). */
  oldObject?: KubeObject;
  user: UserInfo;
  dryRun: boolean;
  /** The cluster clock's now, epoch ms. */
  now: number;
}

/** Read-only access to live objects, the way admission plugins use informers' listers. */
export interface AdmissionLookup {
  /** The object, or undefined when it does not exist. `namespace` is '' for cluster-scoped resources. */
  get(group: string, resource: string, namespace: string, name: string): Promise<KubeObject | undefined>;
  /** All objects of a resource (in `namespace`, or every namespace / cluster-scoped when omitted). */
  list(group: string, resource: string, namespace?: string): Promise<KubeObject[]>;
}

export interface AdmissionPlugin {
  /** kube-apiserver's plugin name, e.g. `NamespaceLifecycle`. */
  readonly name: string;
  /** Mutating phase: may change `attrs.object`. */
  admit?(attrs: AdmissionAttributes, lookup: AdmissionLookup): Promise<void>;
  /** Validating phase: may only reject. */
  validate?(attrs: AdmissionAttributes, lookup: AdmissionLookup): Promise<void>;
}

/** Runs one phase of the chain in order; the first rejection stops it (and the request). */
export async function runAdmission(plugins: AdmissionPlugin[], phase: 'admit' | 'validate', attrs: AdmissionAttributes, lookup: AdmissionLookup): Promise<void> {
  for (const plugin of plugins) await plugin[phase]?.(attrs, lookup);
}

/** True for a write to the main resource of `group/resource` with the given operation. */
export function isMainResource(attrs: AdmissionAttributes, group: string, resource: string, operation?: AdmissionOperation): boolean {
  return attrs.group === group && attrs.resource === resource && attrs.subresource === '' && (operation === undefined || attrs.operation === operation);
}
