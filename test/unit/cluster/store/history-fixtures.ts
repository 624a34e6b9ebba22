/** What the store's history property tests share: a seeded generator, pod-like texts and how an event prints. */
import { prefixEnd, type StoreWatchEvent } from '../../../../src/cluster/store/types';

export const PREFIX = '/registry/pods/default/';
export const END = prefixEnd(PREFIX);
/** Lets queued watch deliveries (microtasks) run. Not a wall-clock wait. */
export const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

export const show = (e: StoreWatchEvent) =>
  `${e.type} ${e.kv.key}@${e.kv.modRevision}#${e.kv.version}=${e.kv.value} prev=${e.prevKv ? `${e.prevKv.modRevision}#${e.prevKv.version}=${e.prevKv.value}` : '-'}`;

export function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

/** A pod-like text whose versions differ in a little (so the packer makes deltas) or in much (blocks, codecs). */
export function podText(key: string, n: number): string {
  const status = n % 3 === 0 ? {} : { phase: n % 3 === 1 ? 'Pending' : 'Running', startTime: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}Z`, podIP: `10.244.${n % 7}.${n % 250}` };
  return JSON.stringify({ kind: 'Pod', metadata: { name: key.slice(PREFIX.length), labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] }, status, n });
}
