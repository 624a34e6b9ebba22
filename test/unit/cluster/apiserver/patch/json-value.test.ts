import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deepEqual } from '../../../../../src/cluster/apiserver/patch/json-value';

test('deepEqual: equal JSON values whatever the order of members; anything else differs', () => {
  assert.equal(deepEqual({ a: 1, b: [1, { c: 'x' }], d: null }, { d: null, b: [1, { c: 'x' }], a: 1 }), true);
  assert.equal(deepEqual([], []), true);
  assert.equal(deepEqual({}, {}), true);
  assert.equal(deepEqual('a', 'a'), true);
  assert.equal(deepEqual({ a: 1 }, { a: 1, b: 2 }), false);
  assert.equal(deepEqual({ a: 1, b: 2 }, { a: 1 }), false);
  assert.equal(deepEqual({ a: 1, b: 2 }, { a: 1, c: 2 }), false);
  assert.equal(deepEqual({ a: undefined }, {}), false);
  assert.equal(deepEqual({}, { a: undefined }), false);
  assert.equal(deepEqual([1, 2], [2, 1]), false);
  assert.equal(deepEqual([1], [1, 1]), false);
  assert.equal(deepEqual([], {}), false);
  assert.equal(deepEqual({}, []), false);
  assert.equal(deepEqual({ a: [] }, { a: {} }), false);
  assert.equal(deepEqual(null, {}), false);
  assert.equal(deepEqual({}, null), false);
  assert.equal(deepEqual(1, '1'), false);
  assert.equal(deepEqual(NaN, NaN), false);
  // Inherited members do not count, as Object.keys does not list them.
  assert.equal(deepEqual(Object.create({ a: 1 }) as object, {}), true);
  assert.equal(deepEqual({ a: 1 }, Object.create({ a: 1 }) as object), false);
});
