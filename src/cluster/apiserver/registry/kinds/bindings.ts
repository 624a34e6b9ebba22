/**
 * Binding a pod to a node: `POST pods/{name}/binding` and the legacy `POST bindings` (core/v1).
 * `bindPod` is the pure part of kube-apiserver's BindingREST: it checks the binding against the
 * live pod and returns the bound pod, or throws the Status errors kube-apiserver answers with.
 */
import { conflict, invalid as invalidStatus } from '../../../api/errors';
import { FieldError, notSupported, required } from '../../../api/field-errors';
import type { KubeObject, Pod, PodCondition } from '../../../api/types';
import type { ResourceDefinition } from '../resource';
import { clone, kindStrategy } from './common';

export interface Binding extends KubeObject {
  target?: { apiVersion?: string; kind?: string; name?: string; namespace?: string };
}

export function validateBinding(binding: Binding): FieldError[] {
  const errs: FieldError[] = [];
  const kind = binding.target?.kind ?? '';
  if (kind !== '' && kind !== 'Node') errs.push(notSupported('target.kind', kind, ['Node', '<empty>']));
  if (!binding.target?.name) errs.push(required('target.name'));
  return errs;
}

/**
 * Applies a binding to the current pod (assignPod): sets spec.nodeName, merges the binding's
 * annotations, and sets PodScheduled=True. `now` is an RFC 3339 timestamp. `pod` is left as it
 * was unless the caller owns it and says so (`owned`: the registry's fresh copy), which spares a copy.
 */
export function bindPod(pod: Pod, binding: Binding, now: string, owned = false): Pod {
  const gr = { group: '', resource: 'pods/binding' };
  const name = pod.metadata.name ?? '';
  const errs = validateBinding(binding);
  if (errs.length) throw invalidStatus({ group: '', kind: 'Binding' }, binding.metadata.name ?? '', errs);
  const uid = binding.metadata.uid;
  if (uid && uid !== pod.metadata.uid) {
    throw conflict(gr, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata.uid ?? ''}`);
  }
  if (pod.metadata.deletionTimestamp) throw conflict(gr, name, `pod ${name} is being deleted, cannot be assigned to a host`);
  if (pod.spec.nodeName) throw conflict(gr, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
  const bound = owned ? pod : clone(pod);
  bound.spec.nodeName = binding.target!.name!;
  const annotations = binding.metadata.annotations;
  if (annotations && Object.keys(annotations).length) bound.metadata.annotations = { ...(bound.metadata.annotations ?? {}), ...annotations };
  const condition: PodCondition = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now };
  bound.status = bound.status ?? {};
  const conditions = bound.status.conditions ?? [];
  const existing = conditions.findIndex((c) => c.type === 'PodScheduled');
  if (existing >= 0) {
    const prev = conditions[existing]!;
    conditions[existing] = prev.status === 'True' ? prev : condition;
  } else conditions.push(condition);
  bound.status.conditions = conditions;
  return bound;
}

/** The legacy `bindings` collection: create-only, namespaced, kind Binding. */
export const bindings: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Binding',
  listKind: 'BindingList',
  resource: 'bindings',
  singular: 'binding',
  namespaced: true,
  verbs: ['create'],
  subresources: [],
  strategy: kindStrategy({ namespaced: true, validate: (o) => validateBinding(o as Binding) }),
};
