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

test('merge patch: the result shares nothing with the patch, and what the patch adds has its nested nulls left out', () => {
  const doc: Record<string, unknown> = { status: { phase: 'Pending', conditions: [{ type: 'Ready' }] } };
  const patch = { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', reason: null }], hostIPs: [{ ip: '10.0.0.1', note: null }, null], extra: { a: { b: null, c: 1 } } } };
  const patchText = JSON.stringify(patch);
  const out = applyMergePatch(doc, patch, true) as { status: { conditions: object[]; hostIPs: unknown[]; extra: { a: object } } };
  assert.equal(JSON.stringify(patch), patchText);
  // Nulls inside arrays' objects of an added or replacing value are pruned, nulls as array items kept.
  assert.deepEqual(out, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], hostIPs: [{ ip: '10.0.0.1' }, null], extra: { a: { c: 1 } } } });
  assert.notEqual(out.status.conditions, patch.status.conditions);
  assert.notEqual(out.status.conditions[0], patch.status.conditions[0]);
  assert.notEqual(out.status.extra.a, patch.status.extra.a);
  (patch.status.conditions[0] as Record<string, unknown>).status = 'False';
  assert.equal((out.status.conditions[0] as Record<string, unknown>).status, 'True');
});

test('merge patch: a value replacing an object keeps its nested nulls; values JSON would change are taken as JSON gives them', () => {
  assert.deepEqual(applyMergePatch({ a: { b: 1 } }, { a: [{ x: null }] }), { a: [{ x: null }] });
  assert.deepEqual(applyMergePatch({ a: 1 }, { a: [{ x: null }] }), { a: [{}] });
  // undefined members are not in the JSON a client sends; NaN is sent as null, which deletes.
  assert.deepEqual(applyMergePatch({ a: 1, b: 2, c: 3 }, { a: undefined, b: NaN, d: [undefined] }), { a: 1, c: 3, d: [null] });
  assert.deepEqual(applyMergePatch({ a: 1 }, Object.freeze({ a: undefined, b: Object.freeze({ c: undefined, d: 2 }) }) as Record<string, unknown>), { a: 1, b: { d: 2 } });
});

test('merge patch: an own __proto__ member is a member like any other, never the prototype', () => {
  const patch = JSON.parse('{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}}}') as Record<string, unknown>;
  const out = applyMergePatch({ metadata: { labels: { app: 'x' } } }, patch) as { metadata: { labels: Record<string, unknown> } };
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(out.metadata.labels), Object.prototype);
  assert.deepEqual(Object.keys(out.metadata.labels), ['app', '__proto__']);
});
