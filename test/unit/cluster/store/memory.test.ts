import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { CompactedError, FutureRevisionError, KVStore, StoreWatchEvent, prefixEnd } from '../../../../src/cluster/store/types';

const put = (store: KVStore, key: string, value: string) => store.txn([], [{ type: 'put', key, value }]);
const del = (store: KVStore, key: string) => store.txn([], [{ type: 'delete', key }]);
const get = async (store: KVStore, key: string, revision?: number) => (await store.range({ key, revision })).kvs[0];
/** Key-values as plain objects: the store's own carry their value behind a getter (it may be packed). */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
/** Lets queued watch deliveries (microtasks) run. Not a wall-clock wait. */
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

function record(store: KVStore, key: string, end: string | undefined, startRevision?: number) {
  const batches: StoreWatchEvent[][] = [];
  const errors: Error[] = [];
  const watcher = store.watch({ key, end, startRevision }, (events) => batches.push(events), (err) => errors.push(err));
  const summary = () => batches.flat().map((e) => `${e.type} ${e.kv.key}@${e.kv.modRevision}`);
  return { batches, errors, watcher, summary };
}

describe('MemoryStore revisions', () => {
  it('starts at revision 1 and bumps by one per writing transaction, however many keys it writes', async () => {
    const store = new MemoryStore();
    assert.equal(await store.revision(), 1);
    const r = await store.txn([], [
      { type: 'put', key: 'a', value: '1' },
      { type: 'put', key: 'b', value: '2' },
    ]);
    assert.equal(r.revision, 2);
    assert.equal(await store.revision(), 2);
    assert.equal((await put(store, 'c', '3')).revision, 3);
  });

  it('does not bump the revision for reads, failed compares or deletes of missing keys', async () => {
    const store = new MemoryStore();
    await put(store, 'a', '1');
    await store.txn([], [{ type: 'range', key: 'a' }]);
    await store.txn([{ key: 'a', target: 'version', result: '=', value: 9 }], [{ type: 'put', key: 'a', value: 'x' }]);
    const d = await del(store, 'missing');
    assert.deepEqual(d.results, [{ type: 'delete', deleted: 0 }]);
    assert.equal(await store.revision(), 2);
  });

  it('tracks create revision, mod revision and version per key', async () => {
    const store = new MemoryStore();
    await put(store, 'a', 'v1'); // rev 2
    await put(store, 'other', 'x'); // rev 3
    await put(store, 'a', 'v2'); // rev 4
    assert.deepEqual(plain(await get(store, 'a')), { key: 'a', value: 'v2', createRevision: 2, modRevision: 4, version: 2 });
  });

  it('starts a new generation with version 1 when a deleted key is put again', async () => {
    const store = new MemoryStore();
    await put(store, 'a', 'v1'); // 2
    await put(store, 'a', 'v2'); // 3
    const d = await del(store, 'a'); // 4
    assert.deepEqual(plain(d.results[0]), {
      type: 'delete',
      deleted: 1,
      prevKv: { key: 'a', value: 'v2', createRevision: 2, modRevision: 3, version: 2 },
    });
    assert.equal(await get(store, 'a'), undefined);
    await put(store, 'a', 'v3'); // 5
    assert.deepEqual(plain(await get(store, 'a')), { key: 'a', value: 'v3', createRevision: 5, modRevision: 5, version: 1 });
  });

  it('rejects empty keys without applying anything', async () => {
    const store = new MemoryStore();
    await assert.rejects(store.txn([], [{ type: 'put', key: 'a', value: '1' }, { type: 'put', key: '', value: '2' }]), /key is not provided/);
    assert.equal(await store.revision(), 1);
    assert.equal(await get(store, 'a'), undefined);
  });
});

