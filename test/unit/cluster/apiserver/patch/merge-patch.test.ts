import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyMergePatch } from '../../../../../src/cluster/apiserver/patch/merge-patch';
import { isObject } from '../../../../../src/cluster/apiserver/patch/json-value';

// RFC 7386 appendix A (rows whose target is an object, as every Kubernetes object is), then kubectl's uses.
const cases: [string, object, Record<string, unknown>, object][] = [
  ['replace a member', { a: 'b' }, { a: 'c' }, { a: 'c' }],
  ['add a member', { a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  ['null deletes', { a: 'b' }, { a: null }, {}],
  ['null deletes one of two', { a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  ['an array replaces a scalar', { a: ['b'] }, { a: 'c' }, { a: 'c' }],
  ['a scalar replaces an array', { a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  ['objects merge recursively', { a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  ['arrays are replaced whole', { a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  ['nested nulls in a new member are pruned', { e: null }, { a: 1 }, { e: null, a: 1 }],
  ['nested nulls in an added object are pruned', {}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ['kubectl label', { metadata: { name: 'nginx', labels: { app: 'nginx' } } }, { metadata: { labels: { env: 'dev' } } }, { metadata: { name: 'nginx', labels: { app: 'nginx', env: 'dev' } } }],
  ['kubectl label env-', { metadata: { name: 'nginx', labels: { app: 'nginx', env: 'dev' } } }, { metadata: { labels: { env: null } } }, { metadata: { name: 'nginx', labels: { app: 'nginx' } } }],
  ['kubectl annotate on an object without annotations', { metadata: { name: 'nginx' } }, { metadata: { annotations: { note: 'hi' } } }, { metadata: { name: 'nginx', annotations: { note: 'hi' } } }],
  ['a list of containers is replaced, not merged', { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b' }] } }, { spec: { containers: [{ name: 'a', image: 'y' }] } }, { spec: { containers: [{ name: 'a', image: 'y' }] } }],
];

for (const [name, doc, patch, want] of cases) {
  test(`merge patch: ${name}`, () => {
    const before = JSON.stringify(doc);
    assert.deepEqual(applyMergePatch(doc, patch), want);
    assert.equal(JSON.stringify(doc), before);
  });
}

test('merge patch into a document the caller owns changes it in place and leaves the patch alone', () => {
  const doc: Record<string, unknown> = { metadata: { name: 'a', labels: { app: 'x' } } };
  const patch = { metadata: { labels: { app: null, env: { tier: null, zone: 'z' } } } };
  const patchText = JSON.stringify(patch);
  const out = applyMergePatch(doc, patch, true);
  assert.equal(out, doc);
  assert.deepEqual(doc, { metadata: { name: 'a', labels: { env: { zone: 'z' } } } });
  assert.equal(JSON.stringify(patch), patchText);
});

test('merge patch: the result shares nothing with the patch, and what the patch adds has its nested nulls left out', () => {
  const doc: Record<string, unknown> = { status: { phase: 'Pending', conditions: [{ type: 'Ready' }] } };
  const patch = { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', reason: null }], hostIPs: [{ ip: '10.0.0.1', note: null }, null], extra: { a: { b: null, c: 1 } } } };
  const patchText = JSON.stringify(patch);
  const out = applyMergePatch(doc, patch, true) as { status: { conditions: object[]; hostIPs: unknown[]; extra: { a: object } } };
  assert.equal(JSON.stringify(patch), patchText);
  // Nulls inside arrays' objects of an added or replacing value are pruned, nulls as array items kept.
  assert.deepEqual(out, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], hostIPs: [{ ip: '10.0.0.1' }, null], extra: { a: { c: 1 } } } });
  assert.notEqual(out.status.conditions, patch.status.conditions);
  assert.notEqual(out.status.conditions[0], patch.status.conditions[0]);
  assert.notEqual(out.status.extra.a, patch.status.extra.a);
  (patch.status.conditions[0] as Record<string, unknown>).status = 'False';
  assert.equal((out.status.conditions[0] as Record<string, unknown>).status, 'True');
});

test('merge patch: a value replacing an object keeps its nested nulls; values JSON would change are taken as JSON gives them', () => {
  assert.deepEqual(applyMergePatch({ a: { b: 1 } }, { a: [{ x: null }] }), { a: [{ x: null }] });
  assert.deepEqual(applyMergePatch({ a: 1 }, { a: [{ x: null }] }), { a: [{}] });
  // undefined members are not in the JSON a client sends; NaN is sent as null, which deletes.
  assert.deepEqual(applyMergePatch({ a: 1, b: 2, c: 3 }, { a: undefined, b: NaN, d: [undefined] }), { a: 1, c: 3, d: [null] });
  assert.deepEqual(applyMergePatch({ a: 1 }, Object.freeze({ a: undefined, b: Object.freeze({ c: undefined, d: 2 }) }) as Record<string, unknown>), { a: 1, b: { d: 2 } });
});

test('merge patch: an own __proto__ member is a member like any other, never the prototype', () => {
  const patch = JSON.parse('{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}}}') as Record<string, unknown>;
  const out = applyMergePatch({ metadata: { labels: { app: 'x' } } }, patch) as { metadata: { labels: Record<string, unknown> } };
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(out.metadata.labels), Object.prototype);
  assert.deepEqual(Object.keys(out.metadata.labels), ['app', '__proto__']);
});

/** A deep-frozen copy of a JSON value, as a stored object's shared values are (registry/shared-parts.ts). */
function frozenCopy<T>(value: T): T {
  const copy = JSON.parse(JSON.stringify(value)) as T;
  const freeze = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    for (const child of Object.values(v)) freeze(child);
    Object.freeze(v);
  };
  freeze(copy);
  return copy;
}

/** Every object and array in `value`, the value included. */
function objectsIn(value: unknown, into = new Set<object>()): Set<object> {
  if (value !== null && typeof value === 'object') {
    into.add(value);
    for (const child of Object.values(value)) objectsIn(child, into);
  }
  return into;
}

test('merge patch over a frozen stored value keeps each part the patch says again as the stored part itself, and copies the rest', () => {
  const stored = frozenCopy({
    conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'False', reason: 'ContainersNotReady' }, { type: 'PodScheduled', status: 'True' }],
    hostIPs: [{ ip: '10.0.0.1' }],
    containerStatuses: [{ name: 'web', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, volumeMounts: [{ name: 'token', mountPath: '/var/run' }] }],
  });
  const doc = { status: { phase: 'Pending', conditions: stored.conditions, hostIPs: stored.hostIPs, containerStatuses: stored.containerStatuses } };
  const patch = {
    status: {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True', reason: null }],
      hostIPs: [{ ip: '10.0.0.1' }],
      containerStatuses: [{ name: 'web', state: { running: { startedAt: 't' } }, lastState: {}, volumeMounts: [{ name: 'token', mountPath: '/var/run' }] }],
    },
  };
  const want = JSON.stringify(applyMergePatch({ status: { phase: 'Pending', conditions: [], hostIPs: [], containerStatuses: [] } }, patch).status);
  const out = applyMergePatch(doc, patch, true).status as unknown as typeof stored;
  assert.equal(JSON.stringify(out), want);
  // Said again whole: the stored list itself.
  assert.equal(out.hostIPs, stored.hostIPs);
  // A list with a changed item is a new list of the stored items where they are the same (a null the patch sends is left out).
  assert.ok(!Object.isFrozen(out.conditions));
  assert.equal(out.conditions[0], stored.conditions[0]);
  assert.notEqual(out.conditions[1], stored.conditions[1]);
  assert.equal(out.conditions[2], stored.conditions[2]);
  // ...and so on down: a changed item's unchanged members are the stored ones.
  assert.notEqual(out.containerStatuses[0], stored.containerStatuses[0]);
  assert.equal(out.containerStatuses[0]!.lastState, stored.containerStatuses[0]!.lastState);
  assert.equal(out.containerStatuses[0]!.volumeMounts, stored.containerStatuses[0]!.volumeMounts);
  // Nothing is the patch's.
  const patchObjects = objectsIn(patch);
  for (const o of objectsIn(out)) assert.ok(!patchObjects.has(o));
});

test('merge patch over a frozen stored value: the same members in another order, or one more or fewer, are not the same text and are copied', () => {
  const stored = frozenCopy({ a: [{ x: 1, y: 2 }, { x: 1 }, { x: 1, y: 2 }, [1, 2]] });
  const patch = { a: [{ y: 2, x: 1 }, { x: 1, y: 2 }, { x: 1 }, [1, 2, 3]] };
  const out = applyMergePatch({ a: stored.a }, patch, true).a as unknown[];
  assert.equal(JSON.stringify(out), JSON.stringify(patch.a));
  for (let i = 0; i < 4; i++) assert.notEqual(out[i], stored.a[i]);
  // An item that is the stored one's first members only, or the stored one's with more: copied too.
  const more = frozenCopy([{ x: 1, y: 2 }, { x: 1, y: 2, z: 3 }]);
  const prefix = applyMergePatch({ a: more }, { a: [{ x: 1, y: 2, z: 3 }, { x: 1, y: 2 }] }, true).a as object[];
  assert.equal(JSON.stringify(prefix), '[{"x":1,"y":2,"z":3},{"x":1,"y":2}]');
  assert.notEqual(prefix[0], more[0]);
  assert.notEqual(prefix[1], more[1]);
});

test('merge patch over frozen stored values gives the text a copy of the patch gives, and never a part of the patch (property)', () => {
  const scalar = fc.oneof(fc.constantFrom('a', 'b'), fc.constantFrom(0, 1), fc.boolean());
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, scalar, fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('x', 'y', 'z', '1', '__proto__'), tie('v'), { maxKeys: 3 })),
  })).v;
  // The stored value is often the patch's own, or one close to it: a member changed, dropped or moved.
  const pair = fc.tuple(value, value, fc.constantFrom('same', 'same', 'other')).map(([p, other, how]) => [p, how === 'same' ? p : other] as const);
  fc.assert(fc.property(fc.dictionary(fc.constantFrom('m', 'n', 'o'), pair, { maxKeys: 3 }), (members) => {
    const patch: Record<string, unknown> = {};
    const stored: Record<string, unknown> = {};
    for (const [k, [p, s]] of Object.entries(members)) {
      patch[k] = p;
      stored[k] = s;
    }
    const frozen = frozenCopy(stored);
    const plain = JSON.parse(JSON.stringify(stored)) as Record<string, unknown>;
    const patchText = JSON.stringify(patch);
    const want = JSON.stringify(applyMergePatch(plain, patch, true));
    // As a status write's copy of the stored status is (RegistryStore.copyForUpdate): the stored
    // members the patch replaces (anything but an object) are the frozen ones, the rest copies.
    const doc: Record<string, unknown> = {};
    for (const k of Object.keys(frozen)) doc[k] = isObject(patch[k]) ? JSON.parse(JSON.stringify(frozen[k])) : frozen[k];
    const out = applyMergePatch(doc, patch, true);
    assert.equal(JSON.stringify(out), want);
    assert.equal(JSON.stringify(patch), patchText);
    const patchObjects = objectsIn(patch);
    const storedObjects = objectsIn(frozen);
    for (const o of objectsIn(out)) {
      assert.ok(!patchObjects.has(o));
      // What is frozen in the result is the stored value's: nothing new is frozen.
      if (o !== out && Object.isFrozen(o)) assert.ok(storedObjects.has(o));
    }
  }), { numRuns: 500, seed: 11 });
});
