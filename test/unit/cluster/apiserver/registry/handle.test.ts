import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { KubeObject } from '../../../../../src/cluster/api/types';
import type { KeyValue } from '../../../../../src/cluster/store/types';
import { ManualClock } from '../../../../../src/cluster/clock';
import { MemoryStore } from '../../../../../src/cluster/store/memory';
import { ApiServer } from '../../../../../src/cluster/apiserver/server';
import { allResources } from '../../../../../src/cluster/apiserver/registry/kinds';
import { handleOf, handleStats } from '../../../../../src/cluster/apiserver/registry/handle';
import { servedJsonOf } from '../../../../../src/cluster/apiserver/registry/codec';
import { RECENT_OBJECTS } from '../../../../../src/cluster/apiserver/registry/store';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function configmaps(clock = new ManualClock()) {
  const server = new ApiServer({ kv: new MemoryStore(), clock, resources: allResources });
  return server.parts.registries.core('configmaps');
}

const kv = (name: string, modRevision = 1, data = 'x'): KeyValue => ({
  key: `/registry/configmaps/default/${name}`,
  value: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}","namespace":"default","managedFields":[{"manager":"m","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:data":{"f:k":{}}}}]},"data":{"k":"${data}"}}`,
  createRevision: 1,
  modRevision,
  version: 1,
});

/** A full collection once the current job is over (a WeakRef's target stays alive until then). */
async function collect(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}

test('the registry keeps only its last RECENT_OBJECTS decoded objects alive, whatever it decodes', async () => {
  const registry = configmaps();
  const refs: WeakRef<KubeObject>[] = [];
  for (let i = 0; i < 5000; i++) refs.push(new WeakRef(registry.shared(kv(`cm-${i}`))));
  await collect();
  const alive = refs.map((r) => r.deref() !== undefined);
  assert.equal(alive.filter(Boolean).length, RECENT_OBJECTS);
  assert.ok(alive.slice(5000 - RECENT_OBJECTS).every(Boolean), 'the newest ones');
});

test('a shared object is the same object while it lives, and its handle decodes an equal one after', async () => {
  const registry = configmaps();
  const { handle, served, firstRef, copy } = (() => {
    const first = registry.shared(kv('a', 7));
    assert.equal(registry.shared(kv('a', 7)), first, 'decoded once');
    const handle = handleOf(first)!;
    assert.equal(handle.resourceVersion, '7');
    return { handle, served: servedJsonOf(first), firstRef: new WeakRef(first), copy: JSON.parse(JSON.stringify(first)) as KubeObject };
  })();
  for (let i = 0; i < 2100; i++) registry.shared(kv(`filler-${i}`));
  await collect();
  assert.equal(firstRef.deref(), undefined, 'collected');

  const again = registry.shared(kv('a', 7));
  assert.deepEqual(again, copy);
  assert.equal(handleOf(again), handle, 'the same handle, pointed at the new object');
  assert.equal(handle.object(), again);
  assert.equal(servedJsonOf(again), served, 'its served JSON is still cut from the stored text');
  assert.ok(Object.isFrozen(again.metadata.managedFields![0]!.fieldsV1), 'field sets shared');
});

test('the per-key map holds the keys of live objects only: a sweep 10 s of cluster time after new keys drops those whose object was collected', async () => {
  const clock = new ManualClock();
  const registry = configmaps(clock);
  const held = (() => {
    const handle = handleOf(registry.shared(kv('held')))!;
    for (let i = 0; i < 20_000; i++) registry.shared(kv(`gone-${i}`));
    return handle;
  })();
  const size = () => (registry as unknown as { decoded: Map<string, unknown> }).decoded.size;
  // Sweeps as it grew found every object alive (one job: WeakRef targets live until it ends).
  assert.equal(size(), 20_001);
  await collect();
  await clock.advance(10_000);
  assert.equal(size(), RECENT_OBJECTS, 'only the strong set is alive');
  // A holder's handle (an informer's) decodes its object again and is the key's entry again: a
  // read of that revision finds the same object, decoded once.
  const before = handleStats.redecoded;
  const again = held.object();
  assert.equal(handleStats.redecoded, before + 1, 'decoded again');
  assert.equal(registry.shared(kv('held')), again);
  assert.equal(size(), RECENT_OBJECTS + 1);
});

