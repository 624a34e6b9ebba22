import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from '../../../../../src/cluster/apiserver/patch/merge-patch';

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
