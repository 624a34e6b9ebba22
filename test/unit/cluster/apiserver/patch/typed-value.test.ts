import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, fieldPath, pathToString } from '../../../../../src/cluster/apiserver/patch/field-set';
import { TypedWalker } from '../../../../../src/cluster/apiserver/patch/typed-value';
import type { JsonObject } from '../../../../../src/cluster/apiserver/patch/json-value';
import { podMeta } from './pod-meta';
import { metaFromTable } from '../../../../../src/cluster/apiserver/patch/patch-meta';
import { MAX_NODES, nodesMade } from '../../../../../src/cluster/apiserver/patch/path-nodes';
import { seededRandom } from '../../../../../src/cluster/scheduler/schedule-one';

const walker = new TypedWalker(podMeta);
const printed = (set: FieldSet) => set.list().map(pathToString);

test('compare: a pod status write changes items of associative lists by key, atomic values whole, and set-list values one by one', () => {
  const before: JsonObject = {
    metadata: { name: 'web', finalizers: ['a', 'b'] },
    status: {
      phase: 'Pending',
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
      containerStatuses: [{ name: 'web', ready: false }],
    },
  };
  const after: JsonObject = {
    metadata: { name: 'web', finalizers: ['b', 'c'] },
    status: {
      phase: 'Running',
      podIP: '10.244.1.2',
      podIPs: [{ ip: '10.244.1.2' }],
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'web', ready: true }],
    },
  };
  const c = walker.compare(before, after);
  assert.deepEqual(printed(c.added), ['.metadata.finalizers[="c"]', '.status.podIP', '.status.podIPs', '.status.podIPs[ip="10.244.1.2"]', '.status.podIPs[ip="10.244.1.2"].ip']);
  assert.deepEqual(printed(c.modified), ['.status.containerStatuses', '.status.phase', '.status.conditions[type="Ready"].status']);
  assert.deepEqual(printed(c.removed), ['.metadata.finalizers[="a"]', '.status.conditions[type="Ready"].reason']);
});

test('compare over varied objects: its sets hold each path under the key a set spells for it, and comparing the other way swaps added and removed', () => {
  // A seeded generator: the same cases every run.
  const random = seededRandom(11);
  const next = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: T[]) => xs[next(xs.length)]!;
  const condition = () => ({ type: pick(['Ready', 'Initialized', 'PodScheduled']), status: pick(['True', 'False']), ...(next(2) ? { reason: pick(['A', 'B']) } : {}) });
  const container = () => ({ name: pick(['web', 'side']), image: pick(['nginx:1.27', 'nginx:1.28']), ...(next(2) ? { ports: [{ containerPort: pick([80, 443]), ...(next(2) ? { protocol: 'UDP' } : {}) }] } : {}) });
  const pod = (): JsonObject => ({
    metadata: { name: 'p', ...(next(2) ? { labels: { app: pick(['a', 'b']), ...(next(2) ? { tier: 'x' } : {}) } } : {}), ...(next(2) ? { finalizers: [pick(['f1', 'f2']), pick(['f3', 'f4'])] } : {}) },
    spec: { containers: Array.from({ length: 1 + next(2) }, container), ...(next(2) ? { nodeName: pick(['n1', 'n2']) } : {}) },
    status: {
      ...(next(2) ? { phase: pick(['Pending', 'Running']) } : {}),
      ...(next(2) ? { conditions: Array.from({ length: next(3) }, condition) } : {}),
      ...(next(2) ? { podIPs: Array.from({ length: next(3) }, () => ({ ip: `10.0.0.${next(4)}` })) } : {}),
      ...(next(3) === 0 ? { hostIP: null } : {}),
    },
  });
  let changed = 0;
  for (let i = 0; i < 300; i++) {
    const l = pod();
    const r = pod();
    const there = walker.compare(l, r);
    const back = walker.compare(r, l);
    for (const set of [there.added, there.modified, there.removed]) {
      // A set made from the same paths by insert spells their keys itself.
      assert.ok(set.equals(new FieldSet(set.members())), printed(set).join(' '));
      for (const path of set.members()) assert.ok(set.has(path), pathToString(path));
    }
    assert.deepEqual(printed(back.added), printed(there.removed));
    assert.deepEqual(printed(back.removed), printed(there.added));
    assert.deepEqual(printed(back.modified), printed(there.modified));
    assert.equal(walker.compare(l, structuredClone(l)).added.size + walker.compare(l, structuredClone(l)).modified.size, 0);
    // Fields left out of the walk: the same paths, in the same order, as dropping them afterwards.
    const skipped = walker.compare(l, r, { top: new Set(['spec']), under: new Map([['metadata', new Set(['finalizers'])], ['status', new Set(['podIPs'])]]) });
    const reset = new FieldSet([fieldPath('spec'), fieldPath('metadata', 'finalizers'), fieldPath('status', 'podIPs')]);
    for (const kind of ['added', 'modified', 'removed'] as const) {
      assert.deepEqual(skipped[kind].members().map(pathToString), there[kind].withoutPrefixes(reset).members().map(pathToString));
    }
    // An object against its copy with only skipped fields changed: no change (metadata is walked
    // without comparing it whole first, as its skipped finalizers differ or not).
    const copy = structuredClone(l);
    (copy.metadata as JsonObject).finalizers = [pick(['f5', 'f6'])];
    const unchanged = walker.compare(l, copy, { top: new Set(), under: new Map([['metadata', new Set(['finalizers'])]]) });
    assert.equal(unchanged.added.size + unchanged.modified.size + unchanged.removed.size, 0);
    if (!there.added.empty() || !there.modified.empty()) changed++;
  }
  assert.ok(changed > 250, `${changed} pairs changed something`);
});

