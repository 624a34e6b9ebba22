/**
 * The watch log makes its events again from the keys' histories when it is read, and superseded
 * versions are packed as deltas against the next one (event-log.ts, packing/value-delta.ts). These
 * write seeded random histories (puts, deletes, re-creates, a key written twice in one
 * transaction, packing, compaction, snapshots) and check, from every retained revision, that a
 * watch replays exactly the events live watchers were given (type, version, value, prevKv) and that
 * a read at that revision gives the state the writes made; for the durable store also after it is
 * opened again from its snapshot and log.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableStore } from '../../../../src/cluster/store/durable';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { type KVStore } from '../../../../src/cluster/store/types';
import { drain, END, podText, PREFIX, random, show } from './history-fixtures';

interface Written {
  /** The events the writes make, as text, worked out here from the writes (not by the store). */
  expected: string[];
  /** What a watcher from revision 0 was given, as text. */
  live: string[];
  /** The prefix's state after each revision. */
  states: Map<number, Map<string, string>>;
}

async function writeRandomHistory(store: KVStore & { packValues(): Promise<number> }, seed: number, steps: number, snapshot?: () => Promise<void>): Promise<Written> {
  const rnd = random(seed);
  const live: string[] = [];
  store.watch({ key: PREFIX, end: END, startRevision: 0 }, (batch) => live.push(...batch.map(show)));
  const keys = Array.from({ length: 6 }, (_, i) => `${PREFIX}pod-${i}`);
  const pick = () => keys[Math.floor(rnd() * keys.length)]!;
  const states = new Map<number, Map<string, string>>();
  let state = new Map<string, string>();
  const expected: string[] = [];
  /** Each live key's version: its modRevision, version and value. */
  const versions = new Map<string, { mod: number; version: number; value: string }>();
  let n = 0;
  /** `ops` written at `revision` (a delete of a missing key writes nothing). */
  const apply = (ops: ({ type: 'put'; key: string; value: string } | { type: 'delete'; key: string })[], revision: number) => {
    state = new Map(state);
    for (const op of ops) {
      const prev = versions.get(op.key);
      const prevText = prev ? `${prev.mod}#${prev.version}=${prev.value}` : '-';
      if (op.type === 'put') {
        state.set(op.key, op.value);
        const next = { mod: revision, version: prev ? prev.version + 1 : 1, value: op.value };
        versions.set(op.key, next);
        expected.push(`put ${op.key}@${revision}#${next.version}=${op.value} prev=${prevText}`);
      } else if (prev) {
        state.delete(op.key);
        versions.delete(op.key);
        expected.push(`delete ${op.key}@${revision}#0= prev=${prevText}`);
      }
    }
  };
  for (let step = 0; step < steps; step++) {
    const r = rnd();
    if (r < 0.55) {
      const key = pick();
      const ops = [{ type: 'put' as const, key, value: podText(key, ++n) }];
      apply(ops, (await store.txn([], ops)).revision);
    } else if (r < 0.7) {
      const key = pick();
      apply([{ type: 'delete', key }], (await store.txn([], [{ type: 'delete', key }])).revision);
    } else if (r < 0.8) {
      // Two writes in one revision, of one key or of two.
      const key = pick();
      const other = pick();
      const ops = [{ type: 'put' as const, key, value: podText(key, ++n) }, rnd() < 0.5 ? { type: 'delete' as const, key: other } : { type: 'put' as const, key: other, value: podText(other, ++n) }];
      apply(ops, (await store.txn([], ops)).revision);
    } else if (r < 0.88) {
      await store.packValues();
    } else if (r < 0.93 && snapshot) {
      await snapshot();
    } else if (r < 0.96) {
      const revision = await store.revision();
      const compacted = await store.compactedRevision();
      const to = compacted + Math.floor(rnd() * (revision - compacted));
      if (to > compacted) await store.compact(to);
    }
    states.set(await store.revision(), state);
    await drain();
  }
  await store.packValues();
  await drain();
  return { expected, live, states };
}

/** Every retained revision: a watch from it replays the live events from it on, and a read at it gives its state. */
async function checkReplay(store: KVStore, written: Written, label: string): Promise<number> {
  const compacted = await store.compactedRevision();
  const revision = await store.revision();
  if (written.live.length > 0) assert.deepEqual(written.live, written.expected, `${label}: a watcher from the start`);
  let checked = 0;
  for (let from = compacted + 1; from <= revision; from++) {
    const replayed: string[] = [];
    const watcher = store.watch({ key: PREFIX, end: END, startRevision: from }, (batch) => replayed.push(...batch.map(show)));
    await drain();
    watcher.cancel();
    const expected = written.expected.filter((line) => Number(/@(\d+)#/.exec(line)![1]) >= from);
    assert.deepEqual(replayed, expected, `${label}: a watch from revision ${from} (compacted ${compacted})`);
    let state: Map<string, string> | undefined;
    for (let r = from; r >= 0 && !state; r--) state = written.states.get(r);
    const read = await store.range({ key: PREFIX, end: END, revision: from });
    assert.deepEqual(new Map(read.kvs.map((kv) => [kv.key, kv.value])), state ?? new Map(), `${label}: a read at revision ${from}`);
    checked++;
  }
  return checked;
}

describe('the watch log and packed history, over random histories', () => {
  it('memory store: replays and old reads match what the writes made, deltas and compaction included', async () => {
    let deltas = 0;
    let checked = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const store = new MemoryStore();
      const written = await writeRandomHistory(store, seed, 120);
      checked += await checkReplay(store, written, `seed ${seed}`);
      deltas += store.packerStats.deltas;
      await store.close();
    }
    // The histories exercise what they are about: superseded versions packed as deltas, and many revisions.
    assert.ok(deltas > 50, `${deltas} deltas`);
    assert.ok(checked > 200, `${checked} revisions checked`);
  });

  it('durable store: the same before and after it is opened again from its snapshot and log', async () => {
    let checked = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const dir = mkdtempSync(join(tmpdir(), 'kube-sim-history-'));
      try {
        const store = await DurableStore.open({ dataDir: dir, snapshotAfterBytes: 4096 });
        const written = await writeRandomHistory(store, seed, 120, () => store.snapshot());
        checked += await checkReplay(store, written, `seed ${seed}`);
        await store.close();
        const reopened = await DurableStore.open({ dataDir: dir });
        try {
          assert.equal(await reopened.revision(), Math.max(...written.states.keys()));
          checked += await checkReplay(reopened, written, `seed ${seed}, reopened`);
        } finally {
          await reopened.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    assert.ok(checked > 100, `${checked} revisions checked`);
  });
});
