/** Taints and tolerations as the scheduler and the taint eviction controller match them. */
import type { Taint, Toleration } from '../api/types';

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';

/** v1.Toleration.ToleratesTaint. */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (!toleration.key && toleration.operator !== 'Exists') return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/**
 * When a pod on a node with these taints must go (the taint eviction controller's
 * getMinTolerationTime over GetMatchingTolerations: the first toleration matching each NoExecute
 * taint): 'now' for a taint it does not tolerate or a tolerationSeconds ≤ 0; `afterMs` from now
 * (processPodOnNode counts from when it looks, not from the taint's timeAdded) for the smallest
 * tolerationSeconds; undefined when there is no NoExecute taint or it is tolerated forever.
 */
export function evictionDelay(taints: Taint[], tolerations: Toleration[]): { afterMs: number } | 'now' | undefined {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  if (noExecute.length === 0) return undefined;
  const used = new Set<Toleration>();
  for (const taint of noExecute) {
    const first = tolerations.find((t) => tolerates(t, taint));
    if (first === undefined) return 'now';
    used.add(first);
  }
  let min = Infinity;
  for (const t of used) {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
    if (t.tolerationSeconds <= 0) return 'now';
    min = Math.min(min, t.tolerationSeconds);
  }
  if (min === Infinity) return undefined;
  return { afterMs: min * 1000 };
}
