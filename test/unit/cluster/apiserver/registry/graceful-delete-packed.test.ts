/**
 * A graceful delete reads the stored text once (a packed value is inflated on each read): the pod
 * marked and the one finally deleted must be what they are for a value the store never packed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NODES, PODS } from '../../../../../src/cluster/client/client';
import type { Pod } from '../../../../../src/cluster/api/types';
import { pod, startCluster } from '../fixture';

test('a graceful and then a final delete of pods whose stored values are packed: the same marks and last states as unpacked ones', async () => {
  const cluster = await startCluster();
  try {
    await cluster.client().resource(NODES).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'quiet' } });
    const pods = cluster.client().resource<Pod>(PODS);
    for (let i = 0; i < 40; i++) await pods.create(pod(`p${i}`, { labels: { app: 'web' } }, { nodeName: 'quiet', terminationGracePeriodSeconds: 20 }));
    assert.ok((await cluster.store.packValues!()) > 0);
    const read = async (name: string) => (await cluster.store.range({ key: `/registry/pods/default/${name}` })).kvs[0] as { packed?: boolean; value: string } | undefined;
    assert.equal((await read('p0'))!.packed, true);
    // A pod written after the packing: its value is plain.
    await pods.create(pod('plain', { labels: { app: 'web' } }, { nodeName: 'quiet', terminationGracePeriodSeconds: 20 }));
    assert.equal((await read('plain'))!.packed, false);

    const before = await pods.get('p0', { namespace: 'default' });
    const marked = (await pods.delete('p0', { namespace: 'default' })) as Pod;
    const markedPlain = (await pods.delete('plain', { namespace: 'default' })) as Pod;
    assert.equal(marked.metadata.deletionTimestamp, '2026-01-01T00:00:20Z');
    assert.equal(marked.metadata.deletionGracePeriodSeconds, 20);
    assert.equal(markedPlain.metadata.deletionTimestamp, marked.metadata.deletionTimestamp);
    assert.ok(Number(marked.metadata.resourceVersion) > Number(before.metadata.resourceVersion));
    const { resourceVersion: _before, ...beforeMeta } = before.metadata;
    assert.deepEqual(marked, { ...before, metadata: { ...beforeMeta, resourceVersion: marked.metadata.resourceVersion, deletionTimestamp: marked.metadata.deletionTimestamp, deletionGracePeriodSeconds: 20 } });
    // The stored text is the marked object's, members in the order a serialization gives them.
    const { resourceVersion: _rv, ...metadata } = marked.metadata;
    assert.equal((await read('p0'))!.value, JSON.stringify({ ...marked, metadata }));

    // The final delete (grace 0) marks again, the deadline moved back to when the deletion was
    // asked, then deletes; it answers with that last state at the deletion's revision.
    const gone = (await pods.delete('p0', { namespace: 'default', gracePeriodSeconds: 0, preconditions: { uid: marked.metadata.uid! } })) as Pod;
    const lastMark = { ...marked.metadata, resourceVersion: '', deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 0 };
    assert.deepEqual({ ...gone, metadata: { ...gone.metadata, resourceVersion: '' } }, { ...marked, metadata: lastMark });
    assert.ok(Number(gone.metadata.resourceVersion) > Number(marked.metadata.resourceVersion));
    assert.equal(await read('p0'), undefined);

    // A packed pod deleted at once (grace 0 from the start) answers with its stored state, marked.
    const p1 = await pods.get('p1', { namespace: 'default' });
    assert.equal((await read('p1'))!.packed, true);
    const gone1 = (await pods.delete('p1', { namespace: 'default', gracePeriodSeconds: 0 })) as Pod;
    const p1Marked = { ...p1.metadata, resourceVersion: '', deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 0 };
    assert.deepEqual({ ...gone1, metadata: { ...gone1.metadata, resourceVersion: '' } }, { ...p1, metadata: p1Marked });
  } finally {
    await cluster.stop();
  }
});
