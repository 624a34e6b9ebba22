import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../../src/cluster/api/types';
import { shareParts, shareWrittenParts } from '../../../../../src/cluster/apiserver/registry/shared-parts';
import { deepFreeze } from '../../../../../src/cluster/api/deep-freeze';

const stored = (name: string, labels: string[]) => JSON.stringify({
  apiVersion: 'v1', kind: 'Pod',
  metadata: {
    name, namespace: 'default',
    managedFields: [
      { manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': Object.fromEntries([['.', {}], ...labels.map((l) => [`f:${l}`, {}])]) } } },
      { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:01Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:phase': {} } }, subresource: 'status' },
    ],
  },
});

test('decoded objects naming the same fields share one frozen field set, equal to the decoded one', () => {
  const texts = [stored('a', ['app']), stored('b', ['app']), stored('c', ['app', 'tier'])];
  const objects = texts.map((t) => JSON.parse(t) as KubeObject);
  for (const o of objects) shareParts(o);
  const [a, b, c] = objects.map((o) => o.metadata.managedFields!);
  assert.equal(a![0]!.fieldsV1, b![0]!.fieldsV1);
  assert.equal(a![1]!.fieldsV1, b![1]!.fieldsV1);
  assert.equal(a![1]!.fieldsV1, c![1]!.fieldsV1);
  assert.notEqual(a![0]!.fieldsV1, c![0]!.fieldsV1);
  objects.forEach((o, i) => assert.equal(JSON.stringify(o), texts[i]));
  const labels = (a![0]!.fieldsV1!['f:metadata'] as Record<string, Record<string, unknown>>)['f:labels']!;
  assert.ok(Object.isFrozen(labels));
  assert.throws(() => { labels['f:other'] = {}; }, TypeError);
});

test('objects without managed fields, or with an entry without a field set, are left as they are', () => {
  const bare = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } } as KubeObject;
  shareParts(bare);
  assert.deepEqual(bare, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } });
  const noSet = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', managedFields: [{ manager: 'm', operation: 'Update' }] } } as KubeObject;
  shareParts(noSet);
  assert.deepEqual(noSet.metadata.managedFields, [{ manager: 'm', operation: 'Update' }]);
});

test('sharing strings leaves every value as it was: in objects and arrays, short, long, and past the length shared', () => {
  const long = 'x'.repeat(300);
  const text = JSON.stringify({
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a-config-map-name', namespace: 'default', annotations: { note: long } },
    data: { a: 'short', b: '/var/run/secrets/kubernetes.io/serviceaccount', c: '' },
    list: [['nested-array-value', 1, null, true], { k: '2026-01-01T00:00:00Z' }],
  });
  for (let i = 0; i < 3; i++) {
    const o = JSON.parse(text) as KubeObject;
    shareParts(o);
    assert.equal(JSON.stringify(o), text);
  }
});

test('sub-objects defaulting makes alike (tolerations, a projected token volume, empty resources) are shared and frozen; others are not', () => {
  const pod = (name: string, seconds: number) => JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: {
      containers: [{ name: 'web', image: 'nginx', resources: {}, env: [{ name: 'A', value: 'b' }] }],
      volumes: [{ name: `kube-api-access-${name}`, projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }], defaultMode: 420 } }],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds }],
    },
  });
  const texts = [pod('a', 300), pod('b', 300), pod('c', 60)];
  const [a, b, c] = texts.map((t) => { const o = JSON.parse(t) as KubeObject & { spec: any }; shareParts(o); return o; });
  objectsEqualText([a!, b!, c!], texts);
  assert.equal(a!.spec.tolerations, b!.spec.tolerations);
  assert.notEqual(a!.spec.tolerations, c!.spec.tolerations);
  assert.equal(a!.spec.volumes[0].projected, c!.spec.volumes[0].projected);
  assert.notEqual(a!.spec.volumes[0], b!.spec.volumes[0]);
  assert.equal(a!.spec.containers[0].resources, b!.spec.containers[0].resources);
  assert.notEqual(a!.spec.containers[0].env, b!.spec.containers[0].env);
  assert.ok(Object.isFrozen(a!.spec.tolerations[0]));
  assert.throws(() => { a!.spec.tolerations.push({}); }, TypeError);
});

function objectsEqualText(objects: KubeObject[], texts: string[]): void {
  objects.forEach((o, i) => assert.equal(JSON.stringify(o), texts[i]));
}

