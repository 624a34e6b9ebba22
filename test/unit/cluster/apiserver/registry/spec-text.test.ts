import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, WatchEvent } from '../../../../../src/cluster/api/types';
import { PODS } from '../../../../../src/cluster/client/client';
import { settle } from '../../../../../src/cluster/clock';
import { deepFreeze } from '../../../../../src/cluster/api/deep-freeze';
import { shapeText, specText } from '../../../../../src/cluster/apiserver/registry/spec-text';
import { pod, startCluster } from '../fixture';

test('shapeText is JSON.stringify of the shape, with or without a previous revision to take the spec from', () => {
  const previousText = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"a":"}\\"{"}},"spec":{"containers":[{"name":"a","args":["]\\\\"]}]},"status":{}}';
  const spec = deepFreeze(JSON.parse(previousText).spec as object);
  const previous = { text: previousText, object: { spec } };
  const shapes: object[] = [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec, status: { phase: 'Running' } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec, gone: undefined, f: () => 1, when: new Date(0) },
    { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { ...spec }, status: null },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, data: { '2': 'x', '1': 'y', b: 'z' } },
    { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: undefined },
  ];
  for (const shape of shapes) {
    assert.equal(shapeText(shape), JSON.stringify(shape));
    assert.equal(shapeText(shape, previous), JSON.stringify(shape));
  }
});

test('shapeText of a status write is JSON.stringify of the shape whatever its managedFields hold; frozen field sets are written from their remembered text', () => {
  const previousText = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"a"}]},"status":{}}';
  const spec = deepFreeze(JSON.parse(previousText).spec as object);
  const previous = { text: previousText, object: { spec } };
  const creator = deepFreeze({ 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:name': {} } } }, 'f:metadata': { 'f:labels': { 'f:"q\\"': {} } } });
  const entry = (fieldsV1: unknown, extra: object = {}) => ({ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1, ...extra });
  const withFields = (managedFields: unknown, meta: object = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', uid: 'u', ...meta, managedFields, labels: { a: 'b' } }, spec, status: { phase: 'Running' } });
  const shapes: object[] = [
    withFields([entry(creator), entry(deepFreeze({ 'f:status': { 'f:phase': {} } }), { subresource: 'status' })]),
    withFields([entry(creator)], { '2': 'two', '1': 'one' }),
    withFields([entry({ 'f:status': {} }), entry(creator, { gone: undefined, f: () => 1 })]),
    withFields([undefined, () => 1, null, 'text', 3, entry(creator)]),
    withFields([entry(creator), { toJSON: () => 'mine' }, Object.assign(Object.create({ inherited: 1 }), { own: 2 })]),
    withFields([entry(Object.freeze({ toJSON: () => 'custom' })), entry(new Date(0))]),
    withFields(Object.assign([entry(creator)], { extra: 'not JSON' })),
    withFields({ not: 'an array' }),
    withFields([]),
    { apiVersion: 'v1', kind: 'Pod', metadata: { managedFields: [entry(creator)], toJSON: () => ({ replaced: true }) }, spec },
    { apiVersion: 'v1', kind: 'Pod', metadata: null, spec },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec },
  ];
  for (const shape of shapes) assert.equal(shapeText(shape, previous), JSON.stringify(shape));
  // The remembered text is the set's: a set that is not frozen is serialized as it is now.
  const open = { 'f:status': { 'f:phase': {} } } as Record<string, unknown>;
  const shape = withFields([entry(open)]);
  assert.equal(shapeText(shape, previous), JSON.stringify(shape));
  open['f:status'] = { 'f:podIP': {} };
  assert.equal(shapeText(shape, previous), JSON.stringify(shape));
});

test('the string members of managedFields entries are written as JSON.stringify writes them, whatever was written before', () => {
  const spec = deepFreeze({ containers: [{ name: 'a' }] });
  const fields = deepFreeze({ 'f:status': { 'f:phase': {} } });
  const shape = (manager: string, time: unknown) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', managedFields: [{ manager, operation: 'Update', apiVersion: 'v1', time, fieldsType: 'FieldsV1', fieldsV1: fields, subresource: 'status' }] }, spec, status: {} });
  const writes: Array<[string, unknown]> = [
    ['kubelet', '2026-01-01T00:00:00Z'], ['kubelet', '2026-01-01T00:00:01Z'], ['kubelet', '2026-01-01T00:00:00Z'],
    ['q"\\ \u2028 é', '2026-01-01T00:00:01Z'], ['kubelet', 7], ['kubelet', '"\n'], ['', ''],
    // More managers than are remembered.
    ...Array.from({ length: 300 }, (_, i): [string, unknown] => [`m-${i}`, `t-${i % 3}`]),
    ['m-299', 't-0'], ['m-0', 't-1'],
  ];
  for (const [manager, time] of writes) {
    const s = shape(manager, time);
    assert.equal(shapeText(s, undefined, true), JSON.stringify(s));
  }
});