describe('MemoryStore range', () => {
  it('returns keys of a prefix in key order, with count and more under a limit', async () => {
    const store = new MemoryStore();
    for (const k of ['/p/c', '/p/a', '/q/a', '/p/b', '/o/z']) await put(store, k, k);
    const all = await store.range({ key: '/p/', end: prefixEnd('/p/') });
    assert.deepEqual(all.kvs.map((kv) => kv.key), ['/p/a', '/p/b', '/p/c']);
    assert.equal(all.count, 3);
    assert.equal(all.more, false);
    const page = await store.range({ key: '/p/', end: prefixEnd('/p/'), limit: 2 });
    assert.deepEqual(page.kvs.map((kv) => kv.key), ['/p/a', '/p/b']);
    assert.equal(page.count, 3);
    assert.equal(page.more, true);
    const counted = await store.range({ key: '/p/', end: prefixEnd('/p/'), countOnly: true });
    assert.deepEqual([counted.kvs, counted.count, counted.more], [[], 3, false]);
    assert.equal((await store.range({ key: '', end: prefixEnd('') })).count, 5, "prefixEnd('') ranges over every key");
  });

  it('reads a consistent snapshot at an older revision', async () => {
    const store = new MemoryStore();
    await put(store, '/p/a', 'a1'); // 2
    await put(store, '/p/b', 'b1'); // 3
    await put(store, '/p/a', 'a2'); // 4
    await del(store, '/p/b'); // 5
    await put(store, '/p/c', 'c1'); // 6
    const at = async (revision: number) =>
      (await store.range({ key: '/p/', end: prefixEnd('/p/'), revision })).kvs.map((kv) => `${kv.key}=${kv.value}`);
    assert.deepEqual(await at(2), ['/p/a=a1']);
    assert.deepEqual(await at(3), ['/p/a=a1', '/p/b=b1']);
    assert.deepEqual(await at(4), ['/p/a=a2', '/p/b=b1']);
    assert.deepEqual(await at(5), ['/p/a=a2']);
    assert.deepEqual(await at(6), ['/p/a=a2', '/p/c=c1']);
    assert.equal((await store.range({ key: '/p/a', revision: 3 })).revision, 3);
  });

  it('keeps many keys in order whatever order they were written in', async () => {
    const store = new MemoryStore();
    const keys = Array.from({ length: 3000 }, (_, i) => `/k/${String((i * 7919) % 3000).padStart(5, '0')}`);
    for (const k of keys) await put(store, k, 'v');
    for (let i = 0; i < 3000; i += 3) await del(store, keys[i]);
    const got = (await store.range({ key: '/k/', end: prefixEnd('/k/') })).kvs.map((kv) => kv.key);
    const expected = keys.filter((_, i) => i % 3 !== 0).sort();
    assert.deepEqual(got, expected);
  });

  it('reads every revision right through bursts of creates, deletes, lists and a compaction', async () => {
    const store = new MemoryStore();
    const key = (i: number) => `/k/${String((i * 7919) % 2000).padStart(5, '0')}`;
    const live = new Set<string>();
    const snapshots = new Map<number, string[]>();
    const list = async (revision?: number, limit?: number) => (await store.range({ key: '/k/', end: prefixEnd('/k/'), revision, limit }));
    let i = 0;
    for (let burst = 0; burst < 12; burst++) {
      const size = burst % 3 === 0 ? 400 : 7; // large bursts are merged, small ones placed one by one
      for (let n = 0; n < size && i < 2000; n++, i++) {
        await put(store, key(i), 'v');
        live.add(key(i));
      }
      for (const k of [...live].filter((_, j) => j % 11 === burst % 11).slice(0, 5)) {
        await del(store, k);
        live.delete(k);
      }
      const rev = await store.revision();
      snapshots.set(rev, [...live].sort());
      const page = await list(undefined, 50);
      assert.deepEqual(page.kvs.map((kv) => kv.key), [...live].sort().slice(0, 50));
      assert.equal(page.count, live.size);
      if (burst === 6) await store.compact(rev);
    }
    for (const [rev, keys] of snapshots) {
      if (rev < (await store.compactedRevision())) {
        await assert.rejects(list(rev), CompactedError);
        continue;
      }
      assert.deepEqual((await list(rev)).kvs.map((kv) => kv.key), keys, `at revision ${rev}`);
    }
  });

  it('rejects a future revision', async () => {
    const store = new MemoryStore();
    await assert.rejects(store.range({ key: 'a', revision: 5 }), FutureRevisionError);
  });
});

