/** Helpers shared by plugins (pkg/scheduler/framework/plugins/helper). */
import type { NodeScore } from '../framework/interface';

/**
 * Scales scores so the highest becomes `maxPriority` (integer arithmetic as in Go); `reverse`
 * flips them so the lowest raw score wins. All zero: 0, or `maxPriority` when reversed.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: NodeScore[]): void {
  let maxCount = 0;
  for (const s of scores) if (s.score > maxCount) maxCount = s.score;
  if (maxCount === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return;
  }
  for (const s of scores) {
    let score = Math.trunc((maxPriority * s.score) / maxCount);
    if (reverse) score = maxPriority - score;
    s.score = score;
  }
}
