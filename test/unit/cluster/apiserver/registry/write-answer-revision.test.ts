/**
 * In process, a write's answer is a copy of the written revision's shared object (RegistryStore
 * writeResult, served-copy.ts). Writes of one object racing each other must each answer with their
 * own revision, exactly as a GET of that revision would have served it, and an answer the caller
 * changes must change nothing an informer holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PODS } from '../../../../../src/cluster/client/client';
import type { Pod } from '../../../../../src/cluster/api/types';
import { pod, startCluster, podWatcher } from '../fixture';

test('racing writes of one pod each answer with their own revision, the caller\'s own copy', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    // A watcher, as the kubelet's informer is: each write's fan-out decodes (takes) its object.
    const informer = await podWatcher(cluster);
    await pods.create(pod('web', { labels: { app: 'web' } }));
    const served = new Map<string, string>();
    for (let round = 0; round < 5; round++) {
      const writes = await Promise.all([
        ...Array.from({ length: 4 }, (_, i) => pods.patch('web', 'merge', { metadata: { labels: { app: `m${round}-${i}` } } }, { namespace: 'default' })),
        ...Array.from({ length: 4 }, (_, i) => pods.patch('web', 'merge', { status: { message: `s${round}-${i}` } }, { namespace: 'default', subresource: 'status' })),
        (async () => {
          const current = await pods.get('web', { namespace: 'default' });
          const { resourceVersion: _rv, ...metadata } = current.metadata;
          return pods.update({ ...current, metadata: { ...metadata, annotations: { round: String(round) } } }, { namespace: 'default' });
        })(),
      ]);
      const rvs = writes.map((w) => w.metadata.resourceVersion!);
      assert.equal(new Set(rvs).size, rvs.length, 'every write answers with a revision of its own');
      for (const [i, answer] of writes.entries()) {
        if (i < 4) assert.equal(answer.metadata.labels!.app, `m${round}-${i}`);
        else if (i < 8) assert.equal(answer.status!.message, `s${round}-${i - 4}`);
        else assert.deepEqual(answer.metadata.annotations, { round: String(round) });
        served.set(answer.metadata.resourceVersion!, JSON.stringify(answer));
        // The caller's own: changing it changes nothing anybody else holds.
        answer.metadata.labels!.app = 'mine';
        answer.spec.containers[0]!.image = 'mine';
      }
      const cached = informer.get('default/web')!;
      assert.notEqual(cached.metadata.labels!.app, 'mine');
      assert.equal(cached.spec.containers[0]!.image, 'nginx:1.27');
    }
    // Each answer is what a read of its revision serves (the store keeps every revision until compaction).
    for (const [rv, text] of served) {
      const kv = (await cluster.store.range({ key: '/registry/pods/default/web', revision: Number(rv) })).kvs[0]!;
      assert.equal(kv.modRevision, Number(rv));
      const { resourceVersion: _rv, ...metadata } = (JSON.parse(text) as Pod).metadata;
      assert.equal(kv.value, JSON.stringify({ ...(JSON.parse(text) as Pod), metadata }), `revision ${rv}`);
    }
    informer.stop();
  } finally {
    await cluster.stop();
  }
});
