import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVED_CACHE_BYTES, servedJson } from '../../../../../src/cluster/apiserver/registry/served-cache';
import type { KeyValue } from '../../../../../src/cluster/store/types';

const kv = (key: string, value: string, modRevision: number): KeyValue => ({ key, value, createRevision: 1, modRevision, version: 1 });

test('an object read again at the same revision is served from the same body, bytes encoded once', () => {
  const stored = kv('/registry/pods/default/web', '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"}}', 7);
  const first = servedJson(stored);
  assert.equal(first.text, '{"apiVersion":"v1","kind":"Pod","metadata":{"resourceVersion":"7","name":"web"}}');
  const again = servedJson({ ...stored });
  assert.equal(again, first);
  assert.equal(again.bytes, first.bytes);
  assert.equal(first.bytes.toString('utf8'), first.text);
});

test('a new revision, or other text under the same key and revision (another store), is never served the old body', () => {
  const key = '/registry/configmaps/default/settings';
  const old = servedJson(kv(key, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"a":"1"}}', 10));
  const updated = servedJson(kv(key, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"a":"2"}}', 11));
  assert.notEqual(updated, old);
  assert.match(updated.text.toString(), /"resourceVersion":"11".*"a":"2"/);
  const otherStore = servedJson(kv(key, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"b":"é"}}', 11));
  assert.match(otherStore.text.toString(), /"b":"é"/);
  assert.equal(otherStore.bytes.toString('utf8'), otherStore.text);
  // The past revision read again gets its own body, not the newer one.
  assert.match(servedJson(kv(key, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"a":"1"}}', 10)).text.toString(), /"resourceVersion":"10".*"a":"1"/);
});

test('large objects are held within a byte budget: the oldest go first, and one too large is not held at all', () => {
  const big = (name: string, size: number) => kv(`/registry/configmaps/big/${name}`, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"},"data":{"x":"${'x'.repeat(size)}"}}`, 3);
  const a = big('a', SERVED_CACHE_BYTES / 10);
  const first = servedJson(a);
  assert.equal(servedJson(a), first, 'held');
  for (let i = 0; i < 10; i++) servedJson(big(`b${i}`, SERVED_CACHE_BYTES / 10));
  assert.notEqual(servedJson(a), first, 'the oldest went to make room');
  const huge = big('huge', SERVED_CACHE_BYTES / 4);
  assert.notEqual(servedJson(huge), servedJson(huge));
  assert.match(servedJson(huge).text.toString(), /"resourceVersion":"3"/);
});
