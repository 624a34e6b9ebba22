/** The 1.32 default plugin names (pkg/scheduler/framework/plugins/names). */
export const SCHEDULING_GATES = 'SchedulingGates';
export const PRIORITY_SORT = 'PrioritySort';
export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const NODE_NAME = 'NodeName';
export const TAINT_TOLERATION = 'TaintToleration';
export const NODE_AFFINITY = 'NodeAffinity';
export const NODE_PORTS = 'NodePorts';
export const NODE_RESOURCES_FIT = 'NodeResourcesFit';
export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';
export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const DEFAULT_PREEMPTION = 'DefaultPreemption';
export const NODE_RESOURCES_BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';
export const IMAGE_LOCALITY = 'ImageLocality';
export const DEFAULT_BINDER = 'DefaultBinder';
