/**
 * NodeResourcesBalancedAllocation (Score; weight 1): prefers nodes where, after placing the pod,
 * cpu and memory are used in similar proportions: 100 × (1 − the standard deviation of the
 * requested/allocatable fractions).
 */
import type { CycleState } from '../framework/cycle-state';
import type { ScorePlugin } from '../framework/interface';
import { MAX_NODE_SCORE } from '../framework/interface';
import type { NodeInfo } from '../framework/node-info';
import type { PodInfo } from '../framework/pod-info';
import { NODE_RESOURCES_BALANCED_ALLOCATION } from './names';
import { allocatableAndRequested, SCORING_RESOURCES } from './node-resources-fit';

export function balancedResourceScore(requested: number[], allocatable: number[]): number {
  const fractions: number[] = [];
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(1, requested[i]! / allocatable[i]!);
    total += f;
    fractions.push(f);
  }
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  else if (fractions.length > 2) {
    const mean = total / fractions.length;
    std = Math.sqrt(fractions.reduce((s, f) => s + (f - mean) ** 2, 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export class NodeResourcesBalancedAllocation implements ScorePlugin {
  readonly name = NODE_RESOURCES_BALANCED_ALLOCATION;

  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const requested: number[] = [];
    const allocatable: number[] = [];
    for (const { name } of SCORING_RESOURCES) {
      const [a, r] = allocatableAndRequested(node, pod, name);
      allocatable.push(a);
      requested.push(r);
    }
    return balancedResourceScore(requested, allocatable);
  }
}
