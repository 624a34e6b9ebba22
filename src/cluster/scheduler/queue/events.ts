/**
 * Cluster events that may make an unschedulable pod schedulable, and which plugins' rejections
 * each can resolve (a coarse version of kube-scheduler's EventsToRegister / queueing hints).
 * A pod rejected by a plugin not listed for an event stays in the unschedulable pool.
 */
import {
  INTER_POD_AFFINITY, NODE_AFFINITY, NODE_NAME, NODE_PORTS, NODE_RESOURCES_FIT, NODE_UNSCHEDULABLE, POD_TOPOLOGY_SPREAD, TAINT_TOLERATION,
} from '../plugins/names';

export type ClusterEvent = 'NodeAdd' | 'NodeUpdate' | 'AssignedPodAdd' | 'AssignedPodUpdate' | 'AssignedPodDelete' | 'UnschedulableTimeout' | 'ForceActivate';

const ALL_FILTERS = [NODE_UNSCHEDULABLE, NODE_NAME, TAINT_TOLERATION, NODE_AFFINITY, NODE_PORTS, NODE_RESOURCES_FIT, POD_TOPOLOGY_SPREAD, INTER_POD_AFFINITY];

export const EVENT_RESOLVES: Record<ClusterEvent, Set<string> | 'all'> = {
  NodeAdd: 'all',
  NodeUpdate: new Set([NODE_UNSCHEDULABLE, TAINT_TOLERATION, NODE_AFFINITY, NODE_RESOURCES_FIT, POD_TOPOLOGY_SPREAD, INTER_POD_AFFINITY]),
  AssignedPodAdd: new Set([POD_TOPOLOGY_SPREAD, INTER_POD_AFFINITY]),
  AssignedPodUpdate: new Set([POD_TOPOLOGY_SPREAD, INTER_POD_AFFINITY, NODE_RESOURCES_FIT]),
  AssignedPodDelete: new Set([NODE_RESOURCES_FIT, NODE_PORTS, POD_TOPOLOGY_SPREAD, INTER_POD_AFFINITY]),
  UnschedulableTimeout: 'all',
  ForceActivate: 'all',
};

/** Whether `event` may help a pod that these plugins rejected (no recorded plugin: any event may). */
export function eventMayHelp(event: ClusterEvent, rejectedBy: Set<string>): boolean {
  const resolves = EVENT_RESOLVES[event];
  if (resolves === 'all' || rejectedBy.size === 0) return true;
  for (const p of rejectedBy) if (resolves.has(p) || !ALL_FILTERS.includes(p)) return true;
  return false;
}
