/**
 * A watch with a field selector, replayed from an old resourceVersion after the store has packed
 * the pods' superseded versions and folded them into fossils (store/packing/fossil.ts): a pod that
 * leaves the selection is DELETED with its last matching state at the revision that moved it, as
 * the live watcher saw it. The previous versions those events need come out of the fossils.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PODS } from '../../../../../src/cluster/client/client';
import type { Pod, WatchEvent } from '../../../../../src/cluster/api/types';
import { pod, startCluster } from '../fixture';

/** Lets queued watch deliveries run. Not a wall-clock wait. */
const drain = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};
const show = (e: WatchEvent<Pod>) => `${e.type} ${JSON.stringify(e.object)}`;

test('a field-selected watch replayed from an old resourceVersion over folded history gives what the live watch gave', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    for (let i = 0; i < 24; i++) await pods.create(pod(`p${i}`, { labels: { app: 'web' } }));
    const setPhase = (name: string, phase: string, n: number) =>
      pods.patch(name, 'merge', { status: { phase, message: `step ${n}`, podIP: `10.244.0.${n % 250}` } }, { namespace: 'default', subresource: 'status' });
    for (let i = 0; i < 24; i++) await setPhase(`p${i}`, 'Pending', i);
    const from = (await pods.list({ namespace: 'default' })).metadata.resourceVersion!;
    const live: string[] = [];
    const watching = pods.watch({ namespace: 'default', fieldSelector: 'status.phase=Pending', resourceVersion: from }, (e) => live.push(show(e)), () => undefined);
    let n = 100;
    for (let round = 0; round < 3; round++) {
      for (let i = round; i < 24; i += 3) await setPhase(`p${i}`, 'Running', n++);
      for (let i = round; i < 24; i += 5) await setPhase(`p${i}`, 'Pending', n++);
      for (let i = round * 2; i < 24; i += 11) await pods.delete(`p${i}`, { namespace: 'default', gracePeriodSeconds: 0 });
      for (let i = round * 2; i < 24; i += 11) await pods.create(pod(`p${i}`, { labels: { app: 'again' } }));
      for (let i = round * 2; i < 24; i += 11) await setPhase(`p${i}`, 'Pending', n++);
      await drain();
      // Superseded versions packed (deltas, blocks) and folded, more each round.
      await cluster.store.packValues!();
    }
    await drain();
    watching.stop();
    assert.ok(live.filter((e) => e.startsWith('DELETED')).length > 10 && live.filter((e) => e.startsWith('ADDED')).length > 10, live.join('\n'));

    const replayed: string[] = [];
    const replaying = pods.watch({ namespace: 'default', fieldSelector: 'status.phase=Pending', resourceVersion: from }, (e) => replayed.push(show(e)), () => undefined);
    await drain();
    replaying.stop();
    assert.deepEqual(replayed, live);
  } finally {
    await cluster.stop();
  }
});
