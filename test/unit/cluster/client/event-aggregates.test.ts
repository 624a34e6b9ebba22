import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventAggregates } from '../../../../src/cluster/client/event-aggregates';

/** A Map in insertion order: what the correlator's cache did before it was packed into columns. */
type Model = Map<number, { namespace: string; name: string; createdAt: number; sequence: number; count: number; lastSeen: number }>;

function agree(table: EventAggregates, model: Model): void {
  assert.equal(table.size, model.size);
  for (const [id, m] of model) {
    const slot = table.find(id);
    assert.ok(slot >= 0, `id ${id} is remembered`);
    assert.deepEqual(
      [table.namespace(slot), table.objectName(slot), table.createdAt(slot), table.sequence(slot), table.count(slot), table.lastSeen(slot)],
      [m.namespace, m.name, m.createdAt, m.sequence, m.count, m.lastSeen],
    );
  }
  const oldest = table.oldest();
  const first = model.keys().next();
  if (first.done) assert.equal(oldest, -1);
  else assert.equal(table.find(first.value), oldest, 'the oldest entry is the first one set');
}

test('the packed correlator cache answers as an insertion-ordered Map through adds, repeats, re-adds, evictions and compactions', () => {
  const table = new EventAggregates();
  const model: Model = new Map();
  let seed = 7;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let step = 0; step < 20_000; step++) {
    // 53-bit identities, as identity() makes them, from a small set so that they repeat.
    const id = 4294967296 * Math.floor(random() * 64) + Math.floor(random() * 600);
    const r = random();
    if (r < 0.5) {
      const seq = step % 1_000_000;
      // Mostly two namespaces, now and then one of many more.
      const namespace = step % 3 === 0 ? 'kube-system' : step % 7 === 0 ? `team-${step % 40}` : 'default';
      table.add(id, namespace, `pod-${id % 997}`, step * 10, seq);
      model.delete(id);
      model.set(id, { namespace, name: `pod-${id % 997}`, createdAt: step * 10, sequence: seq, count: 1, lastSeen: step * 10 });
    } else if (r < 0.8) {
      const slot = table.find(id);
      const m = model.get(id);
      assert.equal(slot >= 0, !!m);
      if (m) {
        m.count++;
        m.lastSeen = step * 10 + 1;
        assert.equal(table.repeat(slot, step * 10 + 1), m.count);
      }
    } else if (r < 0.95) {
      // The oldest goes, as the window or the size bound forgets it.
      const slot = table.oldest();
      const first = model.keys().next();
      if (!first.done) model.delete(first.value);
      if (slot >= 0) table.remove(slot);
    } else {
      const slot = table.find(id);
      if (slot >= 0) { table.remove(slot); model.delete(id); }
    }
    if (step % 997 === 0) agree(table, model);
  }
  agree(table, model);
  while (table.oldest() >= 0) table.remove(table.oldest());
  assert.equal(table.size, 0);
});

test('a create in flight stays with its entry through compactions and growth, and goes with it', () => {
  const table = new EventAggregates();
  const writes = new Map<number, Promise<void>>();
  for (let id = 1; id <= 200; id++) {
    const slot = table.add(id, 'default', `pod-${id}`, id, id);
    if (id % 3 === 0) { const w = Promise.resolve(); writes.set(id, w); table.setWrite(slot, w); }
    // Every fourth of the older ones is forgotten, so compactions move the rest.
    if (id % 4 === 0) { table.remove(table.find(id - 2)); writes.delete(id - 2); }
  }
  for (let id = 1; id <= 200; id++) {
    const slot = table.find(id);
    if (slot < 0) continue;
    assert.equal(table.write(slot), writes.get(id), `write of ${id}`);
  }
  const id = 9;
  table.setWrite(table.find(id), undefined);
  assert.equal(table.write(table.find(id)), undefined);
  // A new entry in a freed slot has no write of a removed one.
  table.remove(table.find(12));
  for (let next = 1000; next < 1100; next++) assert.equal(table.write(table.add(next, 'default', 'p', next, next)), undefined);
});

test('a node\'s remembered events keep at most 2/3 as much room again to spare, and give it back as they are forgotten', () => {
  const table = new EventAggregates();
  for (let id = 1; id <= 130; id++) {
    table.add(id, 'default', `pod-${id}`, id, id);
    assert.ok(table.capacity <= Math.max(16, Math.ceil((table.size * 5) / 3)), `${table.capacity} slots for ${table.size}`);
    // A kubelet's 6 events of its start and 4 of each of its first two pods: one growth, straight to 16.
    if (id === 14) assert.equal(table.capacity, 16);
  }
  // Doubling gave 256 slots for 130 events; growing by a quarter (from 16) when over 3/4 are live, 155.
  assert.ok(table.capacity <= 160, `${table.capacity} slots for 130 events`);
  while (table.size > 5) table.remove(table.oldest());
  for (let id = 1000; id < 1400; id++) { table.add(id, 'default', 'p', id, id); table.remove(table.oldest()); }
  assert.ok(table.capacity <= 20, `${table.capacity} slots for ${table.size} events once the rest are forgotten`);
});


test('entries of more namespaces than 16 bits number keep their own through compactions', () => {
  const table = new EventAggregates();
  const live: number[] = [];
  for (let id = 1; id <= 70_000; id++) {
    table.add(id, `ns-${id}`, 'p', id, id);
    live.push(id);
    // Every tenth is forgotten, so compactions move the rest and make the namespaces again.
    if (id % 10 === 0) table.remove(table.find(live.splice(live.length - 5, 1)[0]!));
  }
  assert.equal(table.size, live.length);
  for (const id of live) assert.equal(table.namespace(table.find(id)), `ns-${id}`);
  // Once most are gone the namespaces of the rest still read back after the next compactions.
  while (table.size > 100) table.remove(table.oldest());
  const namespaceOf = (id: number) => (id % 2 === 0 ? 'default' : `ns-${id}`);
  for (let id = 100_000; id < 200_000; id++) { table.add(id, namespaceOf(id), 'p', id, id); table.remove(table.oldest()); }
  assert.ok(table.capacity < 1_000, `compacted down to ${table.capacity} slots`);
  for (let id = 199_900; id < 200_000; id++) assert.equal(table.namespace(table.find(id)), namespaceOf(id));
});

test('the entry whose namespace is the 65,536th keeps it: the column of namespaces turns 32-bit as it is added', () => {
  const table = new EventAggregates();
  for (let id = 1; id <= 65_540; id++) table.add(id, `ns-${id}`, 'p', id, id);
  for (let id = 65_530; id <= 65_540; id++) assert.equal(table.namespace(table.find(id)), `ns-${id}`, `entry ${id}`);
  // And through the compaction that moves them all.
  while (table.size > 10) table.remove(table.oldest());
  for (let id = 70_000; id < 70_100; id++) table.add(id, 'default', 'p', id, id);
  for (let id = 65_531; id <= 65_540; id++) assert.equal(table.namespace(table.find(id)), `ns-${id}`, `entry ${id}`);
});
