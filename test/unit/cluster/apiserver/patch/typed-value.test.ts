import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, fieldPath, pathToString } from '../../../../../src/cluster/apiserver/patch/field-set';
import { TypedWalker } from '../../../../../src/cluster/apiserver/patch/typed-value';
import type { JsonObject } from '../../../../../src/cluster/apiserver/patch/json-value';
import { podMeta } from './pod-meta';
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