test('compare: associative lists holding the same keys in the same order give what the keyed walk gives (items compared by index)', () => {
  // A seeded generator: the same cases every run.
  const random = seededRandom(23);
  const next = (n: number) => Math.floor(random() * n);
  const types = ['Ready', 'Initialized', 'ContainersReady', 'PodScheduled', 'PodReadyToStartContainers', 'DisruptionTarget'];
  const condition = (type: string): JsonObject => {
    const c: JsonObject = { type, status: ['True', 'False', 'Unknown'][next(3)]! };
    if (next(2)) c.reason = ['PodCompleted', 'ContainersNotReady'][next(2)]!;
    if (next(3) === 0) c.lastProbeTime = null;
    return c;
  };
  const spelled = (c: { added: FieldSet; modified: FieldSet; removed: FieldSet }) => [printed(c.added).sort(), printed(c.modified).sort(), printed(c.removed).sort()];
  const filler: JsonObject = { type: 'Filler', status: 'True' };
  let aligned = 0;
  for (let round = 0; round < 300; round++) {
    const picked = types.filter(() => next(3) > 0);
    // Now and then a key twice, or an item that is not an object: the keyed walk's business.
    const l: unknown[] = picked.map(condition);
    if (next(8) === 0 && l.length > 0) l.push(condition(picked[0]!));
    if (next(12) === 0) l.push('not an item');
    const r: unknown[] = l.map((c) => (typeof c === 'object' && next(2) ? condition((c as JsonObject).type as string) : structuredClone(c)));
    const c = walker.compare({ status: { conditions: l } }, { status: { conditions: r } });
    // The same lists with an equal item first on one side and last on the other: the keyed walk.
    const keyed = walker.compare({ status: { conditions: [filler, ...l] } }, { status: { conditions: [...r, filler] } });
    assert.deepEqual(spelled(c), spelled(keyed), `round ${round}`);
    if (c.modified.size + c.added.size + c.removed.size > 0) aligned++;
  }
  assert.ok(aligned > 100);
});

