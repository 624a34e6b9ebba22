/**
 * TaintToleration (Filter, PreScore, Score; weight 3): a node's NoSchedule and NoExecute taints
 * must be tolerated; PreferNoSchedule taints the pod does not tolerate lower the node's score.
 */
import type { Taint, Toleration } from '../../api/types';
import type { CycleState } from '../framework/cycle-state';
import type { FilterPlugin, NodeScore, PreScorePlugin, ScorePlugin } from '../framework/interface';
import { MAX_NODE_SCORE } from '../framework/interface';
import type { NodeInfo } from '../framework/node-info';
import type { PodInfo } from '../framework/pod-info';
import { Status } from '../framework/status';
import { defaultNormalizeScore } from './helper';
import { TAINT_TOLERATION } from './names';

export const ERR_REASON_UNTOLERATED_TAINT = (t: Taint): string => `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;

/** corev1 Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists': return true;
    case 'Equal': return (t.value ?? '') === (taint.value ?? '');
    default: return false;
  }
}

/** The first taint with one of `effects` that no toleration tolerates. */
export function findUntoleratedTaint(taints: readonly Taint[], tolerations: Toleration[], effects: Taint['effect'][]): Taint | undefined {
  for (const taint of taints) {
    if (!effects.includes(taint.effect)) continue;
    if (!tolerations.some((t) => toleratesTaint(t, taint))) return taint;
  }
  return undefined;
}

const PRE_SCORE_KEY = 'PreScore' + TAINT_TOLERATION;
/** The effects Filter enforces (PreferNoSchedule only scores). */
export const FILTER_EFFECTS: Taint['effect'][] = ['NoSchedule', 'NoExecute'];

export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = TAINT_TOLERATION;

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const taints = node.taints;
    if (taints.length === 0) return Status.success();
    const taint = findUntoleratedTaint(taints, pod.pod.spec.tolerations ?? [], FILTER_EFFECTS);
    return taint ? Status.unresolvable(ERR_REASON_UNTOLERATED_TAINT(taint)) : Status.success();
  }

  preScore(state: CycleState, pod: PodInfo): Status {
    // Only tolerations that can tolerate PreferNoSchedule taints matter for scoring.
    const tolerations = (pod.pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    state.write(PRE_SCORE_KEY, tolerations);
    return Status.success();
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const taints = node.taints;
    if (taints.length === 0) return 0;
    const tolerations = state.read<Toleration[]>(PRE_SCORE_KEY) ?? pod.pod.spec.tolerations ?? [];
    let count = 0;
    for (const taint of taints) {
      if (taint.effect === 'PreferNoSchedule' && !tolerations.some((t) => toleratesTaint(t, taint))) count++;
    }
    return count;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: NodeScore[]): Status {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
    return Status.success();
  }
}
