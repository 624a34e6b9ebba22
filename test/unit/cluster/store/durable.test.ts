import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableStore } from '../../../../src/cluster/store/durable';
import { openStore } from '../../../../src/cluster/store/index';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { CompactedError, KVStore, StoreWatchEvent, prefixEnd } from '../../../../src/cluster/store/types';

const put = (store: KVStore, key: string, value: string) => store.txn([], [{ type: 'put', key, value }]);
const del = (store: KVStore, key: string) => store.txn([], [{ type: 'delete', key }]);
const values = async (store: KVStore, prefix: string, revision?: number) =>
  (await store.range({ key: prefix, end: prefixEnd(prefix), revision })).kvs.map((kv) => `${kv.key}=${kv.value}@${kv.modRevision}/v${kv.version}`);
const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-sim-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newestSegment(dir: string): string {
  const segments = readdirSync(dir).filter((n) => n.startsWith('wal-') && readFileSync(join(dir, n)).length > 0).sort();
  return join(dir, segments[segments.length - 1]);
}

describe('DurableStore', () => {
  it('keeps keys, revisions, versions, history and the compaction point across a reopen', async () => {
    const dir = dataDir();
    const store = await DurableStore.open({ dataDir: dir });
    await put(store, '/p/a', 'a1'); // 2
    await put(store, '/p/b', 'b1'); // 3
    await put(store, '/p/a', 'a2'); // 4
    await del(store, '/p/b'); // 5
    await store.txn([], [
      { type: 'put', key: '/p/c', value: 'c1' },
      { type: 'put', key: '/p/d', value: 'd1' },
    ]); // 6
    await store.compact(3);
    await store.close();

    const reopened = await DurableStore.open({ dataDir: dir });
    assert.equal(await reopened.revision(), 6);
    assert.equal(await reopened.compactedRevision(), 3);
    assert.deepEqual(await values(reopened, '/p/'), ['/p/a=a2@4/v2', '/p/c=c1@6/v1', '/p/d=d1@6/v1']);
    assert.deepEqual(await values(reopened, '/p/', 4), ['/p/a=a2@4/v2', '/p/b=b1@3/v1']);
    await assert.rejects(reopened.range({ key: '/p/a', revision: 2 }), CompactedError);

    const events: StoreWatchEvent[] = [];
    reopened.watch({ key: '/p/', end: prefixEnd('/p/'), startRevision: 5 }, (batch) => events.push(...batch));
    await drain();
    assert.deepEqual(events.map((e) => `${e.type} ${e.kv.key}@${e.kv.modRevision} prev=${e.prevKv?.value ?? '-'}`), [
      'delete /p/b@5 prev=b1',
      'put /p/c@6 prev=-',
      'put /p/d@6 prev=-',
    ]);
    assert.equal((await put(reopened, '/p/e', 'e1')).revision, 7);
    await reopened.close();
  });

  it('keeps its directory, log and snapshots owner-only: they hold Secrets', async () => {
    const dir = join(dataDir(), 'store');
    const store = await DurableStore.open({ dataDir: dir, snapshotAfterBytes: 1024 });
    for (let i = 0; i < 50; i++) await put(store, `/secrets/s${i}`, 'x'.repeat(100));
    await store.close();
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const files = readdirSync(dir).filter((n) => n !== 'LOCK');
    assert.ok(files.some((n) => n.startsWith('wal-')) && files.some((n) => !n.startsWith('wal-')), `a log and a snapshot: ${files.join(' ')}`);
    for (const name of files) assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600, name);
  });

  it('round-trips any text through the log: quotes, backslashes, non-ASCII keys and values', async () => {
    const dir = dataDir();
    const store = await DurableStore.open({ dataDir: dir });
    const value = '{"name":"caf\u00e9 \\ \ud83d\ude00","empty":""}';
    await put(store, '/k/\u00e9t\u00e9', value);
    await put(store, '/k/empty', '');
    await store.close();
    const reopened = await DurableStore.open({ dataDir: dir });
    assert.equal((await reopened.range({ key: '/k/\u00e9t\u00e9' })).kvs[0]?.value, value);
    assert.equal((await reopened.range({ key: '/k/empty' })).kvs[0]?.value, '');
    await reopened.close();
  });

  it('acknowledges many concurrent writes through group commit, each at its own revision', async () => {
    const dir = dataDir();
    const store = await DurableStore.open({ dataDir: dir });
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => put(store, `/k/${String(i).padStart(3, '0')}`, String(i))));
    assert.deepEqual(results.map((r) => r.revision), Array.from({ length: 500 }, (_, i) => i + 2));
    await store.close();
    const reopened = await DurableStore.open({ dataDir: dir });
    assert.equal((await reopened.range({ key: '/k/', end: prefixEnd('/k/'), countOnly: true })).count, 500);
    await reopened.close();
  });

  it('shows readers and watchers a write only once it is on disk', async () => {
    const store = await DurableStore.open({ dataDir: dataDir() });
    const seen: number[] = [];
    store.watch({ key: 'a' }, (events) => seen.push(...events.map((e) => e.kv.modRevision)));
    const pending = put(store, 'a', '1');
    assert.equal(await store.revision(), 1, 'not yet fsync\'d');
    assert.deepEqual(await values(store, 'a'), []);
    assert.deepEqual(seen, []);
    await pending;
    assert.equal(await store.revision(), 2);
    await drain();
    assert.deepEqual(seen, [2]);
    await store.close();
  });

  it('compare-and-swaps against writes still waiting for their fsync', async () => {
    const store = await DurableStore.open({ dataDir: dataDir() });
    const first = store.txn([{ key: 'a', target: 'create', result: '=', value: 0 }], [{ type: 'put', key: 'a', value: 'first' }]);
    const second = store.txn([{ key: 'a', target: 'create', result: '=', value: 0 }], [{ type: 'put', key: 'a', value: 'second' }]);
    assert.deepEqual([(await first).succeeded, (await second).succeeded], [true, false]);
    await store.close();
  });

  it('resolves a read-only transaction that saw an unsynced write only after that write is on disk', async () => {
    const store = await DurableStore.open({ dataDir: dataDir() });
    const write = put(store, 'a', '1');
    const read = await store.txn([{ key: 'a', target: 'version', result: '=', value: 1 }], [{ type: 'range', key: 'a' }]);
    assert.equal(read.succeeded, true);
    assert.equal(await store.revision(), 2, 'what the read saw is durable by the time it returns');
    await write;
    await store.close();
  });

  it('drops a torn record at the end of the log and keeps everything before it', async () => {
    const dir = dataDir();
    const store = await DurableStore.open({ dataDir: dir });
    await put(store, 'a', '1');
    await put(store, 'b', '2');
    await store.close();
    const segment = newestSegment(dir);
    const whole = readFileSync(segment);
    writeFileSync(segment, whole.subarray(0, whole.length - 5)); // the last record lost its tail

    const reopened = await DurableStore.open({ dataDir: dir });
    assert.ok(reopened.openReport.droppedBytes > 0);
    assert.equal(await reopened.revision(), 2);
    assert.deepEqual(await values(reopened, ''), ['a=1@2/v1']);
    await put(reopened, 'c', '3'); // the log continues cleanly after the cut
    await reopened.close();
    const again = await DurableStore.open({ dataDir: dir });
    assert.deepEqual(await values(again, ''), ['a=1@2/v1', 'c=3@3/v1']);
    assert.equal(again.openReport.droppedBytes, 0);
    await again.close();
  });

  it('drops a record whose checksum does not match, and every record after it', async () => {
    const dir = dataDir();
    const store = await DurableStore.open({ dataDir: dir });
    await put(store, 'a', 'first');
    await put(store, 'b', 'second');
    await put(store, 'c', 'third');
    await store.close();
    const segment = newestSegment(dir);
    const buf = readFileSync(segment);
    const at = buf.indexOf('second');
    buf[at] ^= 0x01; // 's' becomes 'r': still valid JSON, wrong checksum
    writeFileSync(segment, buf);

    const reopened = await DurableStore.open({ dataDir: dir });
    assert.deepEqual(await values(reopened, ''), ['a=first@2/v1']);
    assert.equal(await reopened.revision(), 2);
    await reopened.close();
  });

  it('ignores garbage appended after the last record', async () => {
    const dir = dataDir();
    const store = await DurableStore.open({ dataDir: dir });
    await put(store, 'a', '1');
    await store.close();
    appendFileSync(newestSegment(dir), Buffer.alloc(64)); // zeroed blocks a crash can leave behind
    const reopened = await DurableStore.open({ dataDir: dir });
    assert.deepEqual(await values(reopened, ''), ['a=1@2/v1']);
    await reopened.close();
  });

  it('restores from a snapshot plus the log written after it, and removes the covered segments', async () => {
    const dir = dataDir();
    const store = await DurableStore.open({ dataDir: dir });
    await put(store, 'a', '1'); // 2
    await put(store, 'b', '1'); // 3
    await put(store, 'a', '2'); // 4
    await store.compact(3);
    await store.snapshot();
    await put(store, 'c', '1'); // 5
    await del(store, 'b'); // 6
    await store.close();
    assert.ok(existsSync(join(dir, 'snapshot.db')));
    assert.equal(readdirSync(dir).filter((n) => n.startsWith('wal-')).length, 1, 'only the segment after the snapshot remains');

    const reopened = await DurableStore.open({ dataDir: dir });
    assert.equal(await reopened.revision(), 6);
    assert.equal(await reopened.compactedRevision(), 3);
    assert.deepEqual(await values(reopened, ''), ['a=2@4/v2', 'c=1@5/v1']);
    assert.deepEqual(await values(reopened, '', 3), ['a=1@2/v1', 'b=1@3/v1']);
    assert.deepEqual(await values(reopened, '', 5), ['a=2@4/v2', 'b=1@3/v1', 'c=1@5/v1']);
    await reopened.close();
  });

  it('a compaction asked for while a snapshot is written waits for it; both are kept across a restart', async () => {
    const dir = dataDir();
    const store = await DurableStore.open({ dataDir: dir });
    for (let i = 0; i < 3000; i += 500) await store.txn([], Array.from({ length: 500 }, (_, j) => ({ type: 'put' as const, key: `/k/${String(i + j).padStart(4, '0')}`, value: 'v1' })));
    await store.compact(await store.revision());
    await put(store, '/k/0000', 'v2');
    await del(store, '/k/2999');
    const latest = await store.revision();
    const order: string[] = [];
    const snapshot = store.snapshot().then(() => order.push('snapshot'));
    const compaction = store.compact(latest).then(() => order.push('compaction'));
    await Promise.all([snapshot, compaction]);
    assert.deepEqual(order, ['snapshot', 'compaction']);
    await put(store, '/k/0001', 'v2');
    await store.close();

    const reopened = await DurableStore.open({ dataDir: dir });
    assert.equal(await reopened.compactedRevision(), latest);
    const now = await values(reopened, '/k/');
    assert.deepEqual([now.length, now[0], now[1], now[2998]], [2999, `/k/0000=v2@${latest - 1}/v2`, `/k/0001=v2@${latest + 1}/v2`, '/k/2998=v1@7/v1']);
    await reopened.close();
  });

  it('snapshots by itself once the log segment grows past the threshold', async () => {
    const dir = dataDir();
    const store = await DurableStore.open({ dataDir: dir, snapshotAfterBytes: 4096 });
    for (let i = 0; i < 200; i++) await put(store, `/k/${i % 20}`, 'x'.repeat(100) + i);
    await store.close();
    assert.ok(existsSync(join(dir, 'snapshot.db')));
    assert.equal(store.lastSnapshotError, undefined);
    const reopened = await DurableStore.open({ dataDir: dir });
    assert.equal(await reopened.revision(), 201);
    const kv = (await reopened.range({ key: '/k/19' })).kvs[0];
    assert.deepEqual([kv.value.endsWith('199'), kv.version, kv.createRevision], [true, 10, 21]);
    await reopened.close();
  });

  it('refuses a second open of the same data directory, and takes over a lock left by a dead process', async () => {
    const dir = dataDir();
    const store = await DurableStore.open({ dataDir: dir });
    await assert.rejects(DurableStore.open({ dataDir: dir }), /data directory .* is in use by process \d+/);
    await store.close();

    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(join(dir, 'LOCK'), `${dead}\n`);
    const reopened = await DurableStore.open({ dataDir: dir });
    assert.equal(readFileSync(join(dir, 'LOCK'), 'utf8').trim(), String(process.pid));
    await reopened.close();
    assert.equal(existsSync(join(dir, 'LOCK')), false, 'close releases the lock');
  });

  it('rejects calls after close', async () => {
    const store = await DurableStore.open({ dataDir: dataDir() });
    await store.close();
    await assert.rejects(put(store, 'a', '1'), /closed/);
  });
});

describe('openStore', () => {
  it('opens a memory store without a data directory and a durable one with it', async () => {
    const memory = await openStore();
    assert.ok(memory instanceof MemoryStore);
    const durable = await openStore({ dataDir: dataDir() });
    assert.ok(durable instanceof DurableStore);
    await durable.close();
  });
});
