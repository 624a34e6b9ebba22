import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventLog } from '../../../../src/cluster/store/event-log';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { KVStore, StoreWatchEvent, prefixEnd } from '../../../../src/cluster/store/types';

/**
 * The watch log keeps the versions each revision wrote, and makes the events again from the keys'
 * histories when it is read: these pin that a replayed event is the one the write made (type,
 * version, previous version), through deletes, re-creates, one transaction writing a key twice,
 * and compaction.
 */

const put = (store: KVStore, key: string, value: string) => store.txn([], [{ type: 'put', key, value }]);
const del = (store: KVStore, key: string) => store.txn([], [{ type: 'delete', key }]);
/** Lets queued watch deliveries (microtasks) run. Not a wall-clock wait. */
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An event as text: type, key, its version's revision and value, and the previous version's. */
const show = (e: StoreWatchEvent) =>
  `${e.type} ${e.kv.key}@${e.kv.modRevision}#${e.kv.version}=${e.kv.value} prev=${e.prevKv ? `${e.prevKv.modRevision}#${e.prevKv.version}=${e.prevKv.value}` : '-'}`;

function watchFrom(store: KVStore, startRevision: number): { events: string[]; batches: number[][] } {
  const events: string[] = [];
  const batches: number[][] = [];
  store.watch({ key: '/k/', end: prefixEnd('/k/'), startRevision }, (batch) => {
    events.push(...batch.map(show));
    batches.push(batch.map((e) => e.kv.modRevision));
  });
  return { events, batches };
}

/** A history with every shape of write: updates, a delete, a re-create, a put and a delete of one key in one revision. */
async function writeHistory(store: MemoryStore): Promise<void> {
  await put(store, '/k/a', 'a1'); // 2
  await put(store, '/k/b', 'b1'); // 3
  await put(store, '/k/a', 'a2'); // 4
  await del(store, '/k/b'); // 5
  await put(store, '/k/b', 'b-again'); // 6
  await store.txn([], [
    { type: 'put', key: '/k/c', value: 'c1' },
    { type: 'put', key: '/k/a', value: 'a3' },
  ]); // 7
  await store.txn([], [
    { type: 'put', key: '/k/a', value: 'a4' },
    { type: 'delete', key: '/k/a' },
  ]); // 8
  await put(store, '/k/a', 'a-reborn'); // 9
  await put(store, '/k/c', 'c2'); // 10
}

