import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawJson } from '../../../../../src/cluster/apiserver/registry/codec';
import { PODS } from '../../../../../src/cluster/client/client';
import { pod, startCluster } from '../fixture';

test('a RawJson made from a function makes its text once, when first read as text, bytes or a value', () => {
  let calls = 0;
  const json = new RawJson(() => { calls++; return '{"a":1}'; });
  assert.equal(calls, 0);
  assert.deepEqual(json.parse(), { a: 1 });
  assert.equal(json.bytes.toString('utf8'), '{"a":1}');
  assert.equal(json.text, '{"a":1}');
  assert.equal(calls, 1);
});

test('in process, a write answers with the served JSON of what it stored, read or not', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource(PODS);
    const created = await pods.createWithWarnings(pod('p', {}, { schedulerName: 'none' }));
    const patched = await pods.patchWithWarnings('p', 'merge', { metadata: { labels: { a: 'b' } } }, { namespace: 'default' });
    const live = await pods.get('p', { namespace: 'default' });
    assert.deepEqual(patched.object, live);
    assert.equal(created.object.metadata.uid, live.metadata.uid);
    const deleted = await pods.delete('p', { namespace: 'default' });
    assert.equal((deleted as typeof live).metadata.uid, live.metadata.uid);
    assert.notEqual((deleted as typeof live).metadata.resourceVersion, live.metadata.resourceVersion);
  } finally {
    await cluster.stop();
  }
});

test('flatText gives back the same text', async () => {
  const { flatText } = await import('../../../../../src/cluster/apiserver/registry/codec');
  const text = JSON.stringify({ a: 'x'.repeat(5000), b: [1, 2, 3] });
  assert.equal(flatText(text), text);
  assert.equal(flatText(''), '');
});
