/**
 * The stores against a deliberately naive model (a full copy of the key space per revision): random
 * sequences of puts, deletes, compare-and-swaps, multi-key transactions and compactions, checking
 * range at every retained revision, limits and counts, and the complete watch stream.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableStore } from '../../../../src/cluster/store/durable';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { CompactedError, KVStore, KeyValue, StoreWatchEvent, TxnOp } from '../../../../src/cluster/store/types';

/** Key-values as plain objects: the store's own carry their value behind a getter (it may be packed). */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const KEYS = ['a', 'a/1', 'a/2', 'ab', 'b', 'b/1'];
const key = fc.constantFrom(...KEYS);

type Op =
  | { kind: 'put'; key: string; value: string }
  | { kind: 'delete'; key: string }
  | { kind: 'cas'; key: string; value: string; stale: boolean }
  | { kind: 'multi'; put: string; del: string; value: string }
  | { kind: 'compact'; back: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('put' as const), key, value: fc.string({ maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), key }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cas' as const), key, value: fc.string({ maxLength: 3 }), stale: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('multi' as const), put: key, del: key, value: fc.string({ maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const), back: fc.nat(4) }) },
);

class Model {
  states = new Map<number, Map<string, KeyValue>>([[1, new Map()]]);
  events: string[] = [];
  revision = 1;
  compacted = 0;

  get state(): Map<string, KeyValue> {
    return this.states.get(this.revision)!;
  }

  /** Applies writes as one transaction; returns whether it changed anything. */
  write(writes: ({ key: string; value: string } | { key: string })[]): void {
    const next = new Map(this.state);
    const rev = this.revision + 1;
    const events: string[] = [];
    for (const w of writes) {
      const prev = next.get(w.key);
      if ('value' in w) {
        next.set(w.key, { key: w.key, value: w.value, createRevision: prev?.createRevision ?? rev, modRevision: rev, version: (prev?.version ?? 0) + 1 });
        events.push(describeEvent('put', w.key, rev, w.value, prev?.value));
      } else if (prev) {
        next.delete(w.key);
        events.push(describeEvent('delete', w.key, rev, '', prev.value));
      }
    }
    if (events.length === 0) return;
    this.revision = rev;
    this.states.set(rev, next);
    this.events.push(...events);
  }
}

function describeEvent(type: string, k: string, rev: number, value: string, prev: string | undefined): string {
  return `${type} ${k}@${rev}=${JSON.stringify(value)} prev=${prev === undefined ? '-' : JSON.stringify(prev)}`;
}

async function apply(store: KVStore, model: Model, o: Op): Promise<void> {
  switch (o.kind) {
    case 'put':
      await store.txn([], [{ type: 'put', key: o.key, value: o.value }]);
      model.write([{ key: o.key, value: o.value }]);
      return;
    case 'delete':
      await store.txn([], [{ type: 'delete', key: o.key }]);
      model.write([{ key: o.key }]);
      return;
    case 'cas': {
      const mod = model.state.get(o.key)?.modRevision ?? 0;
      const expected = o.stale ? mod + 1 : mod;
      const r = await store.txn([{ key: o.key, target: 'mod', result: '=', value: expected }], [{ type: 'put', key: o.key, value: o.value }], [{ type: 'range', key: o.key }]);
      assert.equal(r.succeeded, !o.stale);
      if (!o.stale) model.write([{ key: o.key, value: o.value }]);
      return;
    }
    case 'multi': {
      const ops: TxnOp[] = [{ type: 'put', key: o.put, value: o.value }, { type: 'delete', key: o.del }];
      await store.txn([], ops);
      model.write([{ key: o.put, value: o.value }, { key: o.del }]);
      return;
    }
    case 'compact': {
      const target = model.revision - o.back;
      if (target < 1) return;
      if (target <= model.compacted) {
        await assert.rejects(store.compact(target), CompactedError);
        return;
      }
      await store.compact(target);
      model.compacted = target;
      return;
    }
  }
}

