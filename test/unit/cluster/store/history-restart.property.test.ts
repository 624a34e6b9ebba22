/**
 * The durable store's retained history across restarts: seeded random histories (puts, deletes,
 * re-creates, a key written twice in one transaction, bursts of writes to other keys, packing and
 * folding into fossils, compaction, snapshots) that stop and open the store again many times, as a
 * clean close or as a crash (the data directory's files copied as they are while the store still
 * runs: what a kill -9 leaves, every acknowledged write fsync'd), and go on writing, packing and
 * compacting after each open. After every open and at the end, from every retained revision: a
 * watch of the prefix and a watch of one key replay exactly the events the writes made (type,
 * version, value, prevKv), and a read at that revision gives the state the writes made.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurableStore } from '../../../../src/cluster/store/durable';
import { drain, END, podText, PREFIX, random, show } from './history-fixtures';

const OTHER = '/registry/events/default/';

type Op = { type: 'put'; key: string; value: string } | { type: 'delete'; key: string };

class Model {
  /** The events the writes made, as text, worked out here (not by the store). */
  readonly expected: string[] = [];
  /** The prefix's state after each revision that wrote to it. */
  readonly states = new Map<number, Map<string, string>>();
  private state = new Map<string, string>();
  private readonly versions = new Map<string, { mod: number; version: number; value: string }>();

  apply(ops: Op[], revision: number): void {
    this.state = new Map(this.state);
    for (const op of ops) {
      if (!op.key.startsWith(PREFIX)) continue;
      const prev = this.versions.get(op.key);
      const prevText = prev ? `${prev.mod}#${prev.version}=${prev.value}` : '-';
      if (op.type === 'put') {
        this.state.set(op.key, op.value);
        const next = { mod: revision, version: prev ? prev.version + 1 : 1, value: op.value };
        this.versions.set(op.key, next);
        this.expected.push(`put ${op.key}@${revision}#${next.version}=${op.value} prev=${prevText}`);
      } else if (prev) {
        this.state.delete(op.key);
        this.versions.delete(op.key);
        this.expected.push(`delete ${op.key}@${revision}#0= prev=${prevText}`);
      }
    }
    this.states.set(revision, this.state);
  }

  stateAt(revision: number): Map<string, string> {
    for (let r = revision; r >= 0; r--) {
      const state = this.states.get(r);
      if (state) return state;
    }
    return new Map();
  }
}

/** Every retained revision: watches from it replay the model's events from it on, and a read at it gives its state. */
async function check(store: DurableStore, model: Model, keys: string[], label: string): Promise<number> {
  const compacted = await store.compactedRevision();
  const revision = await store.revision();
  let checked = 0;
  for (let from = compacted + 1; from <= revision; from++) {
    const key = keys[from % keys.length];
    const replayed: string[] = [];
    const one: string[] = [];
    const watchers = [
      store.watch({ key: PREFIX, end: END, startRevision: from }, (batch) => replayed.push(...batch.map(show))),
      store.watch({ key, startRevision: from }, (batch) => one.push(...batch.map(show))),
    ];
    await drain();
    for (const w of watchers) w.cancel();
    const expected = model.expected.filter((line) => Number(/@(\d+)#/.exec(line)![1]) >= from);
    assert.deepEqual(replayed, expected, `${label}: a watch from revision ${from} (compacted ${compacted}, revision ${revision})`);
    assert.deepEqual(one, expected.filter((line) => line.split(' ')[1].startsWith(`${key}@`)), `${label}: a watch of ${key} from revision ${from}`);
    const read = await store.range({ key: PREFIX, end: END, revision: from });
    assert.deepEqual(new Map(read.kvs.map((kv) => [kv.key, kv.value])), model.stateAt(from), `${label}: a read at revision ${from}`);
    checked++;
  }
  return checked;
}

describe('the durable store history across restarts and crashes', () => {
  it('replays and reads every retained revision exactly after each open, writes going on after it', async () => {
    let checked = 0;
    let opens = 0;
    let folded = 0;
    for (let seed = 1; seed <= 3; seed++) {
      const rnd = random(seed * 7919);
      const root = mkdtempSync(join(tmpdir(), 'kube-sim-restart-'));
      let generation = 0;
      let dir = join(root, `g${generation}`);
      try {
        let store = await DurableStore.open({ dataDir: dir, snapshotAfterBytes: 8192 });
        const model = new Model();
        const keys = Array.from({ length: 5 }, (_, i) => `${PREFIX}pod-${i}`);
        const pick = () => keys[Math.floor(rnd() * keys.length)]!;
        let n = 0;
        const write = async (ops: Op[]) => model.apply(ops, (await store.txn([], ops)).revision);
        for (let step = 0; step < 220; step++) {
          const r = rnd();
          if (r < 0.45) {
            const key = pick();
            await write([{ type: 'put', key, value: podText(key, ++n) }]);
          } else if (r < 0.55) {
            const key = pick();
            const { revision, succeeded } = await store.txn([], [{ type: 'delete', key }]);
            if (succeeded) model.apply([{ type: 'delete', key }], revision);
          } else if (r < 0.63) {
            const key = pick();
            const other = pick();
            const second: Op = rnd() < 0.5 ? { type: 'delete', key: other } : { type: 'put', key: other, value: podText(other, ++n) };
            const first: Op = { type: 'put', key, value: podText(key, ++n) };
            // Either order: a put then a delete of one key, or a delete then a put (a re-create in one revision).
            await write(rnd() < 0.5 ? [first, second] : [second, first]);
          } else if (r < 0.66) {
            // Many revisions that write nothing under the prefix (steps and groups of the watch log).
            const count = 100 + Math.floor(rnd() * 250);
            for (let i = 0; i < count; i++) await store.txn([], [{ type: 'put', key: `${OTHER}e-${i % 40}`, value: `event ${n}-${i}` }]);
          } else if (r < 0.74) {
            await store.packValues();
            folded++;
          } else if (r < 0.78) {
            // Half the time in the background: the writes, packing and compaction after it run while it is written.
            if (rnd() < 0.5) await store.snapshot();
            else void store.snapshot();
          } else if (r < 0.84) {
            const revision = await store.revision();
            const compacted = await store.compactedRevision();
            const to = compacted + Math.floor(rnd() * (revision - compacted));
            if (to > compacted) await store.compact(to);
          } else if (r < 0.88) {
            // A restart: a clean close, or a crash (the files as they are now, the store still running).
            const crash = rnd() < 0.5;
            const next = join(root, `g${++generation}`);
            if (crash) {
              await store.packValues();
              cpSync(dir, next, { recursive: true });
              unlinkSync(join(next, 'LOCK'));
              await store.close();
            } else {
              await store.close();
              cpSync(dir, next, { recursive: true });
            }
            dir = next;
            store = await DurableStore.open({ dataDir: dir, snapshotAfterBytes: 8192 });
            opens++;
            checked += await check(store, model, keys, `seed ${seed}, open ${generation} after a ${crash ? 'crash' : 'close'}`);
          }
          await drain();
        }
        await store.packValues();
        checked += await check(store, model, keys, `seed ${seed}, at the end`);
        await store.close();
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
    assert.ok(opens >= 10, `${opens} opens`);
    assert.ok(folded > 20 && checked > 500, `${folded} packings, ${checked} revisions checked`);
  });
});
