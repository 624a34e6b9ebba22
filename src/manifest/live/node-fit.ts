/**
 * Per node, for a pod spec: what is free (allocatable minus the requests of the pods bound there that
 * have not finished), whether the pod's requests fit, whether it matches the nodeSelector and required
 * node affinity, and which taint blocks it. The matching rules are the scheduler's own
 * (src/cluster/scheduler/plugins); this only reads them for a hover.
 */
import type { Node, Pod, PodSpec, Taint, Toleration } from '../../cluster/api/types';
import { milliValue, quantityValue } from '../../cluster/scheduler/framework/resource';
import { matchesRequiredNodeAffinity, requiredNodeAffinityOf } from '../../cluster/scheduler/plugins/node-affinity';
import { FILTER_EFFECTS, findUntoleratedTaint } from '../../cluster/scheduler/plugins/taint-toleration';

export interface NodeFit {
  node: string;
  /** Millicores. */
  freeCpu: number;
  /** Bytes. */
  freeMemory: number;
  fitsCpu: boolean;
  fitsMemory: boolean;
  matchesAffinity: boolean;
  blockingTaint?: Taint;
  unschedulable: boolean;
}

export interface PodRequests {
  cpu: number;
  memory: number;
}

/** Sum of the containers' requests, or the largest init container's when that is more (as the scheduler counts). */
export function podRequests(spec: PodSpec | undefined): PodRequests {
  const sum = (list: PodSpec['containers'] | undefined) => {
    const total = { cpu: 0, memory: 0 };
    for (const c of list ?? []) {
      // A limit without a request is the request too (the API server defaults it so).
      const resources = (c.resources ?? {}) as { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
      const requests = resources.requests ?? {};
      const limits = resources.limits ?? {};
      total.cpu += safe(() => milliValue(requests.cpu ?? limits.cpu));
      total.memory += safe(() => quantityValue(requests.memory ?? limits.memory));
    }
    return total;
  };
  const main = sum(spec?.containers);
  for (const init of spec?.initContainers ?? []) {
    const one = sum([init]);
    main.cpu = Math.max(main.cpu, one.cpu);
    main.memory = Math.max(main.memory, one.memory);
  }
  return main;
}

export function nodeFits(spec: PodSpec, nodes: readonly Node[], pods: readonly Pod[]): NodeFit[] {
  const asked = podRequests(spec);
  const pod = { metadata: {}, spec } as Pod;
  const required = requiredNodeAffinityOf(pod);
  const tolerations = (spec.tolerations ?? []) as Toleration[];
  return nodes.map((node) => {
    const name = node.metadata.name ?? '';
    const used = { cpu: 0, memory: 0 };
    for (const p of pods) {
      if (p.spec.nodeName !== name || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
      const r = podRequests(p.spec);
      used.cpu += r.cpu;
      used.memory += r.memory;
    }
    const allocatable = node.status?.allocatable ?? {};
    const freeCpu = safe(() => milliValue(allocatable.cpu)) - used.cpu;
    const freeMemory = safe(() => quantityValue(allocatable.memory)) - used.memory;
    const fit: NodeFit = {
      node: name,
      freeCpu,
      freeMemory,
      fitsCpu: asked.cpu <= freeCpu,
      fitsMemory: asked.memory <= freeMemory,
      matchesAffinity: matchesRequiredNodeAffinity(required, node),
      unschedulable: node.spec?.unschedulable === true,
    };
    const taint = findUntoleratedTaint(node.spec?.taints ?? [], tolerations, FILTER_EFFECTS);
    if (taint !== undefined) fit.blockingTaint = taint;
    return fit;
  });
}

function safe(f: () => number): number {
  try {
    const n = f();
    return Number.isFinite(n) ? n : 0;
  } catch {
    return 0;
  }
}

export function formatCpu(milli: number): string {
  return milli % 1000 === 0 ? `${milli / 1000}` : `${milli}m`;
}

export function formatMemory(bytes: number): string {
  const units = ['Ki', 'Mi', 'Gi', 'Ti'];
  let value = bytes;
  let unit = '';
  for (const u of units) {
    if (Math.abs(value) < 1024) break;
    value /= 1024;
    unit = u;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)}${unit}`;
}
