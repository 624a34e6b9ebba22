/**
 * The kubelet's own admission (its predicate check): a pod bound straight to a node with
 * `spec.nodeName`, past the scheduler, is rejected when the node lacks the room, as 1.32 words it:
 * phase Failed, reason `OutOfcpu` / `OutOfmemory` / `OutOfpods`, message `Pod was rejected: Node
 * didn't have enough resource: cpu, requested: 8000, used: 500, capacity: 4000` (cpu in millicores,
 * memory in bytes).
 */
import type { Pod } from '../api/types';
// The kubelet checks with the scheduler's own arithmetic, as the real kubelet's admission calls the
// scheduler's NodeResourcesFit: a pod's effective request (sidecars, init containers, overhead) and
// quantities are computed one way for both.
import { milliValue, podRequests, wholeValue } from '../scheduler/framework/resource';

export interface Rejection {
  reason: string;
  message: string;
}

/** What a running pod requests: milliCPU and memory bytes (its effective request, see podRequests). */
export interface Requested {
  readonly milliCPU: number;
  readonly memory: number;
}

/**
 * `runningCount` pods run on the node; `running` lists what they request, called only when that
 * matters (the pod workers keep these numbers, so no pod object is read for it).
 */
export function admitPod(pod: Pod, runningCount: number, running: () => Iterable<Requested>, allocatable: Record<string, string>): Rejection | undefined {
  const podsCapacity = Number(allocatable.pods ?? 110);
  if (runningCount + 1 > podsCapacity) {
    const detail = `pods, requested: 1, used: ${runningCount}, capacity: ${podsCapacity}`;
    return { reason: 'OutOfpods', message: `Pod was rejected: Node didn't have enough resource: ${detail}` };
  }
  const want = podRequests(pod);
  const used = { cpu: 0, memory: 0 };
  // What the others use matters only to a pod that requests something (a BestEffort pod, the
  // usual one, fits whatever runs): summing it would cost a pass over every pod on the node.
  if (want.milliCPU > 0 || want.memory > 0) {
    for (const other of running()) {
      used.cpu += other.milliCPU;
      used.memory += other.memory;
    }
  }
  const cpuCapacity = milliValue(allocatable.cpu);
  if (want.milliCPU > 0 && used.cpu + want.milliCPU > cpuCapacity) {
    return { reason: 'OutOfcpu', message: `Pod was rejected: Node didn't have enough resource: cpu, requested: ${want.milliCPU}, used: ${used.cpu}, capacity: ${cpuCapacity}` };
  }
  const memoryCapacity = wholeValue(allocatable.memory);
  if (want.memory > 0 && used.memory + want.memory > memoryCapacity) {
    return { reason: 'OutOfmemory', message: `Pod was rejected: Node didn't have enough resource: memory, requested: ${want.memory}, used: ${used.memory}, capacity: ${memoryCapacity}` };
  }
  return undefined;
}
