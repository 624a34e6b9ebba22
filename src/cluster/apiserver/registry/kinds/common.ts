/**
 * What most kinds' strategies share (kubernetes/apiserver pkg/registry/rest: BeforeCreate and
 * BeforeUpdate, and each kind's strategy.go): metadata validation by scope and name rule, and
 * the status-subresource split where the main resource keeps the old status and `/status` keeps
 * the old spec.
 */
import type { FieldError } from '../../../api/field-errors';
import type { KubeObject } from '../../../api/types';
import { structuredCopy } from '../../../api/json-copy';
import { sameJson } from '../../../api/same-json';
import { removeMember } from '../../../api/removed-members';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../../api/validation/meta';
import { nameIsDNSSubdomain, type NameValidator } from '../../../api/validation/names';
import type { Strategy, StrategyContext } from '../resource';

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const STATUS_VERBS = ['get', 'patch', 'update'];

export interface StrategyOptions {
  namespaced: boolean;
  /** The kind's rule for metadata.name (default: DNS-1123 subdomain). */
  nameFn?: NameValidator;
  /** Kinds with a status subresource: clients may not set status on create, nor change it through the main resource. */
  hasStatus?: boolean;
  /** API defaults (pkg/apis/<group>/v1/defaults.go), applied on create and on every update. */
  defaults?(object: KubeObject, ctx: StrategyContext): void;
  /** Extra create-time preparation after defaults (e.g. a Pod's initial status). */
  prepareForCreate?(object: KubeObject, ctx: StrategyContext): void;
  prepareForUpdate?(object: KubeObject, old: KubeObject, ctx: StrategyContext): void;
  /** Kind-specific validation of a new object (metadata is validated already). */
  validate?(object: KubeObject, ctx: StrategyContext): FieldError[];
  /** Kind-specific validation of an update (metadata immutability is checked already). */
  validateUpdate?(object: KubeObject, old: KubeObject, ctx: StrategyContext): FieldError[];
  warningsOnCreate?(object: KubeObject, ctx: StrategyContext): string[];
  warningsOnUpdate?(object: KubeObject, old: KubeObject, ctx: StrategyContext): string[];
  /** See Strategy.statusSharesSpec: the kind's defaults and prepareForUpdate leave the spec of a status write alone. */
  statusSharesSpec?: boolean;
}

export const clone = <T>(value: T): T => (value === undefined ? value : structuredCopy(value));


/**
 * The old value put back into the new object: kept as it is when it already serializes alike (a
 * status write usually sends the spec it read), else a copy of the old one. `object` never shares
 * values with `old` (the registry hands strategies a fresh object), so keeping it shares nothing.
 */
function restoreFrom(object: KubeObject, old: KubeObject, field: 'spec' | 'status'): void {
  if (!(field in old)) delete object[field];
  else if (!sameJson(object[field], old[field])) object[field] = clone(old[field]);
}

/** Builds a Strategy from the kind's pieces, adding the generic metadata rules. */
export function kindStrategy(options: StrategyOptions): Strategy {
  const nameFn = options.nameFn ?? nameIsDNSSubdomain;
  const strategy: Strategy = {
    defaults(object, ctx) {
      options.defaults?.(object, ctx);
    },
    prepareForCreate(object, ctx) {
      if (options.hasStatus) removeMember(object, 'status');
      options.defaults?.(object, ctx);
      options.prepareForCreate?.(object, ctx);
    },
    prepareForUpdate(object, old, ctx) {
      // Every kind here allows unconditional updates: a write without a resourceVersion updates
      // the current object (the generic store fills it in before validation, as kube-apiserver's does).
      if (!object.metadata.resourceVersion && old.metadata.resourceVersion) object.metadata.resourceVersion = old.metadata.resourceVersion;
      if (options.hasStatus) {
        // The status subresource changes status only (and metadata the kind allows).
        if (ctx.subresource === 'status') restoreFrom(object, old, 'spec');
        else if (ctx.subresource === '') restoreFrom(object, old, 'status');
      }
      options.defaults?.(object, ctx);
      options.prepareForUpdate?.(object, old, ctx);
    },
    validate(object, ctx) {
      const errs = validateObjectMeta(object.metadata ?? {}, options.namespaced, nameFn);
      return errs.concat(options.validate?.(object, ctx) ?? []);
    },
    validateUpdate(object, old, ctx) {
      const errs = validateObjectMetaUpdate(object.metadata ?? {}, old.metadata ?? {});
      return errs.concat(options.validateUpdate?.(object, old, ctx) ?? []);
    },
  };
  if (options.warningsOnCreate) strategy.warningsOnCreate = options.warningsOnCreate;
  if (options.warningsOnUpdate) strategy.warningsOnUpdate = options.warningsOnUpdate;
  if (options.statusSharesSpec && options.hasStatus) strategy.statusSharesSpec = true;
  return strategy;
}

/** Reads a dotted path (`spec.nodeName`) from an object as a field selector sees it: absent is ''. */
export function fieldValue(object: KubeObject, path: string): string {
  return valueAt(object, path.split('.'));
}

/** fieldValue with the path split already (selectable fields are read for every watch event of every selective watch). */
function valueAt(object: KubeObject, parts: readonly string[]): string {
  let value: unknown = object;
  for (const part of parts) {
    if (value === null || typeof value !== 'object') return '';
    value = (value as Record<string, unknown>)[part];
  }
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** `{ 'spec.nodeName': o => ... }` for each listed path. */
export function selectable(...paths: string[]): Record<string, (object: KubeObject) => string> {
  return Object.fromEntries(paths.map((p) => {
    const parts = p.split('.');
    return [p, (o: KubeObject) => valueAt(o, parts)];
  }));
}