test('a written object\'s field sets become the shared equal ones, a cache\'s frozen set each time, an unfrozen one as it is then', () => {
  const shared = (JSON.parse(stored('a', ['app'])) as KubeObject);
  shareParts(shared);
  const known = shared.metadata.managedFields![0]!.fieldsV1!;
  const written = (fieldsV1: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w', managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1 }] } }) as KubeObject;
  const cached = deepFreeze(JSON.parse(JSON.stringify(known)) as Record<string, unknown>);
  for (let i = 0; i < 2; i++) {
    const w = written(cached);
    assert.equal(shareWrittenParts(w), true);
    assert.equal(w.metadata.managedFields![0]!.fieldsV1, known);
  }
  // An unfrozen set that was equal once, and changed since, is not taken for the shared one.
  const plain = JSON.parse(JSON.stringify(known)) as Record<string, Record<string, Record<string, unknown>>>;
  const first = written(plain);
  shareWrittenParts(first);
  assert.equal(first.metadata.managedFields![0]!.fieldsV1, known);
  plain['f:metadata']!['f:labels']!['f:tier'] = {};
  const second = written(plain);
  shareWrittenParts(second);
  assert.notEqual(second.metadata.managedFields![0]!.fieldsV1, known);
  assert.equal(JSON.stringify(second.metadata.managedFields![0]!.fieldsV1), JSON.stringify(plain));
});

test('a cache\'s frozen set met again after thousands of other sets (no longer remembered as known) still becomes an equal shared one', () => {
  const written = (fieldsV1: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w', managedFields: [{ manager: 'kubelet', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1 }] } }) as KubeObject;
  // A status set naming a pod's IP, as a kubelet's is: each pod brings its own.
  const podSet = (i: number) => deepFreeze({ 'f:status': { 'f:podIP': {}, 'f:podIPs': { [`k:{"ip":"10.${i >> 16}.${(i >> 8) & 255}.${i & 255}"}`]: { '.': {}, 'f:ip': {} } } } }) as Record<string, unknown>;
  const first = podSet(0);
  const w0 = written(first);
  assert.equal(shareWrittenParts(w0), true);
  const shared = w0.metadata.managedFields![0]!.fieldsV1!;
  for (let i = 1; i <= 20_000; i++) assert.equal(shareWrittenParts(written(podSet(i))), true);
  for (const set of [first, podSet(0)]) {
    const again = written(set);
    assert.equal(shareWrittenParts(again), true);
    const tree = again.metadata.managedFields![0]!.fieldsV1!;
    assert.deepEqual(tree, shared);
    assert.ok(Object.isFrozen(tree));
  }
});

test('a written object being deleted is frozen throughout and shares nothing: its parts are met in no later revision', () => {
  const tolerations = () => [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }];
  const pod = (deletionTimestamp?: string) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', ...(deletionTimestamp ? { deletionTimestamp, deletionGracePeriodSeconds: 30 } : {}), managedFields: [{ manager: 'kubelet', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:phase': {} } }, subresource: 'status' }] },
    spec: { tolerations: tolerations(), containers: [{ name: 'web', image: 'docker.io/library/nginx:1.27' }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'web', state: { terminated: { exitCode: 0, reason: 'Completed' } }, image: 'docker.io/library/nginx:1.27' }] },
  }) as unknown as KubeObject & { spec: any; status: any };
  // The tables know these parts: a live pod's write shares them.
  const live = pod();
  assert.equal(shareWrittenParts(live), true);
  const again = pod();
  assert.equal(shareWrittenParts(again), true);
  assert.equal(again.spec.tolerations, live.spec.tolerations);
  assert.equal(again.metadata.managedFields![0]!.fieldsV1, live.metadata.managedFields![0]!.fieldsV1);

  const terminating = pod('2026-01-01T00:00:30Z');
  const text = JSON.stringify(terminating);
  const { tolerations: own } = terminating.spec;
  const ownSet = terminating.metadata.managedFields![0]!.fieldsV1;
  assert.equal(shareWrittenParts(terminating), true);
  assert.equal(JSON.stringify(terminating), text);
  assert.equal(terminating.spec.tolerations, own);
  assert.equal(terminating.metadata.managedFields![0]!.fieldsV1, ownSet);
  for (const part of [terminating, terminating.metadata, own, own[0], ownSet, (ownSet as any)['f:status'], terminating.status.containerStatuses, terminating.status.containerStatuses[0].state.terminated]) {
    assert.ok(Object.isFrozen(part));
  }
  // Exactness is checked all the same: a value JSON would not give back refuses the object.
  for (const odd of [-0, Number.NaN, undefined, new Date(0)]) {
    const refused = pod('2026-01-01T00:00:30Z');
    refused.status.containerStatuses[0].state.terminated.exitCode = odd;
    assert.equal(shareWrittenParts(refused), false, String(odd));
  }
  const withProto = pod('2026-01-01T00:00:30Z');
  Object.defineProperty(withProto.status, '__proto__', { value: {}, enumerable: true, writable: true, configurable: true });
  assert.equal(shareWrittenParts(withProto), false);
});

