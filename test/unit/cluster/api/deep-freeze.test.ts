import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deepFreeze } from '../../../../src/cluster/api/deep-freeze';

test('deepFreeze freezes every object and array in a JSON value, and returns the value', () => {
  const value = JSON.parse('{"a":{"b":[{"c":1},[2,{"d":null}]]},"e":"x","__proto__":{"f":[3]}}');
  assert.equal(deepFreeze(value), value);
  const all: unknown[] = [value, value.a, value.a.b, value.a.b[0], value.a.b[1], value.a.b[1][1], value['__proto__'], value['__proto__'].f];
  for (const part of all) assert.ok(Object.isFrozen(part), JSON.stringify(part));
  assert.throws(() => {
    'use strict';
    value.a.b[1][1].d = 1;
  }, TypeError);
});

test('deepFreeze leaves primitives as they are', () => {
  assert.equal(deepFreeze(null), null);
  assert.equal(deepFreeze('text'), 'text');
  assert.equal(deepFreeze(7), 7);
});