describe('MemoryStore txn', () => {
  it('applies success ops when every compare holds (compare-and-swap on mod revision)', async () => {
    const store = new MemoryStore();
    const created = await store.txn([{ key: 'a', target: 'create', result: '=', value: 0 }], [{ type: 'put', key: 'a', value: '1' }]);
    assert.equal(created.succeeded, true);
    const swapped = await store.txn(
      [{ key: 'a', target: 'mod', result: '=', value: created.revision }],
      [{ type: 'put', key: 'a', value: '2' }],
      [{ type: 'range', key: 'a' }],
    );
    assert.equal(swapped.succeeded, true);
    assert.deepEqual(plain(swapped.results[0]), {
      type: 'put',
      prevKv: { key: 'a', value: '1', createRevision: 2, modRevision: 2, version: 1 },
    });
  });

  it('applies failure ops when a compare fails, and returns the current value', async () => {
    const store = new MemoryStore();
    await put(store, 'a', '1'); // 2
    await put(store, 'a', '2'); // 3
    const stale = await store.txn(
      [{ key: 'a', target: 'mod', result: '=', value: 2 }],
      [{ type: 'put', key: 'a', value: 'lost update' }],
      [{ type: 'range', key: 'a' }],
    );
    assert.equal(stale.succeeded, false);
    assert.equal(stale.revision, 3);
    assert.deepEqual(plain(stale.results), [{ type: 'range', kvs: [{ key: 'a', value: '2', createRevision: 2, modRevision: 3, version: 2 }] }]);
    assert.equal((await get(store, 'a')).value, '2');
  });

  it('compares every target with every operator; a missing key is 0 and empty', async () => {
    const store = new MemoryStore();
    await put(store, 'a', 'm'); // create 2, mod 2, version 1
    const holds = async (c: Parameters<KVStore['txn']>[0][0]) => (await store.txn([c], [])).succeeded;
    assert.equal(await holds({ key: 'a', target: 'version', result: '=', value: 1 }), true);
    assert.equal(await holds({ key: 'a', target: 'version', result: '!=', value: 1 }), false);
    assert.equal(await holds({ key: 'a', target: 'mod', result: '<', value: 3 }), true);
    assert.equal(await holds({ key: 'a', target: 'mod', result: '>', value: 2 }), false);
    assert.equal(await holds({ key: 'a', target: 'create', result: '>', value: 1 }), true);
    assert.equal(await holds({ key: 'a', target: 'value', result: '=', value: 'm' }), true);
    assert.equal(await holds({ key: 'a', target: 'value', result: '<', value: 'n' }), true);
    assert.equal(await holds({ key: 'a', target: 'value', result: '>', value: 'n' }), false);
    assert.equal(await holds({ key: 'nope', target: 'create', result: '=', value: 0 }), true);
    assert.equal(await holds({ key: 'nope', target: 'value', result: '=', value: '' }), true);
  });

  it('writes all ops at one revision, and a range in the txn sees its earlier writes', async () => {
    const store = new MemoryStore();
    const r = await store.txn([], [
      { type: 'put', key: 'x/1', value: 'a' },
      { type: 'put', key: 'x/2', value: 'b' },
      { type: 'range', key: 'x/', end: prefixEnd('x/') },
    ]);
    assert.equal(r.revision, 2);
    const range = r.results[2];
    assert.equal(range.type, 'range');
    if (range.type === 'range') assert.deepEqual(range.kvs.map((kv) => [kv.key, kv.modRevision]), [['x/1', 2], ['x/2', 2]]);
  });
});

describe('MemoryStore watch', () => {
  it('delivers changes after now in revision order, with prevKv, and one txn in one batch', async () => {
    const store = new MemoryStore();
    await put(store, '/p/a', 'a1'); // 2
    const w = record(store, '/p/', prefixEnd('/p/'));
    await put(store, '/p/a', 'a2'); // 3
    await put(store, '/q/x', 'ignored'); // 4
    await store.txn([], [
      { type: 'put', key: '/p/b', value: 'b1' },
      { type: 'delete', key: '/p/a' },
    ]); // 5
    await drain();
    assert.deepEqual(w.summary(), ['put /p/a@3', 'put /p/b@5', 'delete /p/a@5']);
    const events = w.batches.flat();
    assert.equal(events[0].prevKv?.value, 'a1');
    assert.deepEqual(plain(events[2].kv), { key: '/p/a', value: '', createRevision: 0, modRevision: 5, version: 0 });
    assert.equal(events[2].prevKv?.value, 'a2');
    const txnBatch = w.batches.find((b) => b.some((e) => e.kv.modRevision === 5));
    assert.equal(txnBatch?.filter((e) => e.kv.modRevision === 5).length, 2, 'both events of revision 5 arrive together');
  });

  it('replays history from a past revision, then continues live, with no gaps or duplicates', async () => {
    const store = new MemoryStore();
    for (let i = 0; i < 5; i++) await put(store, `/k/${i}`, 'v'); // revs 2..6
    const w = record(store, '/k/', prefixEnd('/k/'), 4);
    await put(store, '/k/5', 'v'); // 7
    await drain();
    await put(store, '/k/6', 'v'); // 8
    await drain();
    assert.deepEqual(w.summary(), ['put /k/2@4', 'put /k/3@5', 'put /k/4@6', 'put /k/5@7', 'put /k/6@8']);
  });

  it('gives watchers of one range at different cursors, and of ranges that share a start, each their own events', async () => {
    const store = new MemoryStore();
    for (let i = 0; i < 4; i++) await put(store, `/k/${i}`, 'v'); // revs 2..5
    const live = record(store, '/k/', prefixEnd('/k/'));
    const fromThree = record(store, '/k/', prefixEnd('/k/'), 3);
    const liveToo = record(store, '/k/', prefixEnd('/k/'));
    const fromFive = record(store, '/k/', prefixEnd('/k/'), 5);
    const oneKey = record(store, '/k/', undefined);
    const narrower = record(store, '/k/', '/k/1');
    await put(store, '/k/', 'v'); // 6
    await drain();
    assert.deepEqual(live.summary(), ['put /k/@6']);
    assert.deepEqual(fromThree.summary(), ['put /k/1@3', 'put /k/2@4', 'put /k/3@5', 'put /k/@6']);
    assert.deepEqual(liveToo.summary(), ['put /k/@6']);
    assert.deepEqual(fromFive.summary(), ['put /k/3@5', 'put /k/@6']);
    assert.deepEqual(oneKey.summary(), ['put /k/@6']);
    assert.deepEqual(narrower.summary(), ['put /k/@6']);
    live.batches[0]!.length = 0;
    assert.deepEqual(liveToo.summary(), ['put /k/@6'], 'each watcher has its own array');
  });

  it('watches a single key when no end is given', async () => {
    const store = new MemoryStore();
    const w = record(store, '/k/a', undefined);
    await put(store, '/k/a', '1');
    await put(store, '/k/ab', '1');
    await drain();
    assert.deepEqual(w.summary(), ['put /k/a@2']);
  });

  it('stops delivering after cancel', async () => {
    const store = new MemoryStore();
    const w = record(store, 'a', prefixEnd('a'));
    await put(store, 'a1', 'x');
    await drain();
    w.watcher.cancel();
    await put(store, 'a2', 'x');
    await drain();
    assert.deepEqual(w.summary(), ['put a1@2']);
  });

  it('ends a watcher whose callback throws, telling it why, without disturbing the others', async () => {
    const store = new MemoryStore();
    const errors: Error[] = [];
    let calls = 0;
    store.watch({ key: 'k' }, () => {
      calls++;
      throw new Error('boom');
    }, (err) => errors.push(err));
    const healthy = record(store, 'k', undefined);
    await put(store, 'k', '1');
    await drain();
    await put(store, 'k', '2');
    await drain();
    assert.equal(calls, 1);
    assert.deepEqual(errors.map((e) => e.message), ['boom']);
    assert.deepEqual(healthy.summary(), ['put k@2', 'put k@3']);
  });

  it('waits for a start revision in the future', async () => {
    const store = new MemoryStore();
    const w = record(store, 'k', undefined, 3);
    await put(store, 'k', '1'); // 2
    await put(store, 'k', '2'); // 3
    await drain();
    assert.deepEqual(w.summary(), ['put k@3']);
  });

  it('lets a watcher write to the store from its callback', async () => {
    const store = new MemoryStore();
    const seen: string[] = [];
    store.watch({ key: 'ping' }, (events) => {
      for (const e of events) seen.push(e.kv.value);
      if (seen.length < 3) void put(store, 'ping', String(seen.length));
    });
    await put(store, 'ping', '0');
    for (let i = 0; i < 5; i++) await drain();
    assert.deepEqual(seen, ['0', '1', '2']);
  });
});

