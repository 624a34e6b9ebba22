import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, WatchEvent } from '../../../../../src/cluster/api/types';
import { PODS } from '../../../../../src/cluster/client/client';
import { settle } from '../../../../../src/cluster/clock';
import { rememberSpecText, shapeText, specTextOf } from '../../../../../src/cluster/apiserver/registry/spec-text';
import { pod, startCluster } from '../fixture';

test('shapeText is JSON.stringify of the shape: key order, members without JSON left out, a spec without JSON too', () => {
  const shapes: object[] = [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, data: { '2': 'x', '1': 'y', b: 'z' }, gone: undefined, f: () => 1 },
    { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: undefined, status: null },
    { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: null, when: new Date(0) },
    { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, message: 'quote " and \\ and \u2028' },
  ];
  for (const shape of shapes) assert.equal(shapeText(shape).text, JSON.stringify(shape));
  assert.deepEqual(shapeText(shapes[0]!).spec, { value: (shapes[0] as Pod).spec, text: '{"containers":[{"name":"a"}]}' });
  assert.equal(shapeText(shapes[1]!).spec, undefined);
});

test('a spec text is remembered only for the frozen spec of the object it was made for, and only a frozen spec is looked up', () => {
  const spec = { containers: [{ name: 'a' }] };
  const object = { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec };
  const made = shapeText(object).spec;
  // Not frozen yet (the write's object was not taken): nothing is remembered.
  rememberSpecText(object, made);
  assert.equal(specTextOf(spec), undefined);
  Object.freeze(spec.containers[0]);
  Object.freeze(spec.containers);
  Object.freeze(spec);
  // Another object's spec is not this one.
  rememberSpecText({ spec: { ...spec } }, made);
  assert.equal(specTextOf(spec), undefined);
  rememberSpecText(object, made);
  assert.equal(specTextOf(spec), '{"containers":[{"name":"a"}]}');
  // A remembered text is what the next shape with that spec uses, and it is still JSON.stringify's.
  const next = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'n' }, spec, status: { phase: 'Running' } };
  assert.deepEqual(shapeText(next), { text: JSON.stringify(next) });
});

test('status writes that keep the spec store the same text as a full serialization, revision after revision', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const events: WatchEvent[] = [];
    const list = await pods.list({ namespace: 'default' });
    const handle = pods.watch({ namespace: 'default', resourceVersion: list.metadata.resourceVersion! }, (e) => events.push(e as WatchEvent), () => undefined);
    await pods.create(pod('web', { labels: { app: 'web' } }, { schedulerName: 'none' }));
    for (const [phase, message] of [['Pending', 'a'], ['Running', 'a'], ['Running', 'b']]) {
      await pods.patch('web', 'merge', { status: { phase, message, conditions: [{ type: 'Ready', status: phase === 'Running' ? 'True' : 'False' }] } }, { namespace: 'default', subresource: 'status', fieldManager: 'kubelet' });
    }
    // A write that changes the spec itself makes a new spec (and text) from then on.
    await pods.patch('web', 'merge', { spec: { activeDeadlineSeconds: 30 } }, { namespace: 'default' });
    await pods.patch('web', 'merge', { status: { phase: 'Failed' } }, { namespace: 'default', subresource: 'status', fieldManager: 'kubelet' });
    await settle();
    handle.stop();
    assert.equal(events.length, 6);
    for (const event of events) {
      const rv = Number(event.object.metadata.resourceVersion);
      const kv = (await cluster.store.range({ key: '/registry/pods/default/web', revision: rv })).kvs[0]!;
      const { resourceVersion: _rv, ...metadata } = event.object.metadata;
      assert.equal(kv.value, JSON.stringify({ ...event.object, metadata }));
    }
    const specs = events.map((e) => (e.object as Pod).spec);
    // The status writes kept the spec whose text was remembered when the create was taken.
    assert.equal(specTextOf(specs[0]!), JSON.stringify(specs[0]));
    assert.equal(specs[1], specs[0]);
    assert.equal(specs[3], specs[0]);
    assert.notEqual(specs[4], specs[0]);
    assert.equal(specs[4]!.activeDeadlineSeconds, 30);
    assert.equal(specs[5], specs[4]);
    assert.equal(specTextOf(specs[4]!), JSON.stringify(specs[4]));
  } finally {
    await cluster.stop();
  }
});
