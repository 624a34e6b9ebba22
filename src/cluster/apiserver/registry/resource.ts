/**
 * A resource is a generic store plus a strategy (kubernetes/apiserver pkg/registry/generic): adding
 * a kind means describing it here and writing its strategy (defaults, validation, table columns),
 * not writing a new code path. Discovery, routing, OpenAPI lookups and `kubectl get` all read these
 * definitions.
 */
import type { FieldError } from '../../api/field-errors';
import type { KubeObject } from '../../api/types';
import type { AdmissionLookup } from '../admission/types';
import type { UserInfo } from '../types';

export interface StrategyContext {
  /** The cluster clock's now, in epoch milliseconds. */
  now: number;
  user: UserInfo;
  /** The subresource being written (`status`), or '' for the main resource. */
  subresource: string;
}

export interface Strategy {
  /**
   * The kind's API defaults alone (what kube-apiserver's decoder applies before anything else). The
   * generic store records an Update entry in managedFields right after them, before mutating
   * admission and prepareForCreate/prepareForUpdate, so fields admission adds are owned by no one,
   * as in kube-apiserver. Must be idempotent: prepareFor* may apply them again.
   */
  defaults?(object: KubeObject, ctx: StrategyContext): void;
  /**
   * Called on create after mutating admission and before prepareForCreate (kube-apiserver's
   * BeginCreate): allocations that need the registry's view of other objects, such as a Service's
   * cluster IP and node ports. `lookup` reads live objects (undefined before admission is wired).
   */
  beginCreate?(object: KubeObject, ctx: StrategyContext, lookup: AdmissionLookup | undefined): Promise<void>;
  /**
   * Called on create before validation: clear what a client may not set (e.g. status for kinds with
   * a status subresource), set generation, and apply API defaults (e.g. a Pod's restartPolicy).
   */
  prepareForCreate(object: KubeObject, ctx: StrategyContext): void;
  /**
   * Called on update (PUT and PATCH) before validation: for the main resource keep the old status,
   * for the status subresource keep the old spec; bump generation when the spec changed.
   */
  prepareForUpdate(object: KubeObject, old: KubeObject, ctx: StrategyContext): void;
  /** Field errors for a new object, with field paths as kube-apiserver reports them. */
  validate(object: KubeObject, ctx: StrategyContext): FieldError[];
  /** Field errors for an update (immutability rules included). */
  validateUpdate(object: KubeObject, old: KubeObject, ctx: StrategyContext): FieldError[];
  /**
   * Warnings for a valid new object (kube-apiserver's WarningsOnCreate), sent as `Warning: 299`
   * headers (kubectl prints `Warning: <text>`). Called after validation.
   */
  warningsOnCreate?(object: KubeObject, ctx: StrategyContext): string[];
  /**
   * The stored text of a new object after mutating admission (JSON.stringify of it, which must be
   * in its stored shape: created-shape.ts), when the strategy recognizes it as one it serializes
   * itself and knows that prepareForCreate would leave it as it is, validate find nothing and
   * warningsOnCreate say nothing; beginCreate is then not called. Undefined otherwise: the generic
   * steps run. For objects written in great numbers in one shape (kinds/event-text.ts).
   */
  createdText?(object: KubeObject): string | undefined;
  /**
   * Deletion beyond metadata.finalizers: true while the object may not go yet (a Namespace until
   * its spec.finalizers are empty). A delete then only marks it (deletionTimestamp), and the update
   * that clears the last such finalizer removes it.
   */
  deletionBlocked?(object: KubeObject): boolean;
  /**
   * The status subresource neither changes nor defaults the spec (it keeps the stored one), so a
   * status write that does not touch the spec may be handed the stored object's own spec, shared
   * and read-only (often frozen), instead of a copy (see RegistryStore.guaranteedUpdate).
   */
  statusSharesSpec?: boolean;
  /** Called on the object a delete marks for later removal (a Namespace enters phase Terminating). */
  prepareForDelete?(object: KubeObject): void;
  /** Warnings for a valid update (WarningsOnUpdate). */
  warningsOnUpdate?(object: KubeObject, old: KubeObject, ctx: StrategyContext): string[];
}

export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  /** 0: always shown; 1: shown with `-o wide`. */
  priority: number;
}

export interface TableConvertor {
  columns: TableColumn[];
  /** The cells of one row, in column order. `now` is the cluster clock (ages are computed by the server). */
  cells(object: KubeObject, now: number): unknown[];
}

export interface SubresourceDefinition {
  /** `status`, `binding`, `log`, `eviction`, ... */
  name: string;
  /** The kind the subresource takes and returns, e.g. Binding for pods/binding. */
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

export interface ResourceDefinition {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Plural, lower case: `pods`. */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  subresources: SubresourceDefinition[];
  strategy: Strategy;
  table?: TableConvertor;
  /**
   * Extra fields `fieldSelector` may use beyond metadata.name and metadata.namespace, with how to
   * read them from an object (kube-apiserver: each kind's GetAttrs / field label conversion).
   */
  selectableFields?: Record<string, (object: KubeObject) => string>;
}