describe('watch log', () => {
  it('replays from an old revision exactly the events live watchers were given', async () => {
    const store = new MemoryStore();
    const live = watchFrom(store, 0);
    await writeHistory(store);
    await drain();
    assert.deepEqual(live.events, [
      'put /k/a@2#1=a1 prev=-',
      'put /k/b@3#1=b1 prev=-',
      'put /k/a@4#2=a2 prev=2#1=a1',
      'delete /k/b@5#0= prev=3#1=b1',
      'put /k/b@6#1=b-again prev=-',
      'put /k/c@7#1=c1 prev=-',
      'put /k/a@7#3=a3 prev=4#2=a2',
      'put /k/a@8#4=a4 prev=7#3=a3',
      'delete /k/a@8#0= prev=8#4=a4',
      'put /k/a@9#1=a-reborn prev=-',
      'put /k/c@10#2=c2 prev=7#1=c1',
    ]);
    const replayed = watchFrom(store, 2);
    await drain();
    assert.deepEqual(replayed.events, live.events);
    store.packValues();
    const packed = watchFrom(store, 2);
    await drain();
    assert.deepEqual(packed.events, live.events);
  });

  it('replays from the middle of a revision range, a transaction’s events in one batch', async () => {
    const store = new MemoryStore();
    await writeHistory(store);
    const w = watchFrom(store, 7);
    await drain();
    assert.deepEqual(w.batches, [[7, 7, 8, 8, 9, 10]]);
    assert.deepEqual(w.events.slice(0, 4), ['put /k/c@7#1=c1 prev=-', 'put /k/a@7#3=a3 prev=4#2=a2', 'put /k/a@8#4=a4 prev=7#3=a3', 'delete /k/a@8#0= prev=8#4=a4']);
  });

  it('after a compaction, replays what is left with the previous versions compaction kept for it', async () => {
    const store = new MemoryStore();
    await writeHistory(store);
    await store.compact(7);
    const w = watchFrom(store, 8);
    await drain();
    assert.deepEqual(w.events, ['put /k/a@8#4=a4 prev=7#3=a3', 'delete /k/a@8#0= prev=8#4=a4', 'put /k/a@9#1=a-reborn prev=-', 'put /k/c@10#2=c2 prev=7#1=c1']);
    await store.compact(8);
    const after = watchFrom(store, 9);
    await drain();
    assert.deepEqual(after.events, ['put /k/a@9#1=a-reborn prev=-', 'put /k/c@10#2=c2 prev=7#1=c1']);
  });

  it('keeps reading old revisions right once later writes have replaced a key’s history', async () => {
    const store = new MemoryStore();
    await put(store, '/k/x', 'x1'); // 2
    await put(store, '/k/x', 'x2'); // 3
    const before = (await store.range({ key: '/k/x', revision: 2 })).kvs[0];
    for (let i = 3; i <= 20; i++) await put(store, '/k/x', `x${i}`); // x3@4 .. x20@21
    assert.equal((await store.range({ key: '/k/x', revision: 2 })).kvs[0], before);
    assert.equal((await store.range({ key: '/k/x', revision: 12 })).kvs[0].value, 'x11');
    const w = watchFrom(store, 12);
    await drain();
    assert.equal(w.events[0], 'put /k/x@12#11=x11 prev=11#10=x10');
    assert.equal(w.events.length, 10);
  });

  it('replays the same events as live watchers got over thousands of entries, compacted partway into its chunks', async () => {
    const store = new MemoryStore();
    const live = watchFrom(store, 2);
    // Three writes a revision (a transaction), ~9,000 entries: the log's chunks hold 4,096.
    for (let r = 0; r < 3000; r++) {
      await store.txn([], [
        { type: 'put', key: `/k/${r % 7}`, value: `v${r}` },
        { type: 'put', key: `/k/e${r}`, value: `e${r}` },
        ...(r % 5 === 0 && r > 0 ? [{ type: 'delete' as const, key: `/k/e${r - 1}` }] : [{ type: 'put' as const, key: `/k/x`, value: `x${r}` }]),
      ]);
    }
    await drain();
    assert.equal(live.events.length, 9000);
    const replayed = (from: number) => {
      const w = watchFrom(store, from);
      return drain().then(() => w.events);
    };
    const liveFrom = (from: number) => live.events.filter((e) => Number(/@(\d+)#/.exec(e)![1]) >= from);
    for (const from of [2, 1000, 1366, 1367, 2731, 2999, 3001]) assert.deepEqual(await replayed(from), liveFrom(from));
    // Compacted into the first chunk, then across its end into the third, then up to the newest revision.
    for (const compacted of [500, 2800, 3001]) {
      await store.compact(compacted);
      for (const from of [compacted + 1, compacted + 2, 2900, 3001].filter((f) => f > compacted)) assert.deepEqual(await replayed(from), liveFrom(from), `from ${from} after compacting ${compacted}`);
    }
    await put(store, '/k/after', 'after');
    assert.deepEqual(await replayed(3002), [`put /k/after@3002#1=after prev=-`]);
  });
});

describe('watch log entries', () => {
  it('find every entry’s revision through steps of any length, across groups and chunks, compacted or not', () => {
    // Revisions with nothing logged between some (a replayed no-op): steps of 2, of 300 (more than a byte), and of 70,000.
    const made: { key: string; revision: number; nth: number }[] = [];
    const log = new EventLog(2, (key, revision, nth) => {
      made.push({ key, revision, nth });
      return { type: 'put', kv: { key, value: '', createRevision: revision, modRevision: revision, version: 1 } };
    });
    const written: { key: string; revision: number; nth: number }[] = [];
    const kv = (key: string) => ({ type: 'put' as const, kv: { key, value: '', createRevision: 0, modRevision: 0, version: 1 } });
    for (let n = 0; n < 6000; n++) {
      const skip = n % 997 === 5 ? 300 : n % 4099 === 7 ? 70000 : n % 3 === 0 ? 1 : 0;
      for (let s = 0; s < skip; s++) log.append([]);
      const revision = log.next;
      const keys = n % 5 === 0 ? [`k${n}`, `k${n}`, `j${n}`, `k${n}`] : [`k${n % 50}`];
      log.append(keys.map(kv));
      keys.forEach((key, i) => written.push({ key, revision, nth: keys.slice(0, i).filter((k) => k === key).length }));
    }
    const replay = (from: number, to = Infinity) => {
      made.length = 0;
      log.between(from, to, () => true);
      return made.slice();
    };
    const expect = (from: number, after = 0, to = Infinity) => written.filter((w) => w.revision >= Math.max(from, after + 1) && w.revision <= to);
    const revisions = [...new Set(written.map((w) => w.revision))];
    for (const from of [2, ...revisions.filter((_, i) => i % 97 === 0), revisions[revisions.length - 1], log.next]) {
      assert.deepEqual(replay(from), expect(from), `from ${from}`);
      assert.deepEqual(replay(from - 1, from + 400), expect(from - 1, 0, from + 400), `from ${from - 1} to ${from + 400}`);
    }
    made.length = 0;
    const batches = [...log.batchesFrom(revisions[1000])];
    assert.equal(batches.length, log.next - revisions[1000]);
    assert.deepEqual(made, expect(revisions[1000]));
    assert.deepEqual(batches.filter((b) => b.events.length > 0).map((b) => b.revision), revisions.slice(1000));
    for (const compacted of [revisions[10], revisions[4200] - 1, revisions[4200], revisions[5990]]) {
      log.compactThrough(compacted);
      for (const from of [compacted - 5, compacted + 1, revisions[5995]]) assert.deepEqual(replay(from), expect(from, compacted), `from ${from} after compacting ${compacted}`);
    }
  });
});
