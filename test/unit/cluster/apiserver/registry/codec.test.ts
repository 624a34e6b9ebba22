import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../../src/cluster/api/types';
import { closingBracket, encodeObject, storedShape, withMetadataMembers } from '../../../../../src/cluster/apiserver/registry/codec';

const MEMBERS = { deletionTimestamp: '2026-01-01T00:00:30Z', deletionGracePeriodSeconds: 30 };
const membersText = `,"deletionTimestamp":"${MEMBERS.deletionTimestamp}","deletionGracePeriodSeconds":30`;

/** Stored text of `object`, and what JSON.stringify gives once the members are added last to its metadata. */
function storedAndMarked(object: KubeObject): { stored: string; marked: string } {
  const stored = encodeObject(object, 'v1', 'Pod');
  const marked = encodeObject({ ...object, metadata: { ...object.metadata, ...MEMBERS } }, 'v1', 'Pod');
  return { stored, marked };
}

test('members added to stored text are what JSON.stringify gives for the object with them added last to its metadata', () => {
  const tricky: KubeObject[] = [
    // Strings that hold brackets, quotes, backslashes before quotes, and what looks like the end of metadata.
    {
      metadata: {
        name: 'p', namespace: 'default',
        labels: { spec: 'x', a: '}' },
        annotations: { q: 'a "quoted" }, "spec": {', b: 'ends with a backslash \\', c: '\\"', d: '[{]}', e: 'é ✓ \u0001 \n' },
        managedFields: [{ manager: 'm', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:spec': {} } } } }],
        finalizers: ['a/b'],
      },
      spec: { containers: [{ name: 'c', image: 'x', args: ['}', ']', '"', '\\'] }] },
      status: { phase: 'Running' },
    } as unknown as KubeObject,
    // The metadata last, and empty.
    { metadata: {} } as KubeObject,
    { metadata: { name: 'n' } } as KubeObject,
  ];
  for (const object of tricky) {
    const { stored, marked } = storedAndMarked(object);
    assert.equal(withMetadataMembers(stored, membersText), marked);
  }
  // Text that does not begin as stored text does is left to the caller.
  assert.equal(withMetadataMembers('{"kind":"Pod"}', membersText), undefined);
  assert.equal(withMetadataMembers('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"cut', membersText), undefined);
});

test('the closing bracket of an object or array is found past strings with escaped quotes and brackets', () => {
  const text = '{"a":["x\\\\",{"b":"}\\"]"}],"c":{}}';
  assert.equal(closingBracket(text, 0), text.length - 1);
  assert.equal(closingBracket(text, 5), text.indexOf('],"c"'));
  assert.equal(closingBracket('{"a":"unterminated}', 0), -1);
  assert.equal(closingBracket('{"a":{}', 0), -1);
});

test('storedShape: apiVersion, kind and metadata first, resourceVersion left out, every other member in order, an own __proto__ kept as a member', () => {
  const object = JSON.parse('{"status":{"phase":"Running"},"kind":"Pod","metadata":{"name":"p","resourceVersion":"7","__proto__":{"x":1},"labels":{"a":"b"}},"apiVersion":"v1","spec":{"nodeName":"n"},"__proto__":{"y":2}}') as KubeObject;
  const shape = storedShape(object, 'v1', 'Pod');
  assert.equal(JSON.stringify(shape), '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","__proto__":{"x":1},"labels":{"a":"b"}},"status":{"phase":"Running"},"spec":{"nodeName":"n"},"__proto__":{"y":2}}');
  assert.equal(Object.getPrototypeOf(shape), Object.prototype);
  assert.equal(Object.getPrototypeOf(shape.metadata), Object.prototype);
  // A shallow view: nested values are the object's own; the object is left as it was.
  assert.equal((shape as unknown as { spec: unknown }).spec, (object as unknown as { spec: unknown }).spec);
  assert.equal(object.metadata.resourceVersion, '7');
});