describe('MemoryStore compaction', () => {
  it('fails reads and watches below the compacted revision and keeps the state at it', async () => {
    const store = new MemoryStore();
    await put(store, 'a', '1'); // 2
    await put(store, 'a', '2'); // 3
    await put(store, 'b', '1'); // 4
    await del(store, 'b'); // 5
    await put(store, 'a', '3'); // 6
    await store.compact(4);
    assert.equal(await store.compactedRevision(), 4);
    await assert.rejects(store.range({ key: 'a', revision: 3 }), CompactedError);
    assert.equal((await get(store, 'a', 4)).value, '2');
    assert.equal((await get(store, 'b', 4)).value, '1');
    assert.equal(await get(store, 'b', 5), undefined);
    assert.equal((await get(store, 'a')).value, '3');

    const compacted = record(store, '', prefixEnd(''), 4);
    const ok = record(store, '', prefixEnd(''), 5);
    await drain();
    assert.equal(compacted.errors.length, 1);
    assert.ok(compacted.errors[0] instanceof CompactedError);
    assert.deepEqual(ok.summary(), ['delete b@5', 'put a@6']);
    assert.deepEqual(ok.errors, []);
  });

  it('rejects compacting the past again or the future', async () => {
    const store = new MemoryStore();
    await put(store, 'a', '1');
    await store.compact(2);
    await assert.rejects(store.compact(2), CompactedError);
    await assert.rejects(store.compact(9), FutureRevisionError);
  });

  it('ends a watcher that fell behind a compaction', async () => {
    const store = new MemoryStore();
    await put(store, 'a', '1'); // 2
    await put(store, 'a', '2'); // 3
    const w = record(store, 'a', undefined, 2); // its replay is queued, not yet delivered...
    const compacted = store.compact(3); // ...when history it needs goes away
    await compacted;
    await drain();
    assert.deepEqual(w.batches, []);
    assert.ok(w.errors[0] instanceof CompactedError);
  });

  it('rejects every call after close', async () => {
    const store = new MemoryStore();
    await store.close();
    await assert.rejects(store.revision(), /closed/);
    await assert.rejects(put(store, 'a', '1'), /closed/);
  });
});
