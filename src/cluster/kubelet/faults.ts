/**
 * Fault injection through pod annotations, so a lesson can show a failure without a broken image.
 * Every key is `fault.kube-sim.io/<what>.<container>`; the value says how.
 *
 *   fault.kube-sim.io/exit.<container>:       `<code>` or `<code>@<duration>`: every run of the container
 *                                            exits with that code (after the duration, default 0s).
 *   fault.kube-sim.io/probe.<container>:      `liveness`, `readiness`, `startup` (comma-separated), each
 *                                            optionally `@<duration>`: that probe fails (from that long
 *                                            after the container starts), with HTTP status 500 / exit 1.
 *   fault.kube-sim.io/pull-delay.<container>: `<duration>`: the image pull takes that much longer.
 *   fault.kube-sim.io/pull-error.<container>: `<message>`: the image pull fails with that registry error.
 *   fault.kube-sim.io/memory.<container>:     `<quantity>` (e.g. `300Mi`): the container uses that much
 *                                            memory; over its limit it is OOMKilled.
 *
 * Durations are Go-style: `500ms`, `30s`, `2m`, `1h`.
 */
import type { Pod } from '../api/types';
import { wholeValue } from '../scheduler/framework/resource';

export const FAULT_PREFIX = 'fault.kube-sim.io/';

export interface ContainerFaults {
  exit?: { code: number; afterMs: number };
  probes?: Partial<Record<'liveness' | 'readiness' | 'startup', number>>;
  pullDelayMs?: number;
  pullError?: string;
  memoryBytes?: number;
}

export function parseDuration(text: string): number | undefined {
  let total = 0;
  let rest = text.trim();
  if (!rest) return undefined;
  if (/^\d+(\.\d+)?$/.test(rest)) return Number(rest) * 1000;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** A memory quantity in bytes (`128Mi`, `1G`, `1e9`, `500000`); undefined when malformed. */
export function parseQuantityBytes(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const bytes = wholeValue(String(text));
  return Number.isNaN(bytes) ? undefined : bytes;
}

export function containerFaults(pod: Pod, container: string): ContainerFaults {
  const annotations = pod.metadata.annotations ?? {};
  const get = (what: string) => annotations[`${FAULT_PREFIX}${what}.${container}`];
  const faults: ContainerFaults = {};
  const exit = get('exit');
  if (exit !== undefined) {
    const [code, after] = exit.split('@');
    const n = Number(code);
    if (Number.isInteger(n)) faults.exit = { code: n & 255, afterMs: after ? parseDuration(after) ?? 0 : 0 };
  }
  const probe = get('probe');
  if (probe) {
    faults.probes = {};
    for (const part of probe.split(',')) {
      const [kind, after] = part.trim().split('@') as [string, string | undefined];
      if (kind === 'liveness' || kind === 'readiness' || kind === 'startup') faults.probes[kind] = after ? parseDuration(after) ?? 0 : 0;
    }
  }
  const delay = get('pull-delay');
  if (delay) { const ms = parseDuration(delay); if (ms !== undefined) faults.pullDelayMs = ms; }
  const pullError = get('pull-error');
  if (pullError) faults.pullError = pullError;
  const memory = parseQuantityBytes(get('memory'));
  if (memory !== undefined) faults.memoryBytes = memory;
  return faults;
}
