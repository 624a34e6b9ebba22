/**
 * priorityclasses (scheduling.k8s.io/v1, cluster-scoped). The scheduler orders and preempts by
 * them; the Priority admission plugin resolves a pod's priorityClassName to spec.priority. The
 * two built-in classes are seeded by the API server (`builtInPriorityClasses`).
 */
import { forbidden, invalid, notSupported } from '../../../api/field-errors';
import type { FieldError } from '../../../api/field-errors';
import type { KubeObject } from '../../../api/types';
import { priorityClassTable } from '../../printers/simple-kinds';
import type { ResourceDefinition } from '../resource';
import { ALL_VERBS, kindStrategy } from './common';

export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
export const SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
export const SYSTEM_CLUSTER_CRITICAL = 'system-cluster-critical';
export const SYSTEM_NODE_CRITICAL = 'system-node-critical';
const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'];

export const builtInPriorityClasses: { name: string; value: number; description: string }[] = [
  { name: SYSTEM_NODE_CRITICAL, value: SYSTEM_CRITICAL_PRIORITY + 1000, description: 'Used for system critical pods that must not be moved from their current node.' },
  { name: SYSTEM_CLUSTER_CRITICAL, value: SYSTEM_CRITICAL_PRIORITY, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
];

/** The PriorityClass objects kube-apiserver creates at startup. */
export function builtInPriorityClassObjects(): KubeObject[] {
  return builtInPriorityClasses.map((pc) => ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: pc.name },
    value: pc.value,
    description: pc.description,
    preemptionPolicy: 'PreemptLowerPriority',
  }));
}

function validatePriorityClass(object: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = object.metadata.name ?? '';
  const builtIn = builtInPriorityClasses.find((pc) => pc.name === name);
  if (builtIn) {
    if (object.value !== builtIn.value) errs.push(forbidden('metadata.name', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  } else {
    if (name.startsWith('system-')) errs.push(forbidden('metadata.name', "priority class names with 'system-' prefix are reserved"));
    if (typeof object.value === 'number' && object.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
      errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
    }
  }
  const policy = object.preemptionPolicy;
  if (policy !== undefined && !PREEMPTION_POLICIES.includes(String(policy))) errs.push(notSupported('preemptionPolicy', policy, PREEMPTION_POLICIES));
  return errs;
}

export const priorityclasses: ResourceDefinition = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  listKind: 'PriorityClassList',
  resource: 'priorityclasses',
  singular: 'priorityclass',
  namespaced: false,
  shortNames: ['pc'],
  verbs: ALL_VERBS,
  subresources: [],
  strategy: kindStrategy({
    namespaced: false,
    defaults(object) {
      if (object.preemptionPolicy === undefined || object.preemptionPolicy === null) object.preemptionPolicy = 'PreemptLowerPriority';
    },
    validate: validatePriorityClass,
    validateUpdate(object, old) {
      const errs: FieldError[] = [];
      if (object.value !== old.value) errs.push(forbidden('Value', 'may not be changed in an update.'));
      if (object.preemptionPolicy !== old.preemptionPolicy) errs.push(invalid('preemptionPolicy', object.preemptionPolicy ?? null, 'field is immutable'));
      return errs;
    },
  }),
  table: priorityClassTable,
};
