/**
 * PrioritySort (QueueSort): higher spec.priority first; equal priorities in the order they entered
 * the queue.
 */
import type { QueuedPodInfo, QueueSortPlugin } from '../framework/interface';
import { PRIORITY_SORT } from './names';

export function podPriority(p: QueuedPodInfo): number {
  return p.podInfo.pod.spec.priority ?? 0;
}

export class PrioritySort implements QueueSortPlugin {
  readonly name = PRIORITY_SORT;

  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const pa = podPriority(a);
    const pb = podPriority(b);
    return pa > pb || (pa === pb && a.timestamp < b.timestamp);
  }
}