test('compare through the path nodes earlier comparisons left gives what a first comparison gives: the same keys, paths and order, across the trees starting again', () => {
  // A seeded generator: the same cases every run. Items keyed by one scalar of any type (found by
  // value), by two fields (found by spelling), with the key missing, null or an object.
  const random = seededRandom(5);
  const next = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: T[]) => xs[next(xs.length)]!;
  let ip = 0;
  const condition = () => ({ type: pick(['Ready', '1', 1, true, 'true', 0, -0, null, { a: 1 }]), status: pick(['True', 'False']), ...(next(2) ? { reason: pick(['A', 'B']) } : {}) });
  const port = () => ({ containerPort: pick([80, 443, '80']), ...(next(2) ? { protocol: pick(['UDP', 'TCP']) } : {}) });
  const container = () => ({ name: pick(['web', 'side']), image: pick(['nginx:1.27', 'nginx:1.28']), ...(next(2) ? { ports: Array.from({ length: next(3) }, port) } : {}) });
  const pod = (): JsonObject => ({
    metadata: { name: 'p', ...(next(2) ? { labels: { [pick(['app', 'tier', '__proto__'])]: pick(['a', 'b']) } } : {}), ...(next(2) ? { finalizers: [pick(['f1', 'f2']), pick(['f3', 'f4', 1])] } : {}) },
    spec: { containers: Array.from({ length: 1 + next(2) }, container) },
    status: {
      ...(next(2) ? { phase: pick(['Pending', 'Running']) } : {}),
      ...(next(2) ? { conditions: Array.from({ length: next(4) }, condition) } : {}),
      // Mostly IPs never met before: every pair makes nodes, and the trees start again several times.
      ...(next(4) ? { podIPs: Array.from({ length: next(10) }, () => (next(8) ? { ip: `10.${ip++}` } : { other: 'x' })) } : {}),
      ...(next(3) === 0 ? { hostIP: null } : {}),
    },
  });
  const spelled = (c: ReturnType<TypedWalker['compare']>) =>
    (['added', 'modified', 'removed'] as const).map((kind) => [...c[kind].entries()].map(([k, path]) => `${kind} ${k} ${pathToString(path)} ${JSON.stringify(path)}`));
  let made = nodesMade();
  let startedAgain = 0;
  for (let i = 0; i < 1500; i++) {
    const l = pod();
    const r = pod();
    const warm = walker.compare(l, r);
    if (nodesMade() < made) startedAgain++;
    made = nodesMade();
    // A lookup of its own: a tree of its own, empty.
    const cold = new TypedWalker((names) => podMeta(names)).compare(l, r);
    assert.deepEqual(spelled(warm), spelled(cold), `pair ${i}`);
    for (const path of warm.added.members()) assert.ok(Object.isFrozen(path), pathToString(path));
  }
  assert.ok(startedAgain >= 2, `the trees started again ${startedAgain} times (${MAX_NODES} nodes each)`);
});

