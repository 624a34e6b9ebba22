import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { keepStoredParts } from '../../../../../src/cluster/apiserver/registry/stored-parts';

/** A deep-frozen copy of a JSON value, as a stored object's shared values are (shared-parts.ts). */
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

function objectsIn(value: unknown, into = new Set<object>()): Set<object> {
  if (value !== null && typeof value === 'object') {
    into.add(value);
    for (const child of Object.values(value)) objectsIn(child, into);
  }
  return into;
}

test('keepStoredParts: what says exactly what a frozen stored part says becomes that part; the rest stays the value\'s own', () => {
  const stored = frozenCopy({ conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }], hostIPs: [{ ip: '10.0.0.1' }] });
  const value = { conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }], hostIPs: [{ ip: '10.0.0.1' }] };
  const conditions = value.conditions;
  const kept = keepStoredParts(value, stored) as typeof stored;
  assert.equal(kept, value);
  assert.equal(kept.hostIPs, stored.hostIPs);
  assert.equal(kept.conditions, conditions);
  assert.equal(kept.conditions[1], stored.conditions[1]);
  assert.notEqual(kept.conditions[0], stored.conditions[0]);
  assert.ok(!Object.isFrozen(kept.conditions[0]));
  // Said whole: the stored value itself.
  assert.equal(keepStoredParts({ ip: '10.0.0.1' }, stored.hostIPs[0]), stored.hostIPs[0]);
});

test('keepStoredParts: the same members in another order, one member more or fewer, a stored part not frozen, or a value frozen or not plain JSON: nothing is taken', () => {
  const stored = frozenCopy({ a: 1, b: 2 });
  assert.notEqual(keepStoredParts({ b: 2, a: 1 }, stored), stored);
  assert.notEqual(keepStoredParts({ a: 1 }, stored), stored);
  assert.notEqual(keepStoredParts({ a: 1, b: 2, c: 3 }, stored), stored);
  assert.notEqual(keepStoredParts({ a: 1, b: 2, c: undefined }, stored), stored);
  assert.notEqual(keepStoredParts([1, 2], frozenCopy([1, 2, 3])), undefined);
  assert.equal((keepStoredParts([1, 2], frozenCopy([1, 2, 3])) as number[]).length, 2);
  // A decoded object's parts are read-only by contract, not frozen: left alone.
  const unfrozen = { a: 1, b: 2 };
  const value = { a: 1, b: 2 };
  assert.equal(keepStoredParts(value, unfrozen), value);
  // A frozen value is somebody's shared one: returned as it is, never written into.
  const frozenValue = Object.freeze({ x: { a: 1, b: 2 } });
  assert.equal(keepStoredParts(frozenValue, frozenCopy({ x: { a: 1, b: 2 }, y: 1 })), frozenValue);
  // What JSON writes otherwise than its members: a Date, a toJSON.
  const date = new Date(0);
  assert.equal(keepStoredParts(date, frozenCopy({})), date);
  const custom = { a: 1, b: 2, toJSON: () => 'x' };
  assert.equal(keepStoredParts(custom, stored), custom);
});

test('keepStoredParts gives a value of the same JSON text, whose frozen parts are all the stored value\'s (property)', () => {
  const scalar = fc.oneof(fc.constantFrom('a', 'b'), fc.constantFrom(0, 1), fc.boolean(), fc.constant(null));
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('x', 'y', 'z', '1', '__proto__'), tie('v'), { maxKeys: 3 })),
  })).v;
  // The stored value is often the value itself, or one a member away from it.
  fc.assert(fc.property(value, value, fc.constantFrom('same', 'same', 'other'), (v, other, how) => {
    const stored = frozenCopy(how === 'same' ? v : other);
    const mine = JSON.parse(JSON.stringify(v)) as unknown;
    const text = JSON.stringify(mine);
    const kept = keepStoredParts(mine, stored);
    assert.equal(JSON.stringify(kept), text);
    const storedObjects = objectsIn(stored);
    for (const o of objectsIn(kept)) if (Object.isFrozen(o)) assert.ok(storedObjects.has(o));
    if (how === 'same' && v !== null && typeof v === 'object') assert.equal(kept, stored);
  }), { numRuns: 1000, seed: 11 });
});
