/**
 * Which pods a ReplicaSet deletes first when it scales down (pkg/controller/controller_utils.go
 * ActivePodsWithRanks, 1.32 with LogarithmicScaleDown and PodDeletionCost on): unscheduled before
 * scheduled; Pending before Unknown before Running; not ready before ready; lower
 * controller.kubernetes.io/pod-deletion-cost first; more pods of the same workload on its node
 * first; ready for less time first (compared in powers of two of the duration); more container
 * restarts first; newer first (again in powers of two); ties by uid.
 */
import type { Pod } from '../../api/types';
import { isPodReady, podReadyTime } from '../pods';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

export interface RankedPod {
  pod: Pod;
  /** Related active pods on the same node (getPodsRankedByRelatedPodsOnSameNode). */
  rank: number;
}

function deletionCost(pod: Pod): number {
  const text = pod.metadata.annotations?.[POD_DELETION_COST];
  if (text === undefined) return 0;
  const n = Number(text);
  return Number.isInteger(n) ? n : 0;
}

/** logarithmicRankDiff: floor(log2(ns since t1)) - floor(log2(ns since t2)), -1 for a time not before now. */
function logarithmicRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number) => {
    const ns = (now - t) * 1e6;
    return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
  };
  return rank(t1) - rank(t2);
}

function maxRestarts(pod: Pod): number {
  let max = 0;
  for (const s of pod.status?.containerStatuses ?? []) max = Math.max(max, s.restartCount ?? 0);
  return max;
}

/** Negative when `a` should go before `b`. */
export function compareForDeletion(a: RankedPod, b: RankedPod, now: number): number {
  const pa = a.pod;
  const pb = b.pod;
  const assignedA = !!pa.spec?.nodeName;
  const assignedB = !!pb.spec?.nodeName;
  if (assignedA !== assignedB) return assignedA ? 1 : -1;
  const phaseA = PHASE_ORDER[pa.status?.phase ?? ''] ?? 0;
  const phaseB = PHASE_ORDER[pb.status?.phase ?? ''] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  const readyA = isPodReady(pa);
  const readyB = isPodReady(pb);
  if (readyA !== readyB) return readyA ? 1 : -1;
  const costA = deletionCost(pa);
  const costB = deletionCost(pb);
  if (costA !== costB) return costA - costB;
  if (a.rank !== b.rank) return b.rank - a.rank;
  const byUid = () => ((pa.metadata.uid ?? '') < (pb.metadata.uid ?? '') ? -1 : 1);
  if (readyA && readyB) {
    const ta = podReadyTime(pa);
    const tb = podReadyTime(pb);
    if (ta !== tb) {
      if (ta === undefined || tb === undefined) return ta === undefined ? -1 : 1;
      const diff = logarithmicRankDiff(ta, tb, now);
      return diff === 0 ? byUid() : diff;
    }
  }
  const restarts = maxRestarts(pb) - maxRestarts(pa);
  if (restarts !== 0) return restarts;
  const ca = pa.metadata.creationTimestamp ? Date.parse(pa.metadata.creationTimestamp) : undefined;
  const cb = pb.metadata.creationTimestamp ? Date.parse(pb.metadata.creationTimestamp) : undefined;
  if (ca !== cb) {
    if (ca === undefined || cb === undefined) return ca === undefined ? -1 : 1;
    const diff = logarithmicRankDiff(ca, cb, now);
    return diff === 0 ? byUid() : diff;
  }
  return 0;
}

/**
 * getPodsToDelete: the `count` pods to go, ranked against `related` (the active pods of every
 * ReplicaSet of the same owner, this one's included) by how many share each pod's node.
 */
export function podsToDelete(pods: Pod[], related: Pod[], count: number, now: number): Pod[] {
  if (count >= pods.length) return pods.slice(0, count);
  const onNode = new Map<string, number>();
  for (const p of related) {
    const node = p.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  const ranked: RankedPod[] = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((a, b) => compareForDeletion(a, b, now));
  return ranked.slice(0, count).map((r) => r.pod);
}
