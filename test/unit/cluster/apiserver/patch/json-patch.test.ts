import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, JsonPatchError } from '../../../../../src/cluster/apiserver/patch/json-patch';
import type { JsonObject } from '../../../../../src/cluster/apiserver/patch/json-value';

interface Case {
  name: string;
  doc: unknown;
  patch: JsonObject[];
  want?: unknown;
  error?: string;
}

// RFC 6902 appendix A, then what kube-apiserver's json-patch.v4 does beyond (or against) the RFC.
const cases: Case[] = [
  { name: 'A.1 add an object member', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/baz', value: 'qux' }], want: { foo: 'bar', baz: 'qux' } },
  { name: 'A.2 add an array element', doc: { foo: ['bar', 'baz'] }, patch: [{ op: 'add', path: '/foo/1', value: 'qux' }], want: { foo: ['bar', 'qux', 'baz'] } },
  { name: 'A.3 remove an object member', doc: { baz: 'qux', foo: 'bar' }, patch: [{ op: 'remove', path: '/baz' }], want: { foo: 'bar' } },
  { name: 'A.4 remove an array element', doc: { foo: ['bar', 'qux', 'baz'] }, patch: [{ op: 'remove', path: '/foo/1' }], want: { foo: ['bar', 'baz'] } },
  { name: 'A.5 replace a value', doc: { baz: 'qux', foo: 'bar' }, patch: [{ op: 'replace', path: '/baz', value: 'boo' }], want: { baz: 'boo', foo: 'bar' } },
  {
    name: 'A.6 move a value',
    doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
    patch: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
    want: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
  },
  { name: 'A.7 move an array element', doc: { foo: ['all', 'grass', 'cows', 'eat'] }, patch: [{ op: 'move', from: '/foo/1', path: '/foo/3' }], want: { foo: ['all', 'cows', 'eat', 'grass'] } },
  {
    name: 'A.8 test a value: success',
    doc: { baz: 'qux', foo: ['a', 2, 'c'] },
    patch: [{ op: 'test', path: '/baz', value: 'qux' }, { op: 'test', path: '/foo/1', value: 2 }],
    want: { baz: 'qux', foo: ['a', 2, 'c'] },
  },
  { name: 'A.9 test a value: error', doc: { baz: 'qux' }, patch: [{ op: 'test', path: '/baz', value: 'bar' }], error: 'testing value /baz failed: test failed' },
  { name: 'A.10 add a nested member object', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/child', value: { grandchild: {} } }], want: { foo: 'bar', child: { grandchild: {} } } },
  { name: 'A.12 add to a nonexistent target', doc: { foo: 'bar' }, patch: [{ op: 'add', path: '/baz/bat', value: 'qux' }], error: 'add operation does not apply: doc is missing path: "/baz/bat": missing value' },
  { name: 'A.14 ~ escape ordering', doc: { '/': 9, '~1': 10 }, patch: [{ op: 'test', path: '/~01', value: 10 }], want: { '/': 9, '~1': 10 } },
  { name: 'A.15 comparing strings and numbers', doc: { '/': 9, '~1': 10 }, patch: [{ op: 'test', path: '/~01', value: '10' }], error: 'testing value /~01 failed: test failed' },
  { name: 'A.16 add an array value', doc: { foo: ['bar'] }, patch: [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], want: { foo: ['bar', ['abc', 'def']] } },
  { name: '~1 unescapes to a slash', doc: { metadata: { labels: {} } }, patch: [{ op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'web' }], want: { metadata: { labels: { 'app.kubernetes.io/name': 'web' } } } },
  { name: 'copy deep-copies', doc: { a: { b: 1 } }, patch: [{ op: 'copy', from: '/a', path: '/c' }, { op: 'replace', path: '/c/b', value: 2 }], want: { a: { b: 1 }, c: { b: 2 } } },
  { name: 'negative index counts from the end', doc: { a: [1, 2, 3] }, patch: [{ op: 'remove', path: '/a/-1' }], want: { a: [1, 2] } },
  { name: 'replace of a missing member adds it (json-patch.v4)', doc: { a: 1 }, patch: [{ op: 'replace', path: '/b', value: 2 }], want: { a: 1, b: 2 } },
  { name: 'replace of a missing index', doc: { a: [1] }, patch: [{ op: 'replace', path: '/a/3', value: 2 }], error: 'replace operation does not apply: doc is missing key: /a/3: missing value' },
  { name: 'remove of a missing member', doc: { a: 1 }, patch: [{ op: 'remove', path: '/b' }], error: "error in remove for path: '/b': Unable to remove nonexistent key: b: missing value" },
  { name: 'remove under a missing parent', doc: { a: 1 }, patch: [{ op: 'remove', path: '/b/c' }], error: 'remove operation does not apply: doc is missing path: "/b/c": missing value' },
  { name: 'add past the end of an array', doc: { a: [1] }, patch: [{ op: 'add', path: '/a/5', value: 2 }], error: "error in add for path: '/a/5': Unable to access invalid index: 5: invalid index referenced" },
  { name: 'add at a non-numeric index', doc: { a: [1] }, patch: [{ op: 'add', path: '/a/x', value: 2 }], error: `error in add for path: '/a/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax` },
  { name: 'test of a missing member', doc: { a: 1 }, patch: [{ op: 'test', path: '/b', value: 1 }], error: 'testing value /b failed: test failed' },
  { name: 'test null against a missing member passes', doc: { a: 1 }, patch: [{ op: 'test', path: '/b', value: null }], want: { a: 1 } },
  { name: 'move from a missing member', doc: { a: 1 }, patch: [{ op: 'move', from: '/x', path: '/y' }], error: "error in move for path: 'x': Unable to remove nonexistent key: x: missing value" },
  { name: 'copy to a missing parent', doc: { a: 1 }, patch: [{ op: 'copy', from: '/a', path: '/x/y' }], error: 'copy operation does not apply: doc is missing destination path: /x/y: missing value' },
  { name: 'unknown op', doc: {}, patch: [{ op: 'merge', path: '/a' }], error: 'Unexpected kind: merge' },
  { name: 'missing op', doc: {}, patch: [{ path: '/a' }], error: 'Unexpected kind: unknown' },
  { name: 'add without a path', doc: {}, patch: [{ op: 'add', value: 1 }], error: 'add operation failed to decode path: missing value' },
  { name: 'replace without a path', doc: {}, patch: [{ op: 'replace', value: 1 }], error: 'replace operation failed to decode path: operation missing path field: missing value' },
  { name: 'a failing op leaves nothing applied', doc: { a: 1 }, patch: [{ op: 'add', path: '/b', value: 2 }, { op: 'test', path: '/a', value: 9 }], error: 'testing value /a failed: test failed' },
];

for (const c of cases) {
  test(`json patch: ${c.name}`, () => {
    const before = JSON.stringify(c.doc);
    if (c.error !== undefined) {
      assert.throws(() => applyJsonPatch(c.doc, c.patch), (err: unknown) => err instanceof JsonPatchError && err.message === c.error);
    } else {
      assert.deepEqual(applyJsonPatch(c.doc, c.patch), c.want);
    }
    assert.equal(JSON.stringify(c.doc), before, 'the input document is not modified');
  });
}