test('specText: the spec member right after the metadata of stored text, strings with brackets and quotes skipped', () => {
  assert.equal(specText('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","a":"}\\\\"},"spec":{"x":["}"],"y":{}},"status":{}}'), '{"x":["}"],"y":{}}');
  assert.equal(specText('{"apiVersion":"v1","kind":"Pod","metadata":{},"status":{},"spec":{}}'), undefined);
  assert.equal(specText('{"apiVersion":"v1","kind":"Pod","metadata":{},"spec":null}'), undefined);
  assert.equal(specText('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"'), undefined);
  assert.equal(specText('{"apiVersion":"v1","kind":"Pod","metadata":{},"spec":{"a":"'), undefined);
});

test('the previous revision\'s spec text is used only for its own frozen spec: a copy, or an unfrozen one, is serialized', () => {
  // A previous text that disagrees with its object: whichever is used shows in the answer.
  const spec = deepFreeze({ nodeName: 'real' });
  const previous = { text: '{"apiVersion":"v1","kind":"Pod","metadata":{},"spec":{"nodeName":"from-text"}}', object: { spec } };
  assert.equal(shapeText({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec }, previous), '{"apiVersion":"v1","kind":"Pod","metadata":{},"spec":{"nodeName":"from-text"}}');
  assert.equal(shapeText({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { nodeName: 'real' } }, previous), '{"apiVersion":"v1","kind":"Pod","metadata":{},"spec":{"nodeName":"real"}}');
  const unfrozen = { nodeName: 'real' };
  assert.equal(shapeText({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: unfrozen }, { ...previous, object: { spec: unfrozen } }), '{"apiVersion":"v1","kind":"Pod","metadata":{},"spec":{"nodeName":"real"}}');
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
    // A write that changes the spec itself makes a new spec from then on.
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
    assert.equal(specs[3], specs[0]);
    assert.equal(specs[4]!.activeDeadlineSeconds, 30);
    assert.equal(specs[5], specs[4]);
  } finally {
    await cluster.stop();
  }
});

test('a shape encoded for a kind whose status writes keep the spec is JSON.stringify of it, and the next write takes its spec by the mark it leaves, which no copy or walk sees', () => {
  const creator = deepFreeze({ 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:name': {} } } } });
  const shapes: object[] = [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: '}"{' } }, spec: { containers: [{ name: 'a', args: [']\\"'] }] }, status: {} },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', managedFields: [{ manager: 'm', fieldsType: 'FieldsV1', fieldsV1: creator }] }, spec: { containers: [{ name: 'a' }] } },
    { apiVersion: 'v1', kind: 'Pod', spec: { nodeName: 'first' }, metadata: { name: 'p' } },
    { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: null, status: { phase: 'Running' } },
    { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: undefined, gone: undefined, f: () => 1, when: new Date(0) },
  ];
  for (const shape of shapes) {
    const text = shapeText(shape, undefined, true);
    assert.equal(text, JSON.stringify(shape));
    assert.equal(Object.keys({ ...shape }).length, Object.keys(shape).length);
  }
  // The mark is what the next write reads: a spec whose serialization would differ now (a toJSON
  // that counts) comes out as it was written, even where a scan of the text finds no spec (here it
  // comes before the metadata).
  let calls = 0;
  const spec = Object.freeze({ toJSON: () => ({ call: ++calls }) });
  const first = { apiVersion: 'v1', kind: 'Pod', spec, metadata: { name: 'p' } };
  const text = shapeText(first, undefined, true);
  assert.equal(text, '{"apiVersion":"v1","kind":"Pod","spec":{"call":1},"metadata":{"name":"p"}}');
  assert.equal(specText(text), undefined);
  const next = { apiVersion: 'v1', kind: 'Pod', spec, metadata: { name: 'p' }, status: { phase: 'Running' } };
  assert.equal(shapeText(next, { text, object: first }, true), '{"apiVersion":"v1","kind":"Pod","spec":{"call":1},"metadata":{"name":"p"},"status":{"phase":"Running"}}');
  assert.equal(calls, 1);
  // A mark read with a text it was not made for (it points at no spec there) is not used.
  assert.equal(shapeText(next, { text: `{"a":1,${text.slice(1)}`, object: first }, true), '{"apiVersion":"v1","kind":"Pod","spec":{"call":2},"metadata":{"name":"p"},"status":{"phase":"Running"}}');
  // Without keepsSpec nothing is marked, and a write is serialized whole as before.
  const unmarked = { apiVersion: 'v1', kind: 'Pod', spec, metadata: { name: 'p' } };
  const plain = shapeText(unmarked);
  assert.equal(plain, '{"apiVersion":"v1","kind":"Pod","spec":{"call":3},"metadata":{"name":"p"}}');
  assert.equal(shapeText(next, { text: plain, object: unmarked }, true), '{"apiVersion":"v1","kind":"Pod","spec":{"call":4},"metadata":{"name":"p"},"status":{"phase":"Running"}}');
});
