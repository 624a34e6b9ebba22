/**
 * Resource arithmetic as the scheduler needs it: quantities parsed once into integers (CPU in
 * millicores, everything else in whole units, memory in bytes), a pod's effective request
 * (kube-scheduler's resourcehelper.PodRequests), and the "non-zero" request used for scoring so
 * that pods without requests still spread (100m CPU and 200Mi memory per container).
 *
 * The quantity parser is local on purpose: it only has to read well-formed quantities that the
 * API server already validated, and the scheduler parses the same strings thousands of times a
 * second, so it caches.
 */
import type { Container, Pod } from '../../api/types';

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const PODS = 'pods';

/** kube-scheduler's DefaultMilliCPURequest and DefaultMemoryRequest (pkg/scheduler/util). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

const cache = new Map<string, number>();

/** The quantity's value as a number of units (`500m` → 0.5, `1Gi` → 1073741824); NaN if malformed. */
export function quantityValue(text: string | number | undefined): number {
  if (text === undefined) return 0;
  if (typeof text === 'number') return text;
  let v = cache.get(text);
  if (v !== undefined) return v;
  const m = QUANTITY.exec(text.trim());
  if (!m) v = NaN;
  else {
    const n = Number(m[1]);
    if (m[2] !== undefined) v = n * (BINARY[m[2]] ?? DECIMAL[m[2]]!);
    else if (m[3] !== undefined) v = n * 10 ** Number(m[3]);
    else v = n;
  }
  if (cache.size > 10000) cache.clear();
  cache.set(text, v);
  return v;
}

/** CPU in millicores, rounded up as resource.Quantity.MilliValue() does. */
export function milliValue(text: string | number | undefined): number {
  return Math.ceil(Math.round(quantityValue(text) * 1e9) / 1e6);
}

/** Whole units, rounded up as resource.Quantity.Value() does. */
export function wholeValue(text: string | number | undefined): number {
  return Math.ceil(quantityValue(text) - 1e-9);
}

const NO_SCALARS: ReadonlyMap<string, number> = new Map();

/**
 * An amount of every resource the scheduler accounts for. The cache keeps three per node and one
 * or two per pod shape (see pod-info.ts), so the rarely used `scalar` map exists only once
 * something is put in it.
 */
export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  private scalars: Map<string, number> | undefined;

  /** Extended resources (e.g. `nvidia.com/gpu`), hugepages and anything else, in whole units; read-only. */
  get scalar(): ReadonlyMap<string, number> {
    return this.scalars ?? NO_SCALARS;
  }

  private setScalar(name: string, value: number): void {
    (this.scalars ??= new Map()).set(name, value);
  }

  static fromList(list: Record<string, string> | undefined): Resource {
    const r = new Resource();
    if (list) for (const [name, q] of Object.entries(list)) r.addOne(name, q, 1);
    return r;
  }

  addOne(name: string, q: string | number, sign: 1 | -1): void {
    switch (name) {
      case CPU: this.milliCPU += sign * milliValue(q); break;
      case MEMORY: this.memory += sign * wholeValue(q); break;
      case EPHEMERAL_STORAGE: this.ephemeralStorage += sign * wholeValue(q); break;
      case PODS: this.allowedPodNumber += sign * wholeValue(q); break;
      default: this.setScalar(name, (this.scalar.get(name) ?? 0) + sign * wholeValue(q));
    }
  }

  add(other: Resource, sign: 1 | -1 = 1): void {
    this.milliCPU += sign * other.milliCPU;
    this.memory += sign * other.memory;
    this.ephemeralStorage += sign * other.ephemeralStorage;
    this.allowedPodNumber += sign * other.allowedPodNumber;
    for (const [k, v] of other.scalar) this.setScalar(k, (this.scalar.get(k) ?? 0) + sign * v);
  }

  /** Each field becomes the larger of the two (init containers). */
  setMax(other: Resource): void {
    this.milliCPU = Math.max(this.milliCPU, other.milliCPU);
    this.memory = Math.max(this.memory, other.memory);
    this.ephemeralStorage = Math.max(this.ephemeralStorage, other.ephemeralStorage);
    for (const [k, v] of other.scalar) this.setScalar(k, Math.max(this.scalar.get(k) ?? 0, v));
  }

  clone(): Resource {
    const r = new Resource();
    r.add(this);
    return r;
  }

  isZero(): boolean {
    if (this.milliCPU !== 0 || this.memory !== 0 || this.ephemeralStorage !== 0) return false;
    for (const v of this.scalar.values()) if (v !== 0) return false;
    return true;
  }

  /** The amount of one named resource (CPU in millicores). */
  get(name: string): number {
    switch (name) {
      case CPU: return this.milliCPU;
      case MEMORY: return this.memory;
      case EPHEMERAL_STORAGE: return this.ephemeralStorage;
      case PODS: return this.allowedPodNumber;
      default: return this.scalar.get(name) ?? 0;
    }
  }
}

function containerRequests(c: Container, nonZero: boolean): Resource {
  const r = Resource.fromList(c.resources?.requests);
  // Limits without requests default requests to the limits (API defaulting); read limits too in
  // case the object came from somewhere that skipped defaulting.
  const limits = c.resources?.limits;
  if (limits) for (const [name, q] of Object.entries(limits)) if (c.resources?.requests?.[name] === undefined) r.addOne(name, q, 1);
  if (nonZero) {
    if (!hasRequest(c, CPU)) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (!hasRequest(c, MEMORY)) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

function hasRequest(c: Container, name: string): boolean {
  return c.resources?.requests?.[name] !== undefined || c.resources?.limits?.[name] !== undefined;
}

/**
 * The pod's effective request: the sum of its containers, or the largest init container if larger,
 * with restartable (sidecar) init containers adding to everything after them; plus overhead.
 * `nonZero` substitutes the scoring defaults for containers that request no CPU or memory.
 */
export function podRequests(pod: Pod, nonZero = false): Resource {
  const reqs = new Resource();
  for (const c of pod.spec.containers ?? []) reqs.add(containerRequests(c, nonZero));
  const sidecars = new Resource();
  const initMax = new Resource();
  for (const c of pod.spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      sidecars.add(r);
      initMax.setMax(sidecars);
    } else {
      const withSidecars = r.clone();
      withSidecars.add(sidecars);
      initMax.setMax(withSidecars);
    }
  }
  reqs.add(sidecars);
  reqs.setMax(initMax);
  const overhead = pod.spec.overhead as Record<string, string> | undefined;
  if (overhead) reqs.add(Resource.fromList(overhead));
  return reqs;
}

/** Human form of an amount: `1.5` CPUs, `512Mi` memory. */
export function formatAmount(name: string, value: number): string {
  if (name === CPU) {
    const cpus = value / 1000;
    return Number.isInteger(cpus) ? String(cpus) : String(Math.round(cpus * 1000) / 1000);
  }
  if (name === MEMORY || name === EPHEMERAL_STORAGE) {
    for (const [suffix, f] of [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
      if (Math.abs(value) >= f) {
        const n = value / f;
        return `${Number.isInteger(n) ? n : n.toFixed(1)}${suffix}`;
      }
    }
  }
  return String(value);
}
