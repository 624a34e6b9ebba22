/**
 * Cold values packed together in blocks (packing/value-block.ts): whatever block a value sits in,
 * and through repacks, compaction, deletes, re-creates and restarts, every read gives back exactly
 * the text that was written. The background pass runs on real timers, so most tests pack with
 * `packValues()` (the same work, now); the concurrent-writes test drives the pass's own slices.
 */
import { afterEach, describe, it } from 'node:test';
import { type EventLoopUtilization, performance } from 'node:perf_hooks';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DurableStore } from '../../../../src/cluster/store/durable';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import type { StoredKv } from '../../../../src/cluster/store/packing/stored-kv';
import { ValueBlock, dropInflatedBlocks } from '../../../../src/cluster/store/packing/value-block';
import { ValueCodec } from '../../../../src/cluster/store/packing/value-codec';
import { KVStore, KeyValue, StoreWatchEvent, prefixEnd } from '../../../../src/cluster/store/types';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const PODS = '/registry/pods/';
const put = (store: KVStore, key: string, value: string) => store.txn([], [{ type: 'put', key, value }]);
const del = (store: KVStore, key: string) => store.txn([], [{ type: 'delete', key }]);
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));
const blockOf = (kv: KeyValue) => (kv as StoredKv).block;

/** A pod-like JSON text, different per name, phase and note (values of a resource are alike). */
function pod(name: string, phase = 'Running', note = ''): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}-0000-1111-2222`, labels: { app: 'web' }, annotations: { note } },
    spec: { nodeName: `node-${name.length}`, containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    status: { phase, conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False' }] },
  });
}

const key = (i: number) => `${PODS}default/p${String(i).padStart(4, '0')}`;

/** Writes `count` pods (enough for a few blocks of ~64 of these small values); their texts by key. */
async function fill(store: KVStore, count = 300, text = (i: number) => pod(`p${i}`, 'Running', i % 7 === 0 ? `Grüße 🚀 \u2028 ${i}` : '')): Promise<Map<string, string>> {
  const written = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    await put(store, key(i), text(i));
    written.set(key(i), text(i));
  }
  return written;
}

/** Every key's value as a range reads it now, from the blocks' packed form (no inflated block cached). */
async function readAll(store: KVStore): Promise<Map<string, string>> {
  dropInflatedBlocks();
  const kvs = (await store.range({ key: PODS, end: prefixEnd(PODS) })).kvs;
  return new Map(kvs.map((kv) => [kv.key, kv.value]));
}

async function blocked(store: KVStore): Promise<number> {
  const kvs = (await store.range({ key: PODS, end: prefixEnd(PODS) })).kvs;
  return kvs.filter((kv) => blockOf(kv) !== undefined).length;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('ValueBlock', () => {
  const codec = new ValueCodec(Buffer.from(pod('dictionary')));
  const members = (n: number) => Array.from({ length: n }, () => ({}) as StoredKv);

  it('gives back each of its values exactly, non-ASCII, empty and astral text included, from a cold cache', () => {
    const texts = [pod('a'), '', pod('ünïcødé', 'Running', 'Grüße, 世界 🚀 \u2028'), 'x', pod('b', 'Pending')];
    const block = ValueBlock.pack(codec, members(texts.length), texts)!;
    assert.ok(block.packedLength < texts.join('').length / 2, `${block.packedLength} bytes`);
    for (let round = 0; round < 2; round++) {
      dropInflatedBlocks();
      for (let i = texts.length - 1; i >= 0; i--) assert.equal(block.valueAt(i), texts[i]);
    }
  });

  it('reads blocks larger than its cached buffers, and many blocks in turn', () => {
    const big = [pod('big', 'Running', 'é'.repeat(40_000)), pod('big2', 'Running', '𝄞'.repeat(20_000)), pod('c')];
    const blocks = Array.from({ length: 12 }, (_, b) => ValueBlock.pack(codec, members(3), big.map((t) => `${t}${b}`))!);
    for (let round = 0; round < 2; round++) {
      for (let b = 0; b < blocks.length; b++) for (let i = 0; i < 3; i++) assert.equal(blocks[b].valueAt(i), `${big[i]}${b}`);
    }
  });

  it('declines text UTF-8 cannot carry (a lone surrogate)', () => {
    assert.equal(ValueBlock.pack(codec, members(2), [pod('a'), `${pod('b')}\ud800`]), undefined);
  });
});

describe('store values packed in blocks', () => {
  it('blocks the values packed in an earlier pass, in key order, and reads give each back exactly', async () => {
    const store = new MemoryStore();
    const written = await fill(store);
    await store.packValues();
    const stats = store.packerStats;
    assert.ok(stats.blocks >= 3, `${stats.blocks} blocks`);
    assert.ok(stats.blockChars * 2 < stats.packedChars, `blocks hold ${stats.blockChars} characters, the values on their own ${stats.packedChars}`);
    assert.ok((await blocked(store)) >= 256);
    assert.deepEqual(await readAll(store), written);
    // Key order: a list reads each block's values one after the other.
    const kvs = (await store.range({ key: PODS, end: prefixEnd(PODS) })).kvs;
    const order = kvs.map(blockOf).filter((b) => b !== undefined);
    const runs = order.filter((b, i) => i === 0 || b !== order[i - 1]).length;
    assert.equal(runs, new Set(order).size, 'each block is one run of keys');
    assert.equal(await store.packValues(), 0, 'nothing left to pack');
  });

  it('keeps a list inflating each block once: values made cold in many bursts end up in one key-ordered run of blocks', async () => {
    // Names with random suffixes, as a ReplicaSet's pods have: every burst is spread over the
    // whole key range, and its blocks interleave with the earlier bursts' in key order.
    const store = new MemoryStore();
    const written = new Map<string, string>();
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647).toString(36);
    const runs = async () => {
      const kvs = (await store.range({ key: PODS, end: prefixEnd(PODS) })).kvs;
      const order = kvs.map(blockOf).filter((b) => b !== undefined);
      return { runs: order.filter((b, i) => i === 0 || b !== order[i - 1]).length, blocks: new Set(order).size, blocked: order.length };
    };
    let interleaved = 0;
    for (let burst = 0; burst < 13; burst++) {
      for (let i = 0; i < 70; i++) {
        const k = `${PODS}default/web-${random()}`;
        written.set(k, pod(k.slice(PODS.length + 8), 'Running', `burst ${burst}`));
        await put(store, k, written.get(k)!);
      }
      await store.packValues();
      const now = await runs();
      interleaved = Math.max(interleaved, now.runs / now.blocks);
    }
    assert.ok(interleaved > 3, `bursts interleave (${interleaved.toFixed(1)} runs a block)`);
    const last = await runs();
    assert.equal(last.runs, last.blocks, 'the thirteenth walk packed every cold value again, in one run');
    assert.equal(last.blocked, written.size);
    assert.equal(store.packerStats.blocks, last.blocks, 'the replaced blocks are gone');
    assert.equal(store.packerStats.blockedValues, written.size);
    assert.deepEqual(await readAll(store), written);
  });

  it('leaves keys written over and over out of blocks', async () => {
    const store = new MemoryStore();
    const written = await fill(store, 200);
    for (let v = 0; v < 9; v++) for (let i = 0; i < 100; i++) {
      await put(store, key(i), pod(`p${i}`, 'Running', `v${v}`));
      written.set(key(i), pod(`p${i}`, 'Running', `v${v}`));
    }
    await store.compact(await store.revision());
    await store.packValues();
    const kvs = (await store.range({ key: PODS, end: prefixEnd(PODS) })).kvs;
    assert.equal(kvs.filter((kv) => kv.version > 8 && blockOf(kv) !== undefined).length, 0);
    assert.ok(kvs.filter((kv) => kv.version === 1 && blockOf(kv) !== undefined).length >= 64);
    assert.deepEqual(await readAll(store), written);
  });

  it('serves blocked values superseded later: reads at old revisions, watch replay with previous values, compares', async () => {
    const store = new MemoryStore();
    const written = await fill(store);
    const before = await store.revision();
    await store.packValues();
    const k = key(10);
    assert.ok(blockOf((await store.range({ key: k })).kvs[0]));
    const stale = await store.txn([{ key: k, target: 'value', result: '=', value: pod('p10', 'Pending') }], [{ type: 'put', key: k, value: 'never' }]);
    assert.equal(stale.succeeded, false);
    const same = await store.txn([{ key: k, target: 'value', result: '=', value: written.get(k)! }], [{ type: 'put', key: k, value: pod('p10', 'Succeeded') }]);
    assert.equal(same.succeeded, true, 'a compare reads the blocked value');
    await del(store, key(11));
    dropInflatedBlocks();
    assert.equal((await store.range({ key: k, revision: before })).kvs[0].value, written.get(k));
    assert.equal((await store.range({ key: key(11), revision: before })).kvs[0].value, written.get(key(11)));
    const events: StoreWatchEvent[] = [];
    const watcher = store.watch({ key: PODS, end: prefixEnd(PODS), startRevision: before + 1 }, (batch) => events.push(...batch));
    await drain();
    watcher.cancel();
    assert.deepEqual(
      events.map((e) => [e.type, e.kv.value, e.prevKv?.value]),
      [
        ['put', pod('p10', 'Succeeded'), written.get(k)],
        ['delete', '', written.get(key(11))],
      ],
    );
  });

  it('lets go of members compaction dropped and repacks a block that lost half of them, every value still exact', async () => {
    const store = new MemoryStore();
    const written = await fill(store);
    await store.packValues();
    const first = blockOf((await store.range({ key: key(0) })).kvs[0])!;
    const blocksBefore = store.packerStats.blocks;
    // Rewrite most of the first block's keys (and delete one): their blocked versions become history.
    for (let i = 0; i < first.size - 5; i++) {
      await put(store, key(i), pod(`p${i}`, 'Succeeded'));
      written.set(key(i), pod(`p${i}`, 'Succeeded'));
    }
    await del(store, key(first.size - 1));
    written.delete(key(first.size - 1));
    await store.packValues();
    assert.ok(first.live === first.size, 'history is retained until compaction');
    await store.compact(await store.revision());
    await store.packValues();
    assert.equal(first.retired, true);
    assert.deepEqual(first.members, [], 'a retired block lets go of its members');
    for (const kv of (await store.range({ key: PODS, end: prefixEnd(PODS) })).kvs) assert.notEqual(blockOf(kv), first, kv.key);
    assert.deepEqual(await readAll(store), written);
    const stats = store.packerStats;
    assert.equal(stats.blockedValues, await blocked(store), 'blocks count only live members');
    assert.ok(stats.blocks >= blocksBefore - 1);
  });

  it('drops blocks whose keys were all deleted, and blocks a re-created key anew', async () => {
    const store = new MemoryStore();
    const written = await fill(store, 200);
    await store.packValues();
    const blocksBefore = store.packerStats.blocks;
    for (let i = 0; i < 200; i++) await del(store, key(i));
    await store.compact(await store.revision());
    await store.packValues();
    assert.equal(store.packerStats.blocks, 0);
    assert.ok(blocksBefore > 0);
    const again = await fill(store, 200, (i) => pod(`p${i}`, 'Pending', `again ${i}`));
    await store.packValues();
    assert.ok(store.packerStats.blocks > 0);
    const read = await readAll(store);
    assert.deepEqual(read, again);
    assert.notDeepEqual(read, written);
    for (const kv of (await store.range({ key: PODS, end: prefixEnd(PODS) })).kvs) assert.equal(kv.version, 1);
  });

  it('blocks and repacks while writes arrive between the slices and passes of the background packer', async () => {
    const store = new MemoryStore();
    const written = await fill(store, 2000);
    const packer = (store as unknown as { engine: { packer: Record<string, unknown> } }).engine.packer as unknown as {
      tick(): void;
      passing: boolean;
      timer: NodeJS.Timeout | undefined;
      cold: unknown[];
      loop: EventLoopUtilization;
      written: number;
    };
    // What the timer does, now: a pass that packs in slices (a setImmediate apart) in a quiet
    // store, or for a few ms in a busy one (here every third pass: many writes since the last).
    let passes = 0;
    const pass = () => {
      clearTimeout(packer.timer);
      packer.timer = undefined;
      // The loop was idle for a second since the last pass, as far as the pass can tell.
      const now = performance.eventLoopUtilization();
      packer.loop = { ...now, idle: now.idle - 1000 };
      if (++passes % 3 === 0) packer.written = 1e9;
      packer.tick();
    };
    let i = 0;
    const writeSome = async (to: string) => {
      for (let j = 0; j < 3; j++, i = (i * 7 + 13) % 2000) {
        const text = pod(`p${i}`, to, `write ${i}`);
        await put(store, key(i), text);
        written.set(key(i), text);
      }
    };
    const run = async (to: string, writes: number) => {
      for (let n = 0; n < 2000; n++) {
        if (n >= writes && n > 6 && !packer.passing && store.packerStats.backlog === 0 && packer.cold.length === 0) return n;
        if (!packer.passing) pass();
        if (n < writes) await writeSome(to);
        await drain();
      }
      throw new Error('the passes did not finish');
    };
    await run('Succeeded', 60);
    assert.ok(store.packerStats.blocks > 0, 'the passes made blocks');
    assert.deepEqual(await readAll(store), written);
    await store.compact(await store.revision());
    await run('Failed', 30);
    assert.deepEqual(await readAll(store), written);
    assert.equal(store.packerStats.blockedValues, await blocked(store));
    await store.close();
  });

  it('while the store stays busy, cold values wait unblocked, and those written again are let go at the next compaction', async () => {
    const store = new MemoryStore();
    const written = await fill(store, 300);
    type Prefix = { ready: Set<unknown> };
    const packer = (store as unknown as { engine: { packer: Record<string, unknown> } }).engine.packer as unknown as {
      tick(): void;
      passing: boolean;
      timer: NodeJS.Timeout | undefined;
      written: number;
      prefixes: Map<string, Prefix>;
    };
    const busyPass = async () => {
      clearTimeout(packer.timer);
      packer.timer = undefined;
      packer.written = 1e9; // more writes since the last pass than a quiet store takes
      packer.tick();
      while (packer.passing) await drain();
    };
    for (let i = 0; i < 40 && (store.packerStats.backlog > 0 || packer.prefixes.get(PODS)?.ready.size !== 300); i++) await busyPass();
    assert.equal(packer.prefixes.get(PODS)!.ready.size, 300, 'every value waits');
    assert.equal(store.packerStats.blocks, 0, 'no block is made while the store is busy');
    const waited = [...packer.prefixes.get(PODS)!.ready];
    for (let i = 0; i < 100; i++) {
      await put(store, key(i), pod(`p${i}`, 'Failed'));
      written.set(key(i), pod(`p${i}`, 'Failed'));
    }
    await store.compact(await store.revision());
    await busyPacker(store).sweepPasses();
    // (The versions written since may have joined them, if the sweep took more than one pass.)
    const still = waited.filter((kv) => packer.prefixes.get(PODS)!.ready.has(kv as StoredKv));
    assert.equal(still.length, 200, 'the values written again no longer wait');
    assert.deepEqual(await readAll(store), written);
    await store.close();
  });

  /** A store whose values are blocked, then more than half of its first block written again and compacted away. */
  async function firstBlockMostlyWrittenAgain() {
    const store = new MemoryStore();
    const written = await fill(store, 300);
    await store.packValues();
    const first = blockOf((await store.range({ key: key(0) })).kvs[0])!;
    const lost = Math.ceil(first.size / 2) + 1;
    for (let i = 0; i < lost; i++) {
      await put(store, key(i), pod(`p${i}`, 'Succeeded'));
      written.set(key(i), pod(`p${i}`, 'Succeeded'));
    }
    await store.compact(await store.revision());
    return { store, written, first, lost };
  }

  /** Runs `pass` with a clock that jumps far ahead after its first read: a pass's deadline has passed as soon as it is set. */
  async function pastDeadline(pass: () => Promise<void>): Promise<void> {
    const now = performance.now;
    let reads = 0;
    performance.now = () => now.call(performance) + (reads++ === 0 ? 0 : 1e9);
    try {
      await pass();
    } finally {
      delete (performance as { now?: unknown }).now;
    }
  }

  /** The packer of `store`, its busy passes driven by hand (see the test above). */
  function busyPacker(store: MemoryStore) {
    const packer = (store as unknown as { engine: { packer: Record<string, unknown> } }).engine.packer as unknown as {
      tick(): void;
      passing: boolean;
      timer: NodeJS.Timeout | undefined;
      written: number;
      prefixes: Map<string, { ready: Set<StoredKv> }>;
      sweeping: boolean;
      compactions: number;
    };
    const busyPass = async () => {
      clearTimeout(packer.timer);
      packer.timer = undefined;
      packer.written = 1e9;
      packer.tick();
      while (packer.passing) await drain();
    };
    /** Busy passes until the sweep after a compaction is over (each stops at its deadline: a loaded machine may need several). */
    const sweepPasses = async () => {
      for (let i = 0; i < 100 && (i === 0 || packer.sweeping || packer.compactions > 0); i++) await busyPass();
    };
    return { ready: () => packer.prefixes.get(PODS)!.ready, busyPass, sweepPasses };
  }

  it('a busy pass stops forgetting values written again at its deadline, and the next passes finish', async () => {
    const store = new MemoryStore();
    const written = await fill(store, 300);
    const { ready, busyPass, sweepPasses } = busyPacker(store);
    for (let i = 0; i < 40 && (store.packerStats.backlog > 0 || ready().size !== 300); i++) await busyPass();
    assert.equal(ready().size, 300, 'every value waits');
    const waited = [...ready()];
    const stillWaiting = () => waited.filter((kv) => ready().has(kv)).length;
    for (let i = 200; i < 300; i++) {
      await put(store, key(i), pod(`p${i}`, 'Failed'));
      written.set(key(i), pod(`p${i}`, 'Failed'));
    }
    await store.compact(await store.revision());
    // A pass whose deadline passes at once (the clock runs on after the pass reads its deadline).
    await pastDeadline(busyPass);
    assert.ok(stillWaiting() > 200, `one pass past its deadline looked at part of the waiting values only (${stillWaiting()} wait)`);
    await sweepPasses();
    assert.equal(stillWaiting(), 200, 'the values written again no longer wait');
    assert.deepEqual(await readAll(store), written);
    await store.close();
  });

  it('a retired block keeps no version compaction dropped alive, however long its retained values wait', async () => {
    const { store, written, first, lost } = await firstBlockMostlyWrittenAgain();
    const { ready, sweepPasses } = busyPacker(store);
    // The sweep retires the block, and its retained values wait (busy).
    await sweepPasses();
    assert.equal(first.retired, true);
    const waiting = async () => (await store.range({ key: key(lost) })).kvs[0] as StoredKv;
    assert.equal((await waiting()).block, first, 'a retained value reads from the retired block while it waits');
    assert.ok(ready().has(await waiting()));
    // One of them is written again and compacted away; the others still read from the block.
    const dropped = new WeakRef(await waiting());
    await put(store, key(lost), pod(`p${lost}`, 'Failed'));
    written.set(key(lost), pod(`p${lost}`, 'Failed'));
    await store.compact(await store.revision());
    await sweepPasses();
    assert.equal(ready().has(dropped.deref()!), false);
    assert.equal(((await store.range({ key: key(lost + 1) })).kvs[0] as StoredKv).block, first);
    dropInflatedBlocks();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    assert.equal(dropped.deref(), undefined, 'the dropped version is collected');
    assert.deepEqual(await readAll(store), written);
    await store.close();
  });

  it('a quiet pass packs the values of retired blocks on their own again up to its deadline, and the next slices finish', async () => {
    const { store, written, first } = await firstBlockMostlyWrittenAgain();
    const packer = (store as unknown as { engine: { packer: Record<string, unknown> } }).engine.packer as unknown as {
      tick(): void;
      passing: boolean;
      timer: NodeJS.Timeout | undefined;
      loop: EventLoopUtilization;
    };
    const inRetired = async () => {
      const kvs = (await store.range({ key: PODS, end: prefixEnd(PODS) })).kvs;
      return kvs.filter((kv) => blockOf(kv) === first).length;
    };
    // A quiet pass (the loop idle) whose deadline passes at once: its first slice only, now.
    clearTimeout(packer.timer);
    packer.timer = undefined;
    const idle = performance.eventLoopUtilization();
    packer.loop = { ...idle, idle: idle.idle - 1000 };
    await pastDeadline(async () => packer.tick());
    assert.equal(first.retired, true);
    assert.ok((await inRetired()) > 0, 'the first slice stopped at its deadline');
    while (packer.passing) await drain();
    assert.equal(await inRetired(), 0, 'the next slices packed the rest on their own');
    assert.deepEqual(await readAll(store), written);
    await store.close();
  });

  it('a quiet pass stops making blocks at its deadline, and the next slices finish', async () => {
    const store = new MemoryStore();
    // Values of ~4 KB: 8 to a block.
    const written = await fill(store, 300, (i) => pod(`p${i}`, 'Running', `${i} ${'x'.repeat(3600)}`));
    const { ready, busyPass } = busyPacker(store);
    for (let i = 0; i < 40 && (store.packerStats.backlog > 0 || ready().size !== 300); i++) await busyPass();
    assert.equal(ready().size, 300, 'every value waits');
    const packer = (store as unknown as { engine: { packer: { tick(): void; passing: boolean; timer: NodeJS.Timeout | undefined; loop: EventLoopUtilization } } }).engine.packer;
    clearTimeout(packer.timer);
    packer.timer = undefined;
    const idle = performance.eventLoopUtilization();
    packer.loop = { ...idle, idle: idle.idle - 1000 };
    await pastDeadline(async () => packer.tick());
    assert.equal(store.packerStats.blocks, 1, 'the first slice made one block');
    while (packer.passing) await drain();
    assert.ok(store.packerStats.blocks >= 30, `the next slices made the rest (${store.packerStats.blocks} blocks)`);
    assert.deepEqual(await readAll(store), written);
    await store.close();
  });

  it('a durable store gives back blocked values after a snapshot, a restart and a compaction', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-sim-blocks-'));
    dirs.push(dir);
    const store = await DurableStore.open({ dataDir: dir });
    const written = await fill(store);
    await store.packValues();
    assert.ok((await blocked(store)) > 0);
    await store.snapshot();
    await put(store, key(3), pod('p3', 'Failed'));
    written.set(key(3), pod('p3', 'Failed'));
    await del(store, key(4));
    written.delete(key(4));
    await store.compact(await store.revision());
    await store.packValues();
    await store.close();
    const reopened = await DurableStore.open({ dataDir: dir });
    try {
      assert.deepEqual(await readAll(reopened), written);
      await reopened.packValues();
      assert.ok((await blocked(reopened)) > 0, 'a reopened store blocks what it loaded');
      assert.deepEqual(await readAll(reopened), written);
      await reopened.snapshot();
    } finally {
      await reopened.close();
    }
    const third = await DurableStore.open({ dataDir: dir });
    try {
      assert.deepEqual(await readAll(third), written);
    } finally {
      await third.close();
    }
  });
});
