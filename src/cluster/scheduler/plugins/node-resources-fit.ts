/**
 * NodeResourcesFit (PreFilter, Filter, Score; weight 1): the pod's requests must fit in what the
 * node has left (allocatable minus the requests of its pods), for cpu, memory, ephemeral-storage,
 * extended resources and the pod count. Scoring is LeastAllocated over cpu and memory (weight 1
 * each): the emptier the node after placing the pod, the higher.
 */
import type { CycleState } from '../framework/cycle-state';
import type { FilterPlugin, PreFilterPlugin, ScorePlugin } from '../framework/interface';
import { MAX_NODE_SCORE } from '../framework/interface';
import type { NodeInfo } from '../framework/node-info';
import type { PodInfo } from '../framework/pod-info';
import { CPU, EPHEMERAL_STORAGE, MEMORY, type Resource } from '../framework/resource';
import { Status } from '../framework/status';
import { NODE_RESOURCES_FIT } from './names';

export const ERR_REASON_TOO_MANY_PODS = 'Too many pods';
export const ERR_REASON_INSUFFICIENT = (resource: string): string => `Insufficient ${resource}`;

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/** Every resource the pod asks for more of than the node has free (kube-scheduler's fitsRequest). */
const FITS: InsufficientResource[] = [];

export function fitsRequest(podRequest: Resource, node: NodeInfo): InsufficientResource[] {
  // Fast path: everything fits (the common case, checked for every node of every cycle).
  if (node.freePods >= 1 && podRequest.milliCPU <= node.freeMilliCPU && podRequest.memory <= node.freeMemory
    && podRequest.ephemeralStorage <= node.freeEphemeralStorage && podRequest.scalar.size === 0) return FITS;
  const out: InsufficientResource[] = [];
  const allowedPods = node.allocatable.allowedPodNumber;
  if (node.pods.length + 1 > allowedPods) {
    out.push({ resourceName: 'pods', reason: ERR_REASON_TOO_MANY_PODS, requested: 1, used: node.pods.length, capacity: allowedPods });
  }
  if (podRequest.isZero()) return out;
  const check = (name: string, requested: number, used: number, capacity: number) => {
    if (requested > 0 && requested > capacity - used) out.push({ resourceName: name, reason: ERR_REASON_INSUFFICIENT(name), requested, used, capacity });
  };
  check(CPU, podRequest.milliCPU, node.requested.milliCPU, node.allocatable.milliCPU);
  check(MEMORY, podRequest.memory, node.requested.memory, node.allocatable.memory);
  check(EPHEMERAL_STORAGE, podRequest.ephemeralStorage, node.requested.ephemeralStorage, node.allocatable.ephemeralStorage);
  for (const [name, requested] of podRequest.scalar) {
    if (requested === 0) continue;
    check(name, requested, node.requested.scalar.get(name) ?? 0, node.allocatable.scalar.get(name) ?? 0);
  }
  return out;
}

/** LeastAllocated for one resource: ((capacity - requested) * 100) / capacity, 0 when over. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** The default scoring resources and weights (config v1 defaults: cpu 1, memory 1). */
export const SCORING_RESOURCES = [{ name: CPU, weight: 1 }, { name: MEMORY, weight: 1 }];

/**
 * Allocatable of one resource as the resource allocation scorers read it (0: skip the resource,
 * e.g. an extended resource the pod does not ask for).
 */
export function scoringAllocatable(node: NodeInfo, pod: PodInfo, name: string): number {
  switch (name) {
    case CPU: return node.allocatableMilliCPU;
    case MEMORY: return node.allocatableMemory;
    case EPHEMERAL_STORAGE: return node.allocatable.ephemeralStorage;
    default: return (pod.requests.scalar.get(name) ?? 0) === 0 ? 0 : (node.allocatable.scalar.get(name) ?? 0);
  }
}

/** What the node would have requested of one resource with the pod on it (non-zero defaults for cpu and memory). */
export function scoringRequested(node: NodeInfo, pod: PodInfo, name: string): number {
  switch (name) {
    case CPU: return node.nonZeroRequestedMilliCPU + pod.nonZeroRequests.milliCPU;
    case MEMORY: return node.nonZeroRequestedMemory + pod.nonZeroRequests.memory;
    case EPHEMERAL_STORAGE: return node.requested.ephemeralStorage + pod.requests.ephemeralStorage;
    default: return (node.requested.scalar.get(name) ?? 0) + (pod.requests.scalar.get(name) ?? 0);
  }
}

export function leastAllocatedScore(node: NodeInfo, pod: PodInfo): number {
  let score = 0;
  let weightSum = 0;
  for (const { name, weight } of SCORING_RESOURCES) {
    const allocatable = scoringAllocatable(node, pod, name);
    if (allocatable === 0) continue;
    const requested = scoringRequested(node, pod, name);
    score += leastRequestedScore(requested, allocatable) * weight;
    weightSum += weight;
  }
  return weightSum === 0 ? 0 : Math.trunc(score / weightSum);
}

const PRE_FILTER_KEY = 'PreFilter' + NODE_RESOURCES_FIT;

export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, ScorePlugin {
  readonly name = NODE_RESOURCES_FIT;

  preFilter(state: CycleState, pod: PodInfo) {
    state.write(PRE_FILTER_KEY, pod.requests);
    return { status: Status.success() };
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const request = state.read<Resource>(PRE_FILTER_KEY) ?? pod.requests;
    const insufficient = fitsRequest(request, node);
    if (insufficient.length === 0) return Status.success();
    return Status.unschedulable(...insufficient.map((r) => r.reason));
  }

  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    return leastAllocatedScore(node, pod);
  }
}