test("an update's previous revision is the object read before the write until the fan-out is over", async () => {
  const registry = configmaps();
  const old = registry.shared(kv('a', 1, 'one'));
  const updated = registry.shared(kv('a', 2, 'two'));
  assert.equal(registry.shared(kv('a', 1, 'one')), old, 'previous kept for the fan-out under way');
  assert.equal(registry.shared(kv('a', 2, 'two')), updated);
  await Promise.resolve();
  await Promise.resolve();
  assert.notEqual(handleOf(registry.shared(kv('a', 1, 'one'))), handleOf(old), 'released after it: an old revision read later is a decode of its own');
});

test('a read larger than the strong set keeps its objects for 10 s of cluster time, then lets them go', async () => {
  const clock = new ManualClock();
  const registry = configmaps(clock);
  const refs = (() => {
    const objects = registry.objectsOf({ revision: 1, kvs: Array.from({ length: 5000 }, (_, i) => kv(`listed-${i}`)), objects: undefined });
    return objects.map((o) => new WeakRef(o));
  })();
  await collect();
  assert.equal(refs.filter((r) => r.deref() !== undefined).length, 5000, 'a repeated read finds them decoded');
  await clock.advance(10_000);
  await collect();
  assert.equal(refs.filter((r) => r.deref() !== undefined).length, RECENT_OBJECTS, 'then only the strong set');
});

test('the keys of objects collected after their sweep go at a later one, without new keys coming (a settled cluster)', async () => {
  const clock = new ManualClock();
  const registry = configmaps(clock);
  const size = () => (registry as unknown as { decoded: Map<string, unknown> }).decoded.size;
  let burst: KubeObject[] | undefined = Array.from({ length: 5000 }, (_, i) => registry.shared(kv(`burst-${i}`)));
  await collect();
  await clock.advance(10_000);
  assert.equal(size(), 5000, 'the sweep after the burst found its objects alive (still held)');
  assert.equal(burst.length, 5000);
  burst = undefined;
  await collect();
  await clock.advance(10_000);
  assert.equal(size(), RECENT_OBJECTS, 'a later sweep, after the collection that took them');
  await clock.advance(60_000);
  assert.equal(clock.pendingTimers, 0, 'and no more sweeps once only the strong set is left');
});

test('a handle decodes its object again as often as it is collected, and peeks at the one alive', async () => {
  const registry = configmaps();
  const handle = (() => handleOf(registry.shared(kv('again', 3)))!)();
  const expected = JSON.parse(JSON.stringify(handle.object())) as KubeObject;
  const before = handleStats.redecoded;
  // Sync, so that no reference to the object outlives it (an async function's locals would).
  const readAgain = (round: number): void => {
    assert.equal(handle.peek(), undefined, `collected (round ${round})`);
    assert.equal(handle.deref(), undefined);
    const again = handle.object();
    assert.deepEqual(again, expected);
    assert.equal(handle.peek(), again);
    assert.equal(handle.deref(), again);
    assert.equal(handleOf(again), handle);
  };
  for (let round = 1; round <= 2; round++) {
    for (let i = 0; i < 2100; i++) registry.shared(kv(`filler-${round}-${i}`));
    await collect();
    readAgain(round);
  }
  assert.equal(handleStats.redecoded, before + 2);
});

test('a stopped registry sets no more sweeps, though live objects keep its map large: a clock at unlimited speed would spin on them', async () => {
  const clock = new ManualClock();
  const registry = configmaps(clock);
  const held = Array.from({ length: 2000 }, (_, i) => registry.shared(kv(`held-${i}`)));
  await clock.advance(10_000);
  assert.equal(clock.pendingTimers, 1, 'the sweep tries again while the objects live');
  registry.stop();
  assert.equal(clock.pendingTimers, 0);
  registry.shared(kv('after-stop'));
  await clock.advance(60_000);
  assert.equal(clock.pendingTimers, 0);
  assert.equal(held.length, 2000);
});
