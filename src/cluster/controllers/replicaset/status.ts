/**
 * A ReplicaSet's status as calculateStatus computes it (pkg/controller/replicaset/replica_set_utils.go):
 * counts of its active pods, fully labelled (every template label), ready, and available (ready for
 * minReadySeconds), with the ReplicaFailure condition while creating or deleting fails. Zero counts
 * are left out, as Go's omitempty encodes them; `replicas` always stays.
 */
import type { KubeObject, Pod } from '../../api/types';
import { sameJson } from '../../api/same-json';
import { isPodAvailable, isPodReady } from '../pods';

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: { type: string; status: string; lastTransitionTime: string; reason: string; message: string }[];
}

export interface ManageFailure {
  reason: 'FailedCreate' | 'FailedDelete';
  message: string;
}

export function calculateStatus(rs: KubeObject, pods: Pod[], failure: ManageFailure | undefined, now: number): ReplicaSetStatus {
  const spec = (rs.spec ?? {}) as { minReadySeconds?: number; template?: { metadata?: { labels?: Record<string, string> } } };
  const templateLabels = Object.entries(spec.template?.metadata?.labels ?? {});
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    const labels = pod.metadata.labels ?? {};
    if (templateLabels.every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, spec.minReadySeconds ?? 0, now)) available++;
    }
  }
  const status: ReplicaSetStatus = { replicas: pods.length };
  if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (rs.metadata.generation) status.observedGeneration = rs.metadata.generation;
  const old = (rs.status ?? {}) as ReplicaSetStatus;
  const conditions = (old.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure' || failure);
  if (failure && !conditions.some((c) => c.type === 'ReplicaFailure')) {
    conditions.push({ type: 'ReplicaFailure', status: 'True', lastTransitionTime: new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z'), reason: failure.reason, message: failure.message });
  }
  if (conditions.length) status.conditions = conditions;
  return status;
}

/** The fields updateReplicaSetStatus compares: nothing is written when they are the same. */
export function sameStatus(a: unknown, b: ReplicaSetStatus): boolean {
  const old = (a ?? {}) as ReplicaSetStatus;
  return (old.replicas ?? 0) === b.replicas && (old.fullyLabeledReplicas ?? 0) === (b.fullyLabeledReplicas ?? 0)
    && (old.readyReplicas ?? 0) === (b.readyReplicas ?? 0) && (old.availableReplicas ?? 0) === (b.availableReplicas ?? 0)
    && (old.observedGeneration ?? 0) === (b.observedGeneration ?? 0) && sameJson(old.conditions ?? [], b.conditions ?? []);
}