async function checkReads(store: KVStore, model: Model): Promise<void> {
  assert.equal(await store.revision(), model.revision);
  assert.equal(await store.compactedRevision(), model.compacted);
  const ranges: [string, string | undefined][] = [['a', undefined], ['a', 'b'], ['a/', 'a0'], ['', '\0'], ['ab', 'b/2']];
  for (let rev = Math.max(1, model.compacted); rev <= model.revision; rev++) {
    const state = model.states.get(rev)!;
    for (const [start, end] of ranges) {
      const expected = [...state.values()]
        .filter((kv) => (end === undefined ? kv.key === start : kv.key >= start && (end === '\0' || kv.key < end)))
        .sort((x, y) => (x.key < y.key ? -1 : 1));
      const all = await store.range({ key: start, end, revision: rev });
      assert.deepEqual(plain(all.kvs), expected, `range [${start}, ${end}) at ${rev}`);
      const page = await store.range({ key: start, end, revision: rev, limit: 2 });
      assert.deepEqual([plain(page.kvs), page.count, page.more], [expected.slice(0, 2), expected.length, expected.length > 2]);
    }
  }
  if (model.compacted > 1) await assert.rejects(store.range({ key: 'a', revision: model.compacted - 1 }), CompactedError);
}

const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('stores against a model', () => {
  it('MemoryStore: ranges at every retained revision and the whole watch stream match the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), fc.nat(40), async (ops, lateStart) => {
        const store = new MemoryStore();
        const model = new Model();
        const seen: StoreWatchEvent[] = [];
        store.watch({ key: '', end: '\0' }, (events) => seen.push(...events));
        const late: StoreWatchEvent[] = [];
        let lateFrom = 0;
        for (const [i, o] of ops.entries()) {
          await apply(store, model, o);
          if (i === Math.floor(ops.length / 2)) {
            // A second watcher that starts in the past, as an informer resuming from a resourceVersion.
            lateFrom = Math.max(model.compacted + 1, model.revision - (lateStart % 5));
            store.watch({ key: 'a', end: 'b', startRevision: lateFrom }, (events) => late.push(...events), (err) => assert.fail(err));
            await drain(); // caught up before any later compaction
          }
        }
        await drain();
        await checkReads(store, model);
        const describe = (e: StoreWatchEvent) => describeEvent(e.type, e.kv.key, e.kv.modRevision, e.kv.value, e.prevKv?.value);
        assert.deepEqual(seen.map(describe), model.events);
        if (lateFrom > 0) {
          const expected = model.events.filter((e) => {
            const [, k, rev] = /^\w+ (.*)@(\d+)=/.exec(e)!;
            return Number(rev) >= lateFrom && k >= 'a' && k < 'b';
          });
          assert.deepEqual(late.map(describe), expected);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('DurableStore: the same history survives a reopen, with and without a snapshot', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), fc.boolean(), async (ops, snapshot) => {
        const dir = mkdtempSync(join(tmpdir(), 'kube-sim-model-'));
        try {
          const model = new Model();
          const store = await DurableStore.open({ dataDir: dir });
          for (const [i, o] of ops.entries()) {
            await apply(store, model, o);
            if (snapshot && i === Math.floor(ops.length / 2)) await store.snapshot();
          }
          await checkReads(store, model);
          await store.close();
          const reopened = await DurableStore.open({ dataDir: dir });
          await checkReads(reopened, model);
          const seen: StoreWatchEvent[] = [];
          reopened.watch({ key: '', end: '\0', startRevision: model.compacted + 1 }, (events) => seen.push(...events));
          await drain();
          const describe = (e: StoreWatchEvent) => describeEvent(e.type, e.kv.key, e.kv.modRevision, e.kv.value, e.prevKv?.value);
          const retained = model.events.filter((e) => Number(/@(\d+)=/.exec(e)![1]) > model.compacted);
          assert.deepEqual(seen.map(describe), retained);
          await reopened.close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 25 },
    );
  });
});
