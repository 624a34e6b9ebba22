import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../../../../src/cluster/api/validation/meta';
import { nameIsDNSSubdomain } from '../../../../../src/cluster/api/validation/names';

const strings = (errs: { toString(): string }[]) => errs.map((e) => e.toString());

test('a name or generateName is required', () => {
  assert.deepEqual(strings(validateObjectMeta({ namespace: 'default' }, true, nameIsDNSSubdomain)), [
    'metadata.name: Required value: name or generateName is required',
  ]);
});

test('namespaced kinds need a namespace; cluster-scoped kinds may not have one', () => {
  assert.deepEqual(strings(validateObjectMeta({ name: 'a' }, true, nameIsDNSSubdomain)), ['metadata.namespace: Required value']);
  assert.deepEqual(strings(validateObjectMeta({ name: 'a', namespace: 'x' }, false, nameIsDNSSubdomain)), [
    'metadata.namespace: Forbidden: not allowed on this type',
  ]);
});

test('labels and annotations are validated by key and value', () => {
  const errs = strings(validateObjectMeta({ name: 'a', namespace: 'd', labels: { 'bad key!': 'ok', app: '-bad' } }, true, nameIsDNSSubdomain));
  assert.equal(errs.length, 2);
  assert.match(errs[0]!, /^metadata\.labels: Invalid value: "bad key!": name part must consist of/);
  assert.match(errs[1]!, /^metadata\.labels: Invalid value: "-bad": a valid label must be an empty string/);
  const big = { note: 'x'.repeat(256 * 1024) };
  assert.deepEqual(strings(validateObjectMeta({ name: 'a', namespace: 'd', annotations: big }, true, nameIsDNSSubdomain)), [
    'metadata.annotations: Too long: may not be more than 262144 bytes',
  ]);
});

test('updates may not change identity fields and must carry a resourceVersion', () => {
  const old = { name: 'a', namespace: 'd', uid: 'u1', resourceVersion: '5', creationTimestamp: '2026-01-01T00:00:00Z' };
  assert.deepEqual(strings(validateObjectMetaUpdate({ ...old }, old)), []);
  assert.deepEqual(strings(validateObjectMetaUpdate({ ...old, uid: 'u2' }, old)), ['metadata.uid: Invalid value: "u2": field is immutable']);
  assert.deepEqual(strings(validateObjectMetaUpdate({ ...old, resourceVersion: '' }, old)), [
    'metadata.resourceVersion: Invalid value: "": must be specified for an update',
  ]);
});

test('immutable fields compare as Go zero values do: empty and absent are the same, any other change is an error', () => {
  const old = { name: 'a', namespace: 'd', uid: 'u1', resourceVersion: '5', creationTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 };
  assert.deepEqual(strings(validateObjectMetaUpdate({ ...old, deletionGracePeriodSeconds: 30 }, old)), []);
  assert.deepEqual(strings(validateObjectMetaUpdate({ ...old, uid: '' }, { ...old, uid: undefined })), []);
  assert.deepEqual(strings(validateObjectMetaUpdate({ ...old, deletionGracePeriodSeconds: 0 }, old)), ['metadata.deletionGracePeriodSeconds: Invalid value: 0: field is immutable']);
  assert.deepEqual(strings(validateObjectMetaUpdate({ ...old, creationTimestamp: undefined }, old)), ['metadata.creationTimestamp: Invalid value: null: field is immutable']);
});