test('compare through path nodes, schemas taking turns (the trees starting again in between): a first comparison\'s keys, paths and order for set, atomic and two-key lists with defaults, atomic maps, kinds without a schema, and field names such as __proto__ and constructor', () => {
  // Keys that collide as strings ('1' and 1, 'true' and true, null, -0, objects), two-field keys
  // with defaults, duplicate keys, and lists whose semantics differ from schema to schema.
  const table: Record<string, object> = {
    a: { listType: 'map', listMapKeys: ['k'] },
    'a.k': { default: 'D' },
    'a.sub': { listType: 'map', listMapKeys: ['x', 'y'] },
    'a.sub.y': { default: 0 },
    b: { listType: 'set' },
    c: { listType: 'atomic' },
    d: { mapType: 'atomic' },
    e: { patchStrategy: 'merge', patchMergeKey: 'name' },
    f: { listType: 'map', listMapKeys: ['p', 'q'] },
    'g.h': { listType: 'map', listMapKeys: ['k'] },
  };
  const schemas = [table, table, { ...table, a: { listType: 'set' } }, { ...table, a: { listType: 'atomic' } }, undefined];
  const warm = schemas.map((t) => new TypedWalker(t === undefined ? () => undefined : metaFromTable(t)));
  const random = seededRandom(13);
  const next = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: T[]): T => xs[next(xs.length)]!;
  const scalars: unknown[] = ['1', 1, true, 'true', null, 0, -0, 'x', '', 1.5, 'D', { a: 1 }, { a: '1' }, [1], 'a.b/c', '__proto__', 'constructor'];
  const names = ['k', 'x', 'y', 'p', 'q', 'name', '__proto__', 'constructor', 'a.b/c', 'toString', ''];
  let unique = 0;
  const scalar = () => (next(4) === 0 ? `u${unique++}` : pick(scalars));
  const member = (o: JsonObject, name: string, v: unknown) => Object.defineProperty(o, name, { value: v, enumerable: true, writable: true, configurable: true });
  const value = (depth: number): unknown => {
    const r = next(depth > 2 ? 3 : 6);
    if (r < 2) return scalar();
    if (r === 2) return null;
    if (r === 3) return Array.from({ length: next(4) }, () => (next(2) ? scalar() : map(depth + 1)));
    return map(depth + 1);
  };
  const map = (depth: number): JsonObject => {
    const o: JsonObject = {};
    for (let i = next(4); i > 0; i--) member(o, pick(names), value(depth));
    return o;
  };
  const item = (keys: string[]) => {
    const it = map(2);
    for (const k of keys) if (next(5)) it[k] = scalar();
    if (next(3) === 0) it.sub = Array.from({ length: next(4) }, () => ({ x: scalar(), ...(next(2) ? { y: scalar() } : {}), z: scalar() }));
    return it;
  };
  const object = (): JsonObject => {
    const o: JsonObject = {};
    if (next(2)) o.a = Array.from({ length: next(5) }, () => item(['k']));
    if (next(2)) o.b = Array.from({ length: next(4) }, scalar);
    if (next(2)) o.c = Array.from({ length: next(3) }, () => value(2));
    if (next(2)) o.d = map(1);
    if (next(2)) o.e = Array.from({ length: next(4) }, () => ({ name: scalar(), v: scalar() }));
    if (next(2)) o.f = Array.from({ length: next(4) }, () => item(['p', 'q']));
    if (next(2)) o.g = { h: Array.from({ length: next(4) }, () => item(['k'])) };
    if (next(3) === 0) Object.assign(o, map(1));
    return o;
  };
  const changed = (o: JsonObject): JsonObject => {
    const c = structuredClone(o);
    for (let i = next(3); i >= 0; i--) {
      const r = next(4);
      const keys = Object.keys(c);
      if (r === 0 && keys.length) delete c[pick(keys)];
      else if (r === 1) Object.assign(c, object());
      else if (r === 2 && Array.isArray(c.a) && c.a.length) member(c.a[next(c.a.length)] as JsonObject, pick(names), scalar());
      else if (Array.isArray(c.a)) c.a.reverse();
    }
    return c;
  };
  const spelled = (c: ReturnType<TypedWalker['compare']>) =>
    (['added', 'modified', 'removed'] as const).map((kind) => [...c[kind].entries()].map(([k, path]) => `${kind} ${JSON.stringify(k)} ${JSON.stringify(path)}`));
  let made = nodesMade();
  let startedAgain = 0;
  for (let i = 0; i < 3000; i++) {
    const l = object();
    const r = next(3) ? changed(l) : object();
    const s = next(schemas.length);
    const t = schemas[s];
    const got = warm[s]!.compare(l, r);
    if (nodesMade() < made) startedAgain++;
    made = nodesMade();
    const cold = new TypedWalker(t === undefined ? () => undefined : metaFromTable(t)).compare(l, r);
    assert.deepEqual(spelled(got), spelled(cold), `pair ${i}, schema ${s}`);
    for (const kind of ['added', 'modified', 'removed'] as const) for (const path of got[kind].members()) assert.ok(Object.isFrozen(path), JSON.stringify(path));
  }
  assert.ok(startedAgain >= 2, `the trees started again ${startedAgain} times`);
});
