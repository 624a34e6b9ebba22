/**
 * A durable snapshot reads its capture (every key's version at the compacted revision, and the
 * watch log after it) over many turns of the event loop while writes go on. Whatever is written
 * after the capture began, it reads what the store held at the capture's revisions.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { MvccEngine, type RevisionBatch } from '../../../../src/cluster/store/engine';

const key = (i: number) => `/k/${String(i).padStart(4, '0')}`;

it('a capture read while keys it has not reached yet are updated, deleted and created gives the versions at its revisions', () => {
  const engine = new MvccEngine();
  const write = (ops: { type: 'put' | 'delete'; key: string; value?: string }[]) => {
    const { result } = engine.txn([], ops.map((o) => (o.type === 'put' ? { type: 'put', key: o.key, value: o.value ?? '' } : { type: 'delete', key: o.key })));
    engine.publish(result.revision);
    return result.revision;
  };
  for (let i = 0; i < 100; i++) write([{ type: 'put', key: key(i), value: 'v1' }]);
  const compacted = write([{ type: 'put', key: key(50), value: 'v2' }]);
  engine.compact(compacted);
  write([{ type: 'put', key: key(60), value: 'v2' }]);
  const captured = write([{ type: 'delete', key: key(70) }]);

  const base = engine.captureAt(compacted)[Symbol.iterator]();
  const batches = engine.logFrom(compacted + 1, captured)[Symbol.iterator]();
  const read: string[] = [];
  for (let i = 0; i < 10; i++) read.push(base.next().value!.key);
  // Later writes: to keys not read yet, and a new key.
  write([{ type: 'put', key: key(50), value: 'v3' }]);
  write([{ type: 'delete', key: key(99) }]);
  write([{ type: 'put', key: key(100), value: 'new' }]);
  const firstBatch = batches.next().value!;
  write([{ type: 'put', key: key(60), value: 'v3' }]);

  const rest = [...{ [Symbol.iterator]: () => base }];
  const all = [...read, ...rest.map((kv) => kv.key)];
  assert.equal(all.length, 100, 'every key alive at the compacted revision, none created later');
  const byKey = new Map(rest.map((kv) => [kv.key, kv]));
  assert.deepEqual([byKey.get(key(50))?.value, byKey.get(key(50))?.version], ['v2', 2]);
  assert.equal(byKey.get(key(99))?.value, 'v1');
  assert.equal(byKey.has(key(100)), false);

  const log: RevisionBatch[] = [firstBatch, ...{ [Symbol.iterator]: () => batches }];
  assert.deepEqual(log.map((b) => [b.revision, b.events.map((e) => `${e.type} ${e.kv.key} ${e.kv.value}`)]), [
    [compacted + 1, [`put ${key(60)} v2`]],
    [captured, [`delete ${key(70)} `]],
  ]);
});
