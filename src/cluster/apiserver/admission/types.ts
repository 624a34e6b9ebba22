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
  /**
   * What `get` would give, at once, for the objects the lookup keeps in memory (namespaces, service
   * accounts, priority classes): the object, null when it does not exist, undefined when not kept
   * (then `get`). A plugin that finds its answer so finishes synchronously, and the write waits
   * for no promise of it.
   */
  peek?(group: string, resource: string, namespace: string, name: string): KubeObject | null | undefined;
  /** What `list` would give (every namespace), at once, for the resources kept in memory; undefined when not kept. */
  peekList?(group: string, resource: string): KubeObject[] | undefined;
}

export interface AdmissionPlugin {
  /** kube-apiserver's plugin name, e.g. `NamespaceLifecycle`. */
  readonly name: string;
  /**
   * Mutating phase: may change `attrs.object`. A plugin with nothing to do for a write returns
   * nothing (no promise): most writes concern no plugin, and the chain then costs no microtask.
   */
  admit?(attrs: AdmissionAttributes, lookup: AdmissionLookup): Promise<void> | void;
  /** Validating phase: may only reject (returns nothing when it has nothing to check, as `admit`). */
  validate?(attrs: AdmissionAttributes, lookup: AdmissionLookup): Promise<void> | void;
}

/** Runs one phase of the chain in order; the first rejection stops it (and the request). */
export async function runAdmission(plugins: AdmissionPlugin[], phase: 'admit' | 'validate', attrs: AdmissionAttributes, lookup: AdmissionLookup): Promise<void> {
  await admissionSteps(plugins, phase, attrs, lookup, 0);
}

/**
 * The chain from plugin `from` on: undefined when every plugin finished synchronously, else a
 * promise of the rest, each plugin starting after the one before it settled. A plugin throwing
 * synchronously throws here (an async caller turns that into its rejection, as runAdmission does).
 */
export function admissionSteps(
  plugins: readonly AdmissionPlugin[], phase: 'admit' | 'validate', attrs: AdmissionAttributes, lookup: AdmissionLookup, from = 0,
): Promise<void> | undefined {
  for (let i = from; i < plugins.length; i++) {
    const pending = plugins[i]![phase]?.(attrs, lookup);
    if (pending) return pending.then(() => admissionSteps(plugins, phase, attrs, lookup, i + 1));
  }
  return undefined;
}

/** True for a write to the main resource of `group/resource` with the given operation. */
export function isMainResource(attrs: AdmissionAttributes, group: string, resource: string, operation?: AdmissionOperation): boolean {
  return attrs.group === group && attrs.resource === resource && attrs.subresource === '' && (operation === undefined || attrs.operation === operation);
}
