/**
 * Superseded versions packed as reverse deltas against the key's next version (value-delta.ts,
 * value-packer.ts): every read at every revision gives back exactly the text written, whatever
 * chain of deltas it goes through, through compaction, deletes, re-creates of the same key and a
 * durable store's snapshot and log.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableStore } from '../../../../src/cluster/store/durable';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { StoredKv } from '../../../../src/cluster/store/packing/stored-kv';
import { applyDelta, deltaOf } from '../../../../src/cluster/store/packing/value-delta';
import { KVStore, StoreWatchEvent } from '../../../../src/cluster/store/types';

const LEASES = '/registry/leases/kube-node-lease/';
const put = (store: KVStore, key: string, value: string) => store.txn([], [{ type: 'put', key, value }]);
const del = (store: KVStore, key: string) => store.txn([], [{ type: 'delete', key }]);
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A Lease-like text: renewals differ in little (the renew time, a counter, an annotation of varying
 * length that shifts what follows it), so each is a short delta against the next one, and a delta
 * read against another renewal than the one it was made against gives a wrong text.
 */
function lease(node: string, renewal: number, holder = node): string {
  return JSON.stringify({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: node, namespace: 'kube-node-lease', uid: `uid-${node}-aaaa-bbbb-cccc`, annotations: { seen: 'n'.repeat((renewal * 5) % 7) }, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node }] },
    spec: { holderIdentity: holder, leaseDurationSeconds: 40, leaseTransitions: renewal * 37, renewTime: `2026-01-01T00:${String(Math.floor(renewal / 6) % 60).padStart(2, '0')}:${String((renewal % 6) * 10).padStart(2, '0')}.${String(renewal * 7919).padStart(6, '0')}Z` },
  });
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('value deltas', () => {
  it('give back the text exactly: edits anywhere, non-ASCII, astral and lone surrogates, empty and identical texts', () => {
    const base = lease('node-1', 3);
    const texts = [
      lease('node-1', 4),
      lease('node-1', 4, 'nöde-1 ✓ 🚀'),
      base.replace('"spec"', '"\ud800spec"'),
      base.slice(40) + base.slice(0, 40),
      base,
      '',
      `${base}{"extra":"tail"}`,
      base.slice(0, 100),
    ];
    for (const text of texts) {
      const delta = deltaOf(base, text, Infinity);
      assert.ok(delta !== undefined);
      assert.equal(applyDelta(base, delta), text);
    }
    // Against an empty base every text is literal.
    assert.equal(applyDelta('', deltaOf('', 'short text ✓', Infinity)!), 'short text ✓');
  });

  it('are short for a text like its base, and given up past the budget', () => {
    const base = lease('node-1', 3);
    const delta = deltaOf(base, lease('node-1', 2), Infinity)!;
    assert.ok(delta.length < 40, `delta of ${delta.length} characters`);
    assert.equal(deltaOf(base, 'x'.repeat(500), 100), undefined);
  });

  it('read a Lease renewed many times right at every revision, through chains of deltas, and replay it with its previous values', async () => {
    const store = new MemoryStore();
    for (let n = 0; n < 12; n++) await put(store, `${LEASES}node-${n}`, lease(`node-${n}`, 0));
    const key = `${LEASES}node-0`;
    const written: [number, string][] = [];
    for (let r = 1; r <= 30; r++) written.push([(await put(store, key, lease('node-0', r))).revision, lease('node-0', r)]);
    await store.packValues();
    assert.ok(store.packerStats.deltas >= 20, `${store.packerStats.deltas} deltas`);
    for (const [revision, text] of written) assert.equal((await store.range({ key, revision })).kvs[0].value, text);
    // A read applies at most 8 deltas in a row, however many renewals there were.
    const chains = [];
    for (const [revision] of written) {
      let chain = 0;
      for (let kv = (await store.range({ key, revision })).kvs[0] as StoredKv; kv.deltaBase !== undefined; kv = kv.deltaBase) chain++;
      chains.push(chain);
    }
    assert.ok(Math.max(...chains) <= 8 && Math.max(...chains) >= 2, `chains ${chains.join(',')}`);
    const events: StoreWatchEvent[] = [];
    store.watch({ key, startRevision: written[1][0] }, (batch) => events.push(...batch));
    await drain();
    assert.deepEqual(
      events.map((e) => [e.kv.value, e.prevKv?.value]),
      written.slice(1).map(([, text], i) => [text, written[i][1]]),
    );
  });

  it('read right after compaction cuts a chain from its old end, and after the key is deleted and created again', async () => {
    const store = new MemoryStore();
    for (let n = 0; n < 12; n++) await put(store, `${LEASES}node-${n}`, lease(`node-${n}`, 0));
    const key = `${LEASES}node-0`;
    const written: [number, string][] = [];
    for (let r = 1; r <= 10; r++) written.push([(await put(store, key, lease('node-0', r))).revision, lease('node-0', r)]);
    await store.packValues();
    await store.compact(written[4][0]);
    for (const [revision, text] of written.slice(4)) assert.equal((await store.range({ key, revision })).kvs[0].value, text);
    const deleted = await del(store, key);
    // Created again with texts like the old ones: a delta read against the wrong version would show.
    const again: [number, string][] = [];
    for (let r = 1; r <= 5; r++) again.push([(await put(store, key, lease('node-0', r, 'again'))).revision, lease('node-0', r, 'again')]);
    await store.packValues();
    for (const [revision, text] of [...written.slice(4), ...again]) assert.equal((await store.range({ key, revision })).kvs[0].value, text);
    assert.equal((await store.range({ key, revision: deleted.revision })).kvs.length, 0);
    await store.compact(again[2][0]);
    for (const [revision, text] of again.slice(2)) assert.equal((await store.range({ key, revision })).kvs[0].value, text);
  });

  it('a durable store recovers every version of a chain from its snapshot and log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-sim-delta-'));
    dirs.push(dir);
    const store = await DurableStore.open({ dataDir: dir });
    for (let n = 0; n < 12; n++) await put(store, `${LEASES}node-${n}`, lease(`node-${n}`, 0));
    const key = `${LEASES}node-0`;
    const written: [number, string][] = [];
    for (let r = 1; r <= 12; r++) written.push([(await put(store, key, lease('node-0', r))).revision, lease('node-0', r)]);
    await store.packValues();
    assert.ok(store.packerStats.deltas > 0);
    await store.snapshot();
    for (let r = 13; r <= 16; r++) written.push([(await put(store, key, lease('node-0', r))).revision, lease('node-0', r)]);
    await store.packValues();
    await store.close();
    const reopened = await DurableStore.open({ dataDir: dir });
    try {
      for (const [revision, text] of written) assert.equal((await reopened.range({ key, revision })).kvs[0].value, text);
    } finally {
      await reopened.close();
    }
  });
});
