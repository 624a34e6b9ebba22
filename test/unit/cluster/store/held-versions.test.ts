/**
 * A version read at an old revision (a snapshot's capture, a watch event, a range) is read for its
 * value later, sometimes much later (a snapshot writes its capture in chunks): whatever the store
 * does in between (packing, folding superseded versions into fossils, compaction letting go of
 * fossils and their blocks, more writes), the value the reader holds must stay what it was.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { dropInflatedBlocks } from '../../../../src/cluster/store/packing/value-block';
import { prefixEnd, type KeyValue, type StoreWatchEvent } from '../../../../src/cluster/store/types';

const PREFIX = '/registry/pods/default/';
const END = prefixEnd(PREFIX);
const text = (name: string, n: number) =>
  JSON.stringify({ kind: 'Pod', metadata: { name, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] }, status: { phase: n % 2 ? 'Pending' : 'Running', podIP: `10.244.${n % 9}.${n % 200}`, n } });
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

it('values read at old revisions stay exact through packing, folding, compaction and later writes', async () => {
  const store = new MemoryStore();
  try {
    const names = Array.from({ length: 40 }, (_, i) => `pod-${i}`);
    let n = 0;
    const held: { kv: KeyValue; value: string; what: string }[] = [];
    const hold = (kv: KeyValue | undefined, what: string) => kv && held.push({ kv, value: kv.value, what });
    for (let round = 0; round < 6; round++) {
      for (const name of names) await store.txn([], [{ type: 'put', key: PREFIX + name, value: text(name, ++n) }]);
      if (round % 3 === 2) for (const name of names.slice(round, round + 5)) await store.txn([], [{ type: 'delete', key: PREFIX + name }]);
      await store.packValues();
      const revision = await store.revision();
      const compacted = await store.compactedRevision();
      // Read every retained revision's state and events, and hold what was read.
      for (let r = compacted + 1; r <= revision; r += 7) {
        for (const kv of (await store.range({ key: PREFIX, end: END, revision: r })).kvs) hold(kv, `range at ${r}`);
        const events: StoreWatchEvent[] = [];
        const w = store.watch({ key: PREFIX, end: END, startRevision: r }, (batch) => events.push(...batch));
        await drain();
        w.cancel();
        for (const e of events) {
          hold(e.kv, `event at ${e.kv.modRevision}`);
          hold(e.prevKv, `prevKv at ${e.kv.modRevision}`);
        }
      }
      // Compaction lets go of what those reads came from.
      await store.compact(revision - 20);
      await store.packValues();
      dropInflatedBlocks();
      for (const h of held) assert.equal(h.kv.value, h.value, h.what);
    }
    assert.ok(held.length > 1000, `${held.length} held`);
  } finally {
    await store.close();
  }
});
