/**
 * What a pod worker remembers of the conditions it last computed for its pod: per condition type
 * the kubelet computes, its status and lastTransitionTime, which is all withTransitionTimes needs
 * of them. A worker per running pod keeps this for as long as the pod runs, so it is two members
 * of the worker (a number with two bits per type, and the times as one array of strings, equal
 * times one string, equal arrays one array) rather than the condition objects (~400 B a pod).
 */
import type { PodCondition } from '../api/types';
import { StringPool } from '../api/string-pool';

/** The types the kubelet computes, in the order it writes them (see podConditions). */
export const KUBELET_CONDITION_TYPES = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'] as const;

const STATUS_CODE: Record<string, number> = { True: 1, False: 2, Unknown: 3 };
const STATUS_TEXT = ['', 'True', 'False', 'Unknown'] as const;

/** Conditions as remembered: `statuses` two bits per type (0: none), `times` '' where none. */
export interface ConditionMemo {
  statuses: number;
  /** Shared by the memos of every pod with the same times (sharedTimes): never written. */
  times: readonly string[] | undefined;
}

/**
 * The memo of `conditions` (the last of each type counts, as lastOfType reads them). A status the
 * kubelet does not write (none of True, False, Unknown) is not remembered: its condition then gets
 * a new transition time, as a changed status does.
 */
export function conditionMemo(conditions: readonly PodCondition[] | undefined): ConditionMemo {
  let statuses = 0;
  let times: string[] | undefined;
  if (conditions) {
    KUBELET_CONDITION_TYPES.forEach((type, i) => {
      let c: PodCondition | undefined;
      for (let j = conditions.length - 1; j >= 0 && !c; j--) if (conditions[j]!.type === type) c = conditions[j];
      const code = c ? STATUS_CODE[c.status] ?? 0 : 0;
      if (code === 0) return;
      statuses |= code << (2 * i);
      (times ??= KUBELET_CONDITION_TYPES.map(() => ''))[i] = transitionTimes.intern(c!.lastTransitionTime ?? '');
    });
  }
  return { statuses, times: times && sharedTimes(times) };
}

/**
 * The same times as an array made before, when there is one: pods that start together (a
 * Deployment scaled up, a node's pods after a restart) go through their conditions in the same
 * seconds, and each worker keeps its times for as long as its pod runs. The arrays are never
 * changed once made (a memo is made anew each time), so sharing one is safe.
 */
function sharedTimes(times: string[]): readonly string[] {
  const key = times.join(' ');
  let shared = timeLists.get(key);
  // The API server takes any string as a time: one with a space in it can spell another list's key.
  // Compared in full, so that a worker never gets another pod's times.
  if (shared !== undefined && !shared.every((time, i) => time === times[i])) return times;
  if (shared === undefined) {
    if (timeLists.size >= MAX_TIME_LISTS) timeLists.clear();
    shared = times;
    timeLists.set(key, shared);
  }
  return shared;
}

const timeLists = new Map<string, readonly string[]>();
const MAX_TIME_LISTS = 4096;

/** The remembered status and lastTransitionTime of `type`, if any. */
export function rememberedCondition(memo: ConditionMemo, type: string): { status: string; lastTransitionTime?: string } | undefined {
  const i = (KUBELET_CONDITION_TYPES as readonly string[]).indexOf(type);
  if (i < 0) return undefined;
  const code = (memo.statuses >> (2 * i)) & 3;
  if (code === 0) return undefined;
  const time = memo.times?.[i];
  return time ? { status: STATUS_TEXT[code]!, lastTransitionTime: time } : { status: STATUS_TEXT[code]! };
}

/**
 * The remembered lastTransitionTime of `type` when its remembered status is `status`, else
 * undefined: what withTransitionTimes takes from a remembered condition, without making one.
 */
export function rememberedTime(memo: ConditionMemo, type: string, status: string): string | undefined {
  const i = (KUBELET_CONDITION_TYPES as readonly string[]).indexOf(type);
  if (i < 0) return undefined;
  const code = (memo.statuses >> (2 * i)) & 3;
  if (code === 0 || STATUS_TEXT[code] !== status) return undefined;
  return memo.times?.[i] || undefined;
}

/** One string per distinct time: the conditions of pods started in the same second carry the same one. */
const transitionTimes = new StringPool(4096);
