/**
 * How long things take on a simulated node, as data (kwok's stages: a delay and a jitter per step).
 * Every duration is virtual milliseconds; `jitter` is a fraction of `ms` drawn uniformly in
 * [-jitter, +jitter] from a random source seeded per node, so one seed replays one run.
 */

export interface Timing {
  ms: number;
  jitter?: number;
}

export interface BackOffPolicy {
  initialMs: number;
  maxMs: number;
}

export interface KubeletBehaviour {
  /** Seed of every random draw (jitter, machine and boot IDs; mixed into container IDs); the node name is mixed in per node. */
  seed: number;
  /** Sandbox and network set up: PodReadyToStartContainers turns True and the pod gets its IP. */
  sandboxStart: Timing;
  /** Registry round trip before bytes flow (also the whole pull of an image already present under Always). */
  pullLatency: Timing;
  /** Download and unpack speed of image pulls. */
  pullBytesPerSecond: number;
  /** Created → Started. */
  containerStart: Timing;
  /** A container exits; the kubelet notices on its next relist (PLEG, 1 s). */
  relist: Timing;
  /** A process that handles SIGTERM exits this long after it. */
  sigtermExit: Timing;
  /** From a container going over its memory limit to the OOM kill. */
  oomKill: Timing;
  /** CrashLoopBackOff: 10 s doubling to 5 min, the kubelet's backOffPeriod and MaxContainerBackOff. */
  crashLoopBackOff: BackOffPolicy;
  /** ImagePullBackOff: the same figures as the kubelet's image back-off. */
  imagePullBackOff: BackOffPolicy;
  /** Retries of a CreateContainerConfigError (the pod's resync). */
  configRetry: Timing;
}

export const DEFAULT_BEHAVIOUR: KubeletBehaviour = {
  seed: 1,
  sandboxStart: { ms: 1000, jitter: 0.3 },
  pullLatency: { ms: 400, jitter: 0.5 },
  pullBytesPerSecond: 50 * 1024 * 1024,
  containerStart: { ms: 150, jitter: 0.3 },
  relist: { ms: 1000, jitter: 0.2 },
  sigtermExit: { ms: 300, jitter: 0.5 },
  oomKill: { ms: 1500, jitter: 0.3 },
  crashLoopBackOff: { initialMs: 10_000, maxMs: 300_000 },
  imagePullBackOff: { initialMs: 10_000, maxMs: 300_000 },
  configRetry: { ms: 10_000 },
};

/** mulberry32: small, fast and good enough for jitter. */
export class Random {
  private state: number;

  constructor(seed: number | string) {
    this.state = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A duration with its jitter applied. */
  duration(timing: Timing): number {
    const jitter = timing.jitter ?? 0;
    return Math.max(0, Math.round(timing.ms * (1 + jitter * (2 * this.next() - 1))));
  }

  hex(length: number): string {
    // Digit codes made into one flat string (a machine id lives as long as its node: a chain of
    // `+=` pieces would keep every piece).
    const codes = HEX_CODES;
    let k = 0;
    for (let n = 0; n < length; n += 8, k += 8) {
      let word = Math.floor(this.next() * 0x100000000);
      for (let j = 7; j >= 0; j--) {
        codes[k + j] = HEX_DIGITS[word & 15]!;
        word >>>= 4;
      }
    }
    codes.length = k;
    const out = String.fromCharCode.apply(null, codes);
    return out.length === length ? out : out.slice(0, length);
  }
}

/** The char codes of 0-9a-f, and the scratch array Random.hex fills (one thread: never shared). */
const HEX_DIGITS = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
const HEX_CODES: number[] = [];

export function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Go's time.Duration String for whole seconds: `10s`, `1m20s`, `5m0s`. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${m}m${s % 60}s` : `${m}m${s % 60}s`;
}

/** Go's rounding of a pull time, as the Pulled event prints it: `1.805s`, `512ms`. */
export function goSeconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  return `${Number((ms / 1000).toFixed(3))}s`;
}
