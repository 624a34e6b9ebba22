/**
 * A key's superseded versions, once packed, are folded into one fossil string (packing/fossil.ts)
 * and made into objects again when read. These pin that a fossil gives back every version exactly
 * (revisions, version, createRevision, text, in every form a text is held), that compaction keeps
 * the right ones, and that the blocks it names are let go of with the last version naming them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { Fossils } from '../../../../src/cluster/store/packing/fossil';
import { StoredKv, StoredKvWithPast, pastOf } from '../../../../src/cluster/store/packing/stored-kv';
import { ValueBlock, dropInflatedBlocks } from '../../../../src/cluster/store/packing/value-block';
import { ValueCodec } from '../../../../src/cluster/store/packing/value-codec';
import { applyDelta, deltaOf } from '../../../../src/cluster/store/packing/value-delta';
import { KVStore, StoreWatchEvent, prefixEnd } from '../../../../src/cluster/store/types';

const KEY = '/registry/pods/default/web';
const text = (n: number) => JSON.stringify({ kind: 'Pod', metadata: { name: 'web', generation: n }, status: { phase: n % 2 ? 'Pending' : 'Running', note: 'x'.repeat(40 + n) } });
const shown = (kv: StoredKv) => `${kv.modRevision} c${kv.createRevision} v${kv.version} ${kv.value}`;

/**
 * A chain, oldest first, of every shape a fossil holds: a generation ended by a delete (its last
 * version's version and createRevision written out), a re-create, a put and a delete in one
 * revision, and texts held plain, as a delta, packed on their own, and in a block (one at index 1).
 */
function chain(): { versions: StoredKv[]; codec: ValueCodec; block: ValueBlock } {
  const codec = new ValueCodec(Buffer.from(text(0) + text(1)));
  const versions: StoredKv[] = [];
  const add = (value: string, create: number, mod: number, version: number) => {
    const kv = versions.length === 0 ? new StoredKv(KEY, value, create, mod, version) : new StoredKvWithPast(KEY, value, create, mod, version, versions[versions.length - 1]);
    versions.push(kv);
    return kv;
  };
  add(text(1), 10, 10, 1).pack(codec, codec.pack(text(1))!); // packed on its own
  const inBlock = add(text(2), 10, 14, 2);
  add('', 0, 300, 0); // deleted
  add('short', 301, 301, 1); // too short to pack: plain
  const delta = add(text(4), 301, 302, 2); // a delta against the next
  add(text(5), 301, 302, 3); // written again in the same revision ...
  add('', 0, 302, 0); // ... and deleted there
  add(text(7), 20000, 20000, 1);
  const block = ValueBlock.pack(codec, [{} as StoredKv, inBlock], [text(9), text(2)])!;
  inBlock.packIn(block, 1);
  const d = deltaOf(text(5), text(4), 200)!;
  assert.equal(applyDelta(text(5), d), text(4));
  delta.packAgainst(versions[5], d);
  return { versions, codec, block };
}

function thawed(fossils: Fossils, holder: StoredKv, fossil: string): string[] {
  const out: string[] = [];
  fossils.thaw(KEY, holder, fossil, (kv) => {
    out.push(shown(kv));
    return true;
  });
  return out;
}

describe('fossils', () => {
  it('give back every version they fold, newest first, in every form a text is held', () => {
    const { versions } = chain();
    const expected = versions.map(shown);
    const fossils = new Fossils();
    const holder = versions[versions.length - 1];
    const older = versions.slice(0, -1).reverse();
    for (const kv of older) assert.ok(Fossils.foldable(kv, versions[versions.indexOf(kv) + 1]), shown(kv));
    const fossil = fossils.fold(holder, older, undefined);
    assert.ok(fossil.length < 200, `${fossil.length} characters`);
    dropInflatedBlocks();
    assert.deepEqual(thawed(fossils, holder, fossil), expected.slice(0, -1).reverse());
    // Folded in two goes (the older ones first, as the past of the version after them), the same.
    const again = new Fossils();
    const first = again.fold(versions[4], versions.slice(0, 4).reverse(), undefined);
    const both = again.fold(holder, versions.slice(4, -1).reverse(), first);
    assert.equal(both, fossil);
    assert.equal(fossils.leadingDeltas(holder, fossil), 0);
    assert.equal(fossils.leadingDeltas(versions[5], fossils.fold(versions[5], [versions[4]], undefined)), 1);
  });

  it('keep, when compacted, the newest version at or below the revision (not a tombstone) and those after it', () => {
    const { versions } = chain();
    for (const revision of [9, 10, 13, 14, 299, 300, 301, 302, 19999]) {
      const fossils = new Fossils();
      const holder = versions[versions.length - 1];
      const fossil = fossils.fold(holder, versions.slice(0, -1).reverse(), undefined);
      const cut = fossils.cut(holder, fossil, revision);
      // The store's rule: the last version at or below the revision stays unless it is a tombstone.
      const older = versions.slice(0, -1);
      let keep = older.length - 1;
      while (keep >= 0 && older[keep].modRevision > revision) keep--;
      if (keep >= 0 && older[keep].version === 0) keep++;
      const kept = older.slice(Math.max(0, keep)).reverse().map(shown);
      assert.deepEqual(cut === undefined ? [] : thawed(fossils, holder, cut), kept, `compacted at ${revision}`);
      // The block stays named for as long as its version does.
      assert.equal(fossils.blockCount, revision < 300 ? 1 : 0, `blocks named after compacting at ${revision}`);
      if (cut !== undefined) fossils.release(holder, cut);
      assert.equal(fossils.blockCount, 0);
    }
  });
});

