/**
 * Values the store packs in memory (packing/value-packer.ts): whatever representation a value has,
 * every read gives back exactly the text that was written, at every revision, in watches and in
 * compares, and a durable store recovers every acknowledged write. The background pass runs on
 * real timers, so these tests pack explicitly with `packValues()` (the same packing, now).
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableStore } from '../../../../src/cluster/store/durable';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { ValueBlock } from '../../../../src/cluster/store/packing/value-block';
import { ValueCodec } from '../../../../src/cluster/store/packing/value-codec';
import { resourcePrefix } from '../../../../src/cluster/store/packing/value-packer';
import { KVStore, KeyValue, StoreWatchEvent, prefixEnd } from '../../../../src/cluster/store/types';

const PODS = '/registry/pods/';
const put = (store: KVStore, key: string, value: string) => store.txn([], [{ type: 'put', key, value }]);
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A pod-like JSON text, different per name and phase (packing needs values alike, as a resource's are). */
function pod(name: string, phase: string, extra = ''): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}-0000-1111-2222`, labels: { app: 'web' }, annotations: { note: extra } },
    spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    status: { phase, conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False' }] },
  });
}

/** Puts enough pods under PODS for the packer to learn a dictionary; their texts by key. */
async function fillPods(store: KVStore, count = 12): Promise<Map<string, string>> {
  const written = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const key = `${PODS}default/p${i}`;
    const text = pod(`p${i}`, 'Running');
    await put(store, key, text);
    written.set(key, text);
  }
  return written;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('ValueCodec', () => {
  const codec = new ValueCodec(Buffer.from(pod('dictionary', 'Running')));

  it('packs a value like its dictionary to a small one-byte string and unpacks it exactly', () => {
    const text = pod('web-1', 'Running');
    const packed = codec.pack(text);
    assert.ok(packed !== undefined && packed.length < text.length / 4, `packed to ${packed?.length} of ${text.length}`);
    assert.ok(/^[\u0000-\u00ff]*$/.test(packed), 'one byte per character');
    assert.equal(codec.unpack(packed), text);
  });

  it('round-trips non-ASCII text, astral characters and a value larger than its scratch buffers', () => {
    for (const text of [pod('ünïcødé', 'Running', 'Grüße, 世界 🚀'), pod('big', 'Running', 'é'.repeat(70_000) + '𝄞'.repeat(5000))]) {
      const packed = codec.pack(text);
      assert.ok(packed !== undefined, 'packed');
      assert.equal(codec.unpack(packed), text);
      assert.equal(new ValueCodec(codec.dictionary).unpack(packed), text, 'another codec with the same dictionary unpacks it');
    }
  });

  it('declines what would not come back exactly (a lone surrogate) and what would not get smaller', () => {
    assert.equal(codec.pack(`${pod('lone', 'Running')}a\ud800b`), undefined, 'UTF-8 has no lone surrogates');
    const seasoned = new ValueCodec(codec.dictionary);
    for (let i = 0; i < 100; i++) assert.equal(seasoned.unpack(seasoned.pack(pod(`p${i}`, 'Running'))!), pod(`p${i}`, 'Running'));
    assert.equal(seasoned.pack(`${pod('lone', 'Running')}a\udc00b`), undefined, 'also once the codec no longer unpacks to check');
    assert.equal(codec.pack('x'), undefined);
  });
});

describe('resourcePrefix', () => {
  it('is the key up to its third slash (one dictionary per resource), or up to its last slash', () => {
    assert.equal(resourcePrefix('/registry/pods/default/web'), '/registry/pods/');
    assert.equal(resourcePrefix('/registry/minions/node-1'), '/registry/minions/');
    assert.equal(resourcePrefix('/p/a'), '/p/');
    assert.equal(resourcePrefix('plain'), '');
  });
});

describe('store values packed in memory', () => {
  it('packs values once a resource has enough of them to learn from, and reads give every value back exactly', async () => {
    const store = new MemoryStore();
    const written = await fillPods(store);
    const odd = { [`${PODS}default/unicode`]: pod('unicode', 'Running', 'Grüße 🚀 \u2028'), [`${PODS}default/empty`]: '' };
    for (const [key, text] of Object.entries(odd)) {
      await put(store, key, text);
      written.set(key, text);
    }
    assert.ok((await store.packValues()) >= 12);
    const stats = store.packerStats;
    assert.ok(stats.packedChars * 4 < stats.plainChars, `${stats.packedChars} of ${stats.plainChars} characters`);
    const all = await store.range({ key: PODS, end: prefixEnd(PODS) });
    assert.equal(all.kvs.length, written.size);
    for (const kv of all.kvs) assert.equal(kv.value, written.get(kv.key), kv.key);
    assert.equal(JSON.parse(JSON.stringify(all.kvs[0])).value, all.kvs[0].value, 'JSON of a key-value carries its value');
  });

  it('learns a newer dictionary when what a resource holds changes, and every value still reads back exactly', async () => {
    // A cluster's first events are its nodes'; its pods' come later and outnumber them.
    const EVENTS = '/registry/events/default/';
    const nodeEvent = (i: number) => JSON.stringify({ kind: 'Event', metadata: { name: `node-${i}.ready` }, involvedObject: { kind: 'Node', name: `node-${i}` }, reason: 'NodeHasSufficientMemory', message: `Node node-${i} status is now: NodeHasSufficientMemory`, source: { component: 'kubelet', host: `node-${i}` }, count: 1, type: 'Normal' });
    const podEvent = (i: number) => JSON.stringify({ kind: 'Event', metadata: { name: `web-${i}.started` }, involvedObject: { kind: 'Pod', namespace: 'default', name: `web-${i}`, uid: `0b7c${i}-1f2e-4d3c-9a8b-7c6d5e4f3a2b`, fieldPath: 'spec.containers{web}' }, reason: 'Started', message: 'Started container web', reportingComponent: 'kubelet', reportingInstance: `node-${i % 7}`, count: 1, type: 'Normal' });
    const store = new MemoryStore();
    const written = new Map<string, string>();
    const write = async (key: string, text: string) => { await put(store, key, text); written.set(key, text); };
    for (let i = 0; i < 16; i++) await write(`${EVENTS}n${i}`, nodeEvent(i));
    await store.packValues();
    const packedSize = async (from: number, to: number) => {
      const before = store.packerStats.packedChars;
      for (let i = from; i < to; i++) await write(`${EVENTS}p${i}`, podEvent(i));
      await store.packValues();
      return (store.packerStats.packedChars - before) / (to - from);
    };
    const againstNodes = await packedSize(0, 2100); // past the review: the trial runs on the last ones
    const ownDictionary = await packedSize(2100, 2200);
    assert.ok(ownDictionary < againstNodes * 0.9, `pod events pack to ${ownDictionary.toFixed(0)} characters each with their own dictionary, ${againstNodes.toFixed(0)} before`);
    const all = await store.range({ key: EVENTS, end: prefixEnd(EVENTS) });
    assert.equal(all.kvs.length, written.size);
    for (const kv of all.kvs) assert.equal(kv.value, written.get(kv.key), kv.key);
  });

  it('keeps nothing of a newer dictionary that lost its trial: every value stays packed with the one the resource has', async () => {
    // The first dictionary is learned from pods (the first 8 values); after 2,048 more the next 8
    // newest values are the candidate's samples: events, unlike the pods. The 32 values of its
    // trial are pods with an event every 8th: the candidate packs those smaller, and loses.
    const event = (name: string) => JSON.stringify({ kind: 'Event', metadata: { name: `${name}.started` }, involvedObject: { kind: 'Pod', namespace: 'default', name, uid: `0b7c-${name}-4d3c-9a8b-7c6d5e4f3a2b`, fieldPath: 'spec.containers{web}' }, reason: 'Started', message: 'Started container web', reportingComponent: 'kubelet', reportingInstance: 'node-7', count: 1, type: 'Normal' });
    const isEvent = (i: number) => (i >= 2055 && i < 2063) || (i >= 2063 && i < 2095 && i % 8 === 0);
    const store = new MemoryStore();
    const written = new Map<string, string>();
    for (let i = 0; i < 2300; i++) {
      const key = `${PODS}default/p${i}`;
      const text = isEvent(i) ? event(`p${i}`) : pod(`p${i}`, 'Running');
      await put(store, key, text);
      written.set(key, text);
    }
    await store.packValues();
    const all = await store.range({ key: PODS, end: prefixEnd(PODS) });
    // A value is packed on its own (its codec) or in a block (the block's codec).
    const codecOf = (kv: KeyValue) => {
      const packedIn = (kv as unknown as { packedIn?: ValueCodec | ValueBlock }).packedIn;
      return packedIn instanceof ValueBlock ? packedIn.codec : packedIn;
    };
    const codecs = new Set(all.kvs.map(codecOf));
    // A losing candidate that packed some values would live as long as they do (its dictionary, its zlib stream, its last text).
    assert.equal(codecs.size, 1);
    assert.equal(codecs.has(undefined), false);
    for (const kv of all.kvs) assert.equal(kv.value, written.get(kv.key), kv.key);
  });

  it('leaves a store holding a few small objects alone', async () => {
    const store = new MemoryStore();
    await put(store, '/registry/configmaps/default/one', JSON.stringify({ data: { a: 'x'.repeat(100) } }));
    assert.equal(await store.packValues(), 0);
  });

  it('serves packed history: reads at old revisions, a watch from an old revision with its previous values', async () => {
    const store = new MemoryStore();
    await fillPods(store);
    const key = `${PODS}default/web`;
    const texts = [pod('web', 'Pending'), pod('web', 'Running'), pod('web', 'Running', 'ünïcødé')];
    const revisions: number[] = [];
    for (const text of texts) revisions.push((await put(store, key, text)).revision);
    await store.packValues();
    for (let i = 0; i < texts.length; i++) assert.equal((await store.range({ key, revision: revisions[i] })).kvs[0].value, texts[i]);
    const events: StoreWatchEvent[] = [];
    store.watch({ key, startRevision: revisions[0] }, (batch) => events.push(...batch));
    await drain();
    assert.deepEqual(
      events.map((e) => [e.kv.value, e.prevKv?.value]),
      [
        [texts[0], undefined],
        [texts[1], texts[0]],
        [texts[2], texts[1]],
      ],
    );
  });

  it('compares on a packed value as on its text, and keeps history right through a compaction', async () => {
    const store = new MemoryStore();
    await fillPods(store);
    const key = `${PODS}default/p3`;
    const current = (await store.range({ key })).kvs[0];
    await store.packValues();
    const same = await store.txn([{ key, target: 'value', result: '=', value: pod('p3', 'Running') }], [{ type: 'put', key, value: pod('p3', 'Succeeded') }]);
    assert.equal(same.succeeded, true);
    const stale = await store.txn([{ key, target: 'value', result: '=', value: pod('p3', 'Running') }], [{ type: 'put', key, value: pod('p3', 'Failed') }]);
    assert.equal(stale.succeeded, false);
    assert.equal(current.value, pod('p3', 'Running'), 'a key-value read before packing still reads the same');
    await store.packValues();
    await store.compact(same.revision);
    assert.equal((await store.range({ key })).kvs[0].value, pod('p3', 'Succeeded'));
    assert.equal((await store.range({ key: `${PODS}default/p4`, revision: same.revision })).kvs[0].value, pod('p4', 'Running'));
  });

  it('a durable store recovers every acknowledged write, packed or not, from its log and from a snapshot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-sim-packing-'));
    dirs.push(dir);
    const store = await DurableStore.open({ dataDir: dir });
    const written = await fillPods(store);
    await store.packValues();
    await store.snapshot();
    const later = `${PODS}default/later`;
    await put(store, later, pod('later', 'Running', '🚀'));
    written.set(later, pod('later', 'Running', '🚀'));
    await store.packValues();
    await store.close();
    const reopened = await DurableStore.open({ dataDir: dir });
    try {
      const kvs = (await reopened.range({ key: PODS, end: prefixEnd(PODS) })).kvs;
      assert.deepEqual(new Map(kvs.map((kv) => [kv.key, kv.value])), written);
      assert.ok((await reopened.packValues()) >= 12, 'a reopened store packs what it loaded');
      for (const kv of (await reopened.range({ key: PODS, end: prefixEnd(PODS) })).kvs) assert.equal(kv.value, written.get(kv.key));
    } finally {
      await reopened.close();
    }
  });
});
