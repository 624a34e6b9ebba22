import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonCopy, structuredCopy } from '../../../../src/cluster/api/json-copy';

const viaJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

test('jsonCopy gives what a JSON round trip gives, key order included', () => {
  const values: unknown[] = [
    { a: 1, b: [1, undefined, () => 1, NaN, -0, Symbol('s')], c: undefined, d: { e: null, f: Infinity, g: -0, h: () => 1 }, '2': 'x', '1': 'y' },
    [1, 'two', { three: [3] }],
    { when: new Date(0), nested: { custom: { toJSON: () => 'mine' } } },
    'text', 4, true, null, NaN,
  ];
  for (const v of values) {
    const copy = jsonCopy(v);
    assert.equal(JSON.stringify(copy), JSON.stringify(viaJson(v)));
    assert.deepStrictEqual(copy, viaJson(v));
  }
  assert.ok(Object.is((jsonCopy({ z: -0 }) as { z: number }).z, 0));
  const hostile = JSON.parse('{"a":{"__proto__":{"polluted":true},"b":1}}') as { a: Record<string, unknown> };
  const copied = jsonCopy(hostile);
  assert.equal(JSON.stringify(copied), JSON.stringify(hostile));
  assert.equal(Object.getPrototypeOf(copied.a), Object.prototype);
  assert.deepEqual(Object.keys(copied.a), ['__proto__', 'b']);
  assert.deepEqual(Object.keys(structuredCopy(hostile).a), Object.keys(structuredClone(hostile).a));
  const source = { a: { b: [1] } };
  const copy = jsonCopy(source);
  copy.a.b.push(2);
  assert.deepEqual(source, { a: { b: [1] } });
});

test('jsonCopy fails as the JSON round trip fails', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const messageOf = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return `${(err as Error).name}: ${(err as Error).message}`;
    }
    return 'no error';
  };
  for (const v of [cyclic, { n: 1n }, undefined, () => 1]) assert.equal(messageOf(() => jsonCopy(v)), messageOf(() => viaJson(v)));
});

test('structuredCopy gives what structuredClone gives', () => {
  for (const v of [{ a: undefined, b: [NaN, -0, null], c: { d: 'x' } }, { when: new Date(0) }, [1, , 3], Object.create(null) as object]) {
    assert.deepStrictEqual(structuredCopy(v), structuredClone(v));
  }
  assert.ok(Object.is((structuredCopy({ z: -0 }) as { z: number }).z, -0));
  assert.throws(() => structuredCopy({ f: () => 1 }), (err: Error) => err.name === 'DataCloneError');
});

test('jsonCopy copies own members only, as JSON.stringify does, also when Object.prototype has an enumerable one', () => {
  const proto = Object.prototype as Record<string, unknown>;
  proto.inherited = 'polluted';
  try {
    const source = { a: 1, nested: { b: [{ c: 2 }] } };
    const copy = jsonCopy(source);
    assert.equal(JSON.stringify(copy), JSON.stringify(source));
    assert.deepEqual(Object.keys(copy), ['a', 'nested']);
    assert.deepEqual(Object.keys(copy.nested.b[0]!), ['c']);
    assert.deepEqual(Object.keys(structuredCopy(source)), ['a', 'nested']);
  } finally {
    delete proto.inherited;
  }
});
