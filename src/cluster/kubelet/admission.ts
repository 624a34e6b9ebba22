/**
 * The kubelet's own admission (its predicate check): a pod bound straight to a node with
 * `spec.nodeName`, past the scheduler, is rejected when the node lacks the room, as 1.32 words it:
 * phase Failed, reason `OutOfcpu` / `OutOfmemory` / `OutOfpods`, message `Pod was rejected: Node
 * didn't have enough resource: cpu, requested: 8000, used: 500, capacity: 4000` (cpu in millicores,
 * memory in bytes).
 */
import type { Container, Pod } from '../api/types';
import { parseQuantityBytes } from './faults';

export interface Rejection {
  reason: string;
  message: string;
}

export function cpuMillis(quantity: string | undefined): number {
  if (!quantity) return 0;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity.trim());
  if (!m) return 0;
  return m[2] ? Math.round(Number(m[1])) : Math.round(Number(m[1]) * 1000);
}

/** The pod's effective request: the larger of the app containers' sum and any init container. */
export function podRequests(pod: Pod): { cpu: number; memory: number } {
  const sum = (containers: Container[]) => containers.reduce((acc, c) => ({
    cpu: acc.cpu + cpuMillis(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu),
    memory: acc.memory + (parseQuantityBytes(c.resources?.requests?.memory ?? c.resources?.limits?.memory) ?? 0),
  }), { cpu: 0, memory: 0 });
  const sidecars = (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  const app = sum([...pod.spec.containers, ...sidecars]);
  for (const init of pod.spec.initContainers ?? []) {
    if (init.restartPolicy === 'Always') continue;
    const one = sum([init]);
    app.cpu = Math.max(app.cpu, one.cpu);
    app.memory = Math.max(app.memory, one.memory);
  }
  return app;
}

export function admitPod(pod: Pod, running: Pod[], allocatable: Record<string, string>): Rejection | undefined {
  const podsCapacity = Number(allocatable.pods ?? 110);
  if (running.length + 1 > podsCapacity) {
    const detail = `pods, requested: 1, used: ${running.length}, capacity: ${podsCapacity}`;
    return { reason: 'OutOfpods', message: `Pod was rejected: Node didn't have enough resource: ${detail}` };
  }
  const want = podRequests(pod);
  const used = running.map(podRequests).reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }), { cpu: 0, memory: 0 });
  const cpuCapacity = cpuMillis(allocatable.cpu);
  if (want.cpu > 0 && used.cpu + want.cpu > cpuCapacity) {
    return { reason: 'OutOfcpu', message: `Pod was rejected: Node didn't have enough resource: cpu, requested: ${want.cpu}, used: ${used.cpu}, capacity: ${cpuCapacity}` };
  }
  const memoryCapacity = parseQuantityBytes(allocatable.memory) ?? 0;
  if (want.memory > 0 && used.memory + want.memory > memoryCapacity) {
    return { reason: 'OutOfmemory', message: `Pod was rejected: Node didn't have enough resource: memory, requested: ${want.memory}, used: ${used.memory}, capacity: ${memoryCapacity}` };
  }
  return undefined;
}
