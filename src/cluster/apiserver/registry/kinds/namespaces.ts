/**
 * namespaces (core/v1, cluster-scoped). Like kube-apiserver's namespace strategy: every namespace
 * carries the `kubernetes` finalizer and the `kubernetes.io/metadata.name` label, starts Active,
 * and its spec.finalizers change only through the `finalize` subresource. A delete marks it
 * (deletionTimestamp, phase Terminating); the namespace controller empties it and removes the
 * `kubernetes` finalizer through `finalize`, which removes the namespace.
 */
import { FieldPath, invalid, notSupported } from '../../../api/field-errors';
import type { FieldError } from '../../../api/field-errors';
import type { KubeObject } from '../../../api/types';
import { isQualifiedName, nameIsDNSLabel } from '../../../api/validation/names';
import { namespaceTable } from '../../printers/namespaces';
import type { ResourceDefinition, Strategy } from '../resource';
import { clone, kindStrategy, selectable } from './common';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
export const FINALIZER_KUBERNETES = 'kubernetes';

interface NamespaceSpec { finalizers?: string[] }
interface NamespaceStatus { phase?: string; [k: string]: unknown }

function validateFinalizers(object: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const path = FieldPath.root('spec').child('finalizers');
  for (const f of (object.spec as NamespaceSpec | undefined)?.finalizers ?? []) {
    const msgs = isQualifiedName(f);
    for (const m of msgs) errs.push(invalid(path.toString(), f, m));
    // Standard finalizers (no domain) must be the known ones.
    if (!msgs.length && !f.includes('/') && f !== FINALIZER_KUBERNETES) {
      errs.push(invalid(path.toString(), f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  return errs;
}

export const namespaces: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  resource: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: [
    { name: 'finalize', kind: 'Namespace', verbs: ['update'] },
    { name: 'status', kind: 'Namespace', verbs: ['get', 'patch', 'update'] },
  ],
  strategy: withTermination(kindStrategy({
    namespaced: false,
    nameFn: nameIsDNSLabel,
    hasStatus: true,
    defaults(object) {
      const name = object.metadata.name;
      if (name) object.metadata.labels = { ...(object.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: name };
    },
    prepareForCreate(object) {
      const spec = ((object.spec as NamespaceSpec | undefined) ?? {}) as NamespaceSpec;
      const finalizers = new Set(spec.finalizers ?? []);
      finalizers.add(FINALIZER_KUBERNETES);
      object.spec = { ...spec, finalizers: [...finalizers] };
      object.status = { phase: 'Active' };
    },
    prepareForUpdate(object, old, ctx) {
      // spec.finalizers is owned by the finalize subresource.
      if (ctx.subresource !== 'finalize') {
        const oldFinalizers = (old.spec as NamespaceSpec | undefined)?.finalizers;
        object.spec = { ...((object.spec as object | undefined) ?? {}), finalizers: clone(oldFinalizers) };
        if (oldFinalizers === undefined) delete (object.spec as NamespaceSpec).finalizers;
      }
      if (ctx.subresource === 'finalize') object.status = clone(old.status);
    },
    validate: validateFinalizers,
    validateUpdate(object, _old, ctx) {
      const errs = validateFinalizers(object);
      if (ctx.subresource === 'status') {
        const phase = (object.status as NamespaceStatus | undefined)?.phase;
        if (phase && phase !== 'Active' && phase !== 'Terminating') errs.push(notSupported('status.phase', phase, ['Active', 'Terminating']));
      }
      return errs;
    },
  })),
  table: namespaceTable,
  // `name` is kube-apiserver's backward-compatible alias of metadata.name for namespaces.
  selectableFields: { ...selectable('status.phase'), name: (o: KubeObject) => o.metadata.name ?? '' },
};

/** kube-apiserver's namespace REST Delete: mark (no grace period), phase Terminating, gone once finalized. */
function withTermination(strategy: Strategy): Strategy {
  strategy.deletionBlocked = (object) => ((object.spec as NamespaceSpec | undefined)?.finalizers?.length ?? 0) > 0;
  strategy.prepareForDelete = (object) => {
    delete object.metadata.deletionGracePeriodSeconds;
    object.status = { ...((object.status as NamespaceStatus | undefined) ?? {}), phase: 'Terminating' };
  };
  return strategy;
}
