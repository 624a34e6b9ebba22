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
import { SCORING_RESOURCES, scoringAllocatable, scoringRequested } from './node-resources-fit';

export function balancedResourceScore(requested: number[], allocatable: number[]): number {
  // The common case, two resources (cpu and memory), without allocating.
  if (requested.length === 2 && allocatable[0] !== 0 && allocatable[1] !== 0) {
    const a = Math.min(1, requested[0]! / allocatable[0]!);
    const b = Math.min(1, requested[1]! / allocatable[1]!);
    return Math.trunc((1 - Math.abs((a - b) / 2)) * MAX_NODE_SCORE);
  }
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

  // Reused between calls: scoring is synchronous and this runs for every feasible node.
  private readonly requested = new Array<number>(SCORING_RESOURCES.length);
  private readonly allocatable = new Array<number>(SCORING_RESOURCES.length);

  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    for (let i = 0; i < SCORING_RESOURCES.length; i++) {
      const name = SCORING_RESOURCES[i]!.name;
      this.allocatable[i] = scoringAllocatable(node, pod, name);
      this.requested[i] = scoringRequested(node, pod, name);
    }
    return balancedResourceScore(this.requested, this.allocatable);
  }
}