const PODS = '/registry/pods/default/';
const put = (store: KVStore, key: string, value: string) => store.txn([], [{ type: 'put', key, value }]);
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));
const show = (e: StoreWatchEvent) => `${e.type} ${e.kv.key}@${e.kv.modRevision}#${e.kv.version}=${e.kv.value} prev=${e.prevKv ? `${e.prevKv.modRevision}=${e.prevKv.value}` : '-'}`;
/** A pod at a stage of its start: created, ContainerCreating, Running (the last two differ in much). */
const pod = (n: number, stage: number) =>
  JSON.stringify({ kind: 'Pod', metadata: { name: `web-${n}` }, status: stage === 0 ? {} : { phase: ['', 'Pending', 'Running'][stage], id: `${stage}-${(n * 7919 + stage * 104729).toString(16).repeat(6)}`, conditions: ['Ready', 'Initialized'].map((type) => ({ type, status: stage > 1 ? 'True' : 'False' })) } });

describe('a store keeping superseded versions in fossils', () => {
  it('folds the packed history of every pod, and reads and replays it exactly', async () => {
    const store = new MemoryStore();
    const engine = (store as unknown as { engine: { records: Map<string, StoredKv>; fossils: Fossils } }).engine;
    const live: string[] = [];
    store.watch({ key: PODS, end: prefixEnd(PODS), startRevision: 1 }, (batch) => live.push(...batch.map(show)));
    const written: [string, number, string][] = [];
    for (let stage = 0; stage < 3; stage++) {
      for (let n = 0; n < 80; n++) {
        const { revision } = await put(store, `${PODS}web-${n}`, pod(n, stage));
        written.push([`${PODS}web-${n}`, revision, pod(n, stage)]);
      }
    }
    await store.packValues();
    await drain();
    // Every pod's two superseded versions are in its fossil: no object of their own.
    for (let n = 0; n < 80; n++) {
      const past = pastOf(engine.records.get(`${PODS}web-${n}`)!);
      assert.equal(typeof past, 'string', `web-${n}`);
    }
    assert.ok(engine.fossils.blockCount > 0);
    dropInflatedBlocks();
    for (const [key, revision, value] of written) {
      const kv = (await store.range({ key, revision })).kvs[0];
      assert.equal(kv.modRevision, revision);
      assert.equal(kv.value, value);
    }
    const replayed: string[] = [];
    store.watch({ key: PODS, end: prefixEnd(PODS), startRevision: 1 }, (batch) => replayed.push(...batch.map(show)));
    await drain();
    assert.equal(replayed.length, 240);
    assert.deepEqual(replayed, live);
    // Compacted to the middle of the ContainerCreating writes, then to the end: the blocks go with the last version naming them.
    const middle = written[120][1];
    await store.compact(middle);
    for (const [key, revision, value] of written.filter(([, r]) => r >= middle)) assert.equal((await store.range({ key, revision })).kvs[0].value, value);
    await store.compact(await store.revision());
    assert.equal(engine.fossils.blockCount, 0);
    for (let n = 0; n < 80; n++) assert.equal(pastOf(engine.records.get(`${PODS}web-${n}`)!), undefined);
    await store.close();
  });

  it('folds a version packed while it was the newest once the version written over it is packed', async () => {
    const store = new MemoryStore();
    const engine = (store as unknown as { engine: { records: Map<string, StoredKv> } }).engine;
    for (let n = 0; n < 40; n++) await put(store, `${PODS}web-${n}`, pod(n, 2));
    await store.packValues();
    const key = `${PODS}web-3`;
    const before = (await store.range({ key })).kvs[0] as StoredKv;
    assert.ok(before.packed);
    await put(store, key, pod(3, 1));
    assert.equal(pastOf(engine.records.get(key)!), before);
    await store.packValues();
    const past = pastOf(engine.records.get(key)!);
    assert.equal(typeof past, 'string');
    const old = (await store.range({ key, revision: before.modRevision })).kvs[0];
    assert.notEqual(old, before);
    assert.equal(old.value, pod(3, 2));
    await store.close();
  });
});
