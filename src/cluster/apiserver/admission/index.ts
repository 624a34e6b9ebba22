/**
 * The admission chain kube-apiserver 1.32 runs by default, restricted to what Kube Sim simulates,
 * in kube-apiserver's order: NamespaceLifecycle, ServiceAccount, Priority, DefaultTolerationSeconds.
 * (TaintNodesByCondition is on by default in kube-apiserver too; it is exported but left out
 * until the node lifecycle controller removes the not-ready taint it adds.)
 */
import { defaultTolerationSeconds } from './default-toleration-seconds';
import { namespaceLifecycle } from './namespace-lifecycle';
import { priorityAdmission } from './priority';
import { serviceAccountAdmission } from './service-account';
import type { AdmissionPlugin } from './types';

export interface AdmissionOptions {
  /** Random source for generated names (kube-api-access-xxxxx); tests pass a seeded one. */
  random?: () => number;
}

export function defaultAdmissionPlugins(options: AdmissionOptions = {}): AdmissionPlugin[] {
  return [namespaceLifecycle, serviceAccountAdmission(options.random), priorityAdmission, defaultTolerationSeconds];
}

export { runAdmission } from './types';
export type { AdmissionAttributes, AdmissionLookup, AdmissionOperation, AdmissionPlugin } from './types';
export { taintNodesByCondition } from './taint-nodes-by-condition';
