import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../../src/cluster/api/types';
import { storedShape } from '../../../../../src/cluster/apiserver/registry/codec';
import { createdShape } from '../../../../../src/cluster/apiserver/registry/created-shape';

/** Objects in many member orders: the three first members in every order, with others before, between and after them. */
function variants(): KubeObject[] {
  const members: [string, unknown][] = [
    ['apiVersion', 'v1'],
    ['kind', 'Event'],
    ['metadata', { name: 'web.1', namespace: 'default', uid: 'u' }],
  ];
  const extras: [string, unknown][] = [['reason', 'Pulled'], ['count', 1], ['0', 'an integer-like key'], ['eventTime', null]];
  const out: KubeObject[] = [];
  const orders = [[0, 1, 2], [1, 0, 2], [0, 2, 1], [2, 0, 1], [1, 2, 0], [2, 1, 0]];
  for (const order of orders) {
    for (let at = 0; at <= 3; at++) {
      for (const extra of [...extras, undefined]) {
        const entries = order.map((i) => members[i]!);
        if (extra) entries.splice(at, 0, extra);
        entries.push(['message', 'Successfully pulled image']);
        out.push(Object.fromEntries(entries.map(([k, v]) => [k, structuredClone(v)])) as KubeObject);
      }
    }
  }
  return out;
}

test('a new object\'s shape is stored as storedShape\'s, byte for byte, whatever the order of its members', () => {
  let own = 0;
  for (const object of variants()) {
    const shape = createdShape(object, 'v1', 'Event');
    assert.equal(JSON.stringify(shape), JSON.stringify(storedShape(object, 'v1', 'Event')), JSON.stringify(object));
    if (shape === object) own++;
  }
  assert.ok(own > 0, 'some were their own shape');
});

test('only an object that already begins apiVersion, kind, metadata, with this resource\'s values and no resourceVersion, is its own shape', () => {
  const base = (): KubeObject => ({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1', namespace: 'default' }, reason: 'Pulled' } as KubeObject);
  const own = base();
  assert.equal(createdShape(own, 'v1', 'Event'), own);
  const cases: [string, (o: KubeObject) => KubeObject][] = [
    ['kind first', (o) => ({ kind: o.kind, apiVersion: o.apiVersion, metadata: o.metadata } as KubeObject)],
    ['another apiVersion', (o) => ({ ...o, apiVersion: 'events.k8s.io/v1' })],
    ['another kind', (o) => ({ ...o, kind: 'Pod' })],
    ['an empty resourceVersion', (o) => ({ ...o, metadata: { ...o.metadata, resourceVersion: '' } })],
    ['an undefined resourceVersion', (o) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } })],
    ['a member before metadata', (o) => ({ apiVersion: o.apiVersion, kind: o.kind, reason: 'x', metadata: o.metadata } as KubeObject)],
    ['an integer-like key', (o) => ({ ...o, 7: 'x' } as KubeObject)],
  ];
  for (const [what, change] of cases) {
    const object = change(base());
    const shape = createdShape(object, 'v1', 'Event');
    assert.notEqual(shape, object, what);
    assert.equal(JSON.stringify(shape), JSON.stringify(storedShape(object, 'v1', 'Event')), what);
  }
});
