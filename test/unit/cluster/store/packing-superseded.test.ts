/**
 * Superseded versions that no short delta packs (value-packer.ts, `gatherSuperseded`) are deflated
 * together in blocks of their resource: every read at every revision, and a watch replaying them
 * with their previous values, gives back exactly the text written, through compaction.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { StoredKv } from '../../../../src/cluster/store/packing/stored-kv';
import { dropInflatedBlocks } from '../../../../src/cluster/store/packing/value-block';
import { KVStore, StoreWatchEvent } from '../../../../src/cluster/store/types';

const PODS = '/registry/pods/default/';
const put = (store: KVStore, key: string, value: string) => store.txn([], [{ type: 'put', key, value }]);
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A pod-like text at a stage of its start: each stage's status differs from the next one's in much
 * more than a short delta carries (a digest and container id per pod, conditions, reasons), and
 * every pod's texts differ from every other's (a member read at another index shows).
 */
function pod(n: number, stage: number): string {
  const hex = (seed: number) => Array.from({ length: 64 }, (_, i) => ((seed * 31 + i * 17 + stage * 7) % 16).toString(16)).join('');
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${n}`, namespace: 'default', uid: `uid-${n}-${'ü'.repeat(n % 3)}`, labels: { app: 'web' } },
    spec: { nodeName: `node-${n % 7}`, containers: [{ name: 'web', image: 'nginx:1.27' }] },
    status: {
      phase: ['Pending', 'Pending', 'Running'][stage],
      conditions: ['Ready', 'Initialized', 'PodScheduled', 'ContainersReady'].map((type, i) => ({ type, status: stage + i > 2 ? 'True' : 'False', reason: `Reason${stage}${i}${n}` })),
      containerStatuses: stage === 0 ? [] : [{ name: 'web', state: stage === 1 ? { waiting: { reason: 'ContainerCreating' } } : { running: { startedAt: `2026-01-01T00:00:${n % 60}Z` } }, imageID: hex(n), containerID: hex(n * 3 + 1) }],
    },
  });
}

describe('blocks of superseded versions', () => {
  it('read every version of every pod exactly at its revision, from the packed form, and replay them with their previous values', async () => {
    const store = new MemoryStore();
    const written = new Map<string, [number, string][]>();
    for (let stage = 0; stage < 3; stage++) {
      for (let n = 0; n < 120; n++) {
        const key = `${PODS}web-${n}`;
        const text = pod(n, stage);
        const { revision } = await put(store, key, text);
        written.set(key, [...(written.get(key) ?? []), [revision, text]]);
      }
    }
    await store.packValues();
    // Three blocks' worth of ContainerCreating versions, each pod's version as created a delta against its own.
    assert.ok(store.packerStats.supersededBlocks >= 2 && store.packerStats.deltas >= 100, `${store.packerStats.supersededBlocks} blocks of superseded versions`);
    dropInflatedBlocks();
    let inBlocks = 0;
    for (const [key, versions] of written) {
      for (const [revision, text] of versions) {
        const kv = (await store.range({ key, revision })).kvs[0] as StoredKv;
        assert.equal(kv.modRevision, revision);
        assert.equal(kv.value, text);
        if (revision !== versions[versions.length - 1][0] && kv.block !== undefined) inBlocks++;
      }
    }
    assert.ok(inBlocks >= 120, `${inBlocks} superseded versions in blocks`);
    const first = written.get(`${PODS}web-0`)![0][0];
    const events: StoreWatchEvent[] = [];
    store.watch({ key: PODS, end: `${PODS}\uffff`, startRevision: first }, (batch) => events.push(...batch));
    await drain();
    const expected = [...written.values()].flatMap((versions) => versions.map(([revision, text], i) => [revision, text, i > 0 ? versions[i - 1][1] : undefined]));
    expected.sort((a, b) => (a[0] as number) - (b[0] as number));
    assert.deepEqual(
      events.map((e) => [e.kv.modRevision, e.kv.value, e.prevKv?.value]),
      expected,
    );
  });

  it('read right after a compaction that keeps some of a block\'s members and drops the others', async () => {
    const store = new MemoryStore();
    const written: [string, number, string][] = [];
    for (let stage = 0; stage < 3; stage++) {
      for (let n = 0; n < 40; n++) {
        const key = `${PODS}web-${n}`;
        written.push([key, (await put(store, key, pod(n, stage))).revision, pod(n, stage)]);
      }
    }
    await store.packValues();
    // Into the middle of the second stage: the first pods' ContainerCreating versions go, the last ones' stay.
    const cut = written[60][1];
    await store.compact(cut);
    await store.packValues();
    dropInflatedBlocks();
    for (const [key, revision, text] of written) {
      if (revision < cut && written.some(([k, r]) => k === key && r > revision && r <= cut)) continue; // dropped
      assert.equal((await store.range({ key, revision: Math.max(revision, cut) })).kvs.length, 1);
      if (revision >= cut) assert.equal((await store.range({ key, revision })).kvs[0].value, text);
    }
  });
});