test('a cache\'s answer made for one object (a new set around the cache\'s frozen trees) is frozen as it is, not shared nor remembered', () => {
  const written = (fieldsV1: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w', managedFields: [{ manager: 'kubelet', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1, subresource: 'status' }] } }) as KubeObject;
  const conditions = deepFreeze({ '.': {}, 'k:{"type":"Ready"}': { '.': {}, 'f:status': {}, 'f:type': {} } });
  const phase = deepFreeze({});
  // As recall respells a remembered set for a pod: new nodes down to the pod's own items, the rest the cache's.
  const variant = (ip: string) => ({ 'f:status': { 'f:conditions': conditions, 'f:phase': phase, 'f:podIPs': { '.': {}, [`k:{"ip":"${ip}"}`]: { '.': {}, 'f:ip': {} } } } });
  const plainOf = (set: object) => JSON.parse(JSON.stringify(set)) as Record<string, unknown>;

  const set = variant('10.0.0.7');
  const text = JSON.stringify(set);
  const w = written(set);
  assert.equal(shareWrittenParts(w), true);
  const kept = w.metadata.managedFields![0]!.fieldsV1 as any;
  assert.equal(kept, set);
  assert.equal(JSON.stringify(kept), text);
  for (const part of [kept, kept['f:status'], kept['f:status']['f:podIPs'], kept['f:status']['f:podIPs']['k:{"ip":"10.0.0.7"}']]) assert.ok(Object.isFrozen(part));
  assert.equal(kept['f:status']['f:conditions'], conditions);

  // An equal variant is another object's: it keeps its own. And none was remembered: an equal
  // decoded set (nothing frozen in it) is not taken for the variant, but shared with its equals as before.
  const other = written(variant('10.0.0.7'));
  assert.equal(shareWrittenParts(other), true);
  assert.notEqual(other.metadata.managedFields![0]!.fieldsV1, set);
  const encoded = [written(plainOf(set)), written(plainOf(set))];
  for (const e of encoded) assert.equal(shareWrittenParts(e), true);
  const [a, b] = encoded.map((e) => e.metadata.managedFields![0]!.fieldsV1);
  assert.notEqual(a, set);
  assert.equal(a, b);
  assert.ok(Object.isFrozen(a));

  // Exactness is checked all the same.
  const odd = variant('10.0.0.8') as any;
  odd['f:status']['f:podIPs']['.'] = new Date(0);
  assert.equal(shareWrittenParts(written(odd)), false);
});

test('a written pod\'s alike sub-objects equal to the last pod\'s take its shared tree; any other text, even members in another order, is its own', () => {
  const toleration = (seconds: number) => ({ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
  const pod = (name: string, tolerations: unknown[], projected: Record<string, unknown>) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'web', image: 'nginx' }], volumes: [{ name: `kube-api-access-${name}`, projected }], tolerations },
  }) as unknown as KubeObject & { spec: any };
  const projected = () => ({ sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }], defaultMode: 420 });
  const pods = [
    pod('a', [toleration(300)], projected()),
    pod('b', [toleration(300)], projected()),
    pod('c', [toleration(60)], { defaultMode: 420, sources: projected().sources }),
    pod('d', [toleration(300), toleration(300)], { ...projected(), defaultMode: 256 }),
    pod('e', [toleration(300)], projected()),
  ];
  const texts = pods.map((p) => JSON.stringify(p));
  for (const p of pods) assert.equal(shareWrittenParts(p), true);
  objectsEqualText(pods, texts);
  const [a, b, c, d, e] = pods as [any, any, any, any, any];
  assert.equal(b.spec.tolerations, a.spec.tolerations);
  assert.equal(b.spec.volumes[0].projected, a.spec.volumes[0].projected);
  assert.notEqual(c.spec.tolerations, a.spec.tolerations);
  assert.notEqual(c.spec.volumes[0].projected, a.spec.volumes[0].projected);
  assert.deepEqual(Object.keys(c.spec.volumes[0].projected), ['defaultMode', 'sources']);
  assert.notEqual(d.spec.tolerations, a.spec.tolerations);
  assert.notEqual(d.spec.volumes[0].projected, a.spec.volumes[0].projected);
  // Met again after others: found by its text, the same shared tree.
  assert.equal(e.spec.tolerations, a.spec.tolerations);
  assert.equal(e.spec.volumes[0].projected, a.spec.volumes[0].projected);
  for (const p of pods) assert.ok(Object.isFrozen(p.spec.tolerations) && Object.isFrozen(p.spec.volumes[0].projected.sources[0]));
});
