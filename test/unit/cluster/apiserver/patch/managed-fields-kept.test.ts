import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordUpdate } from '../../../../../src/cluster/apiserver/patch/server-side-apply';
import { deepFreeze } from '../../../../../src/cluster/api/deep-freeze';
import { canonicalFieldsV1 } from '../../../../../src/cluster/apiserver/patch/managed-fields-kept';
import { FieldSet, parsePathElement, serializePathElement } from '../../../../../src/cluster/apiserver/patch/field-set';
import type { JsonObject } from '../../../../../src/cluster/apiserver/patch/json-value';
import type { ManagedFieldsEntry } from '../../../../../src/cluster/api/types';
import { podMeta } from './pod-meta';
import { seededRandom } from '../../../../../src/cluster/scheduler/schedule-one';

const T0 = Date.parse('2026-11-24T10:00:00Z');
const T1 = Date.parse('2026-11-24T10:00:10Z');
const T2 = Date.parse('2026-11-24T10:00:20Z');

const pod: JsonObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '5', creationTimestamp: '2026-11-24T10:00:00Z', labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
  status: { phase: 'Pending' },
};

function write(old: JsonObject, change: (o: JsonObject) => void, manager: string, now: number, subresource?: string): JsonObject {
  const next = structuredClone(old);
  change(next);
  delete (next.metadata as JsonObject).managedFields;
  const mf = recordUpdate({ apiVersion: 'v1', meta: podMeta, manager, now, old, updated: structuredClone(next), ...(subresource ? { subresource } : {}) });
  (next.metadata as JsonObject).managedFields = mf;
  return next;
}

/**
 * The same write recorded with the stored entries as the encoder wrote them (untouched ones may be
 * kept) and with their keys reversed (every entry is decoded: the general path). The answers must
 * be the same text, key order included.
 */
function bothWays(old: JsonObject, change: (o: JsonObject) => void, manager: string, now: number, subresource?: string): { kept: ManagedFieldsEntry[]; general: ManagedFieldsEntry[] } {
  const next = structuredClone(old);
  change(next);
  delete (next.metadata as JsonObject).managedFields;
  const base = { apiVersion: 'v1', meta: podMeta, manager, now, ...(subresource ? { subresource } : {}) };
  const kept = recordUpdate({ ...base, old, updated: structuredClone(next) });
  const reordered = structuredClone(old);
  const entries = (old.metadata as JsonObject).managedFields as ManagedFieldsEntry[];
  (reordered.metadata as JsonObject).managedFields = entries.map((e) => Object.fromEntries(Object.entries(e).reverse()));
  const general = recordUpdate({ ...base, old: reordered, updated: structuredClone(next) });
  assert.equal(JSON.stringify(kept), JSON.stringify(general));
  return { kept, general };
}

function created(): JsonObject {
  const mf = recordUpdate({ apiVersion: 'v1', meta: podMeta, manager: 'creator', now: T0, updated: structuredClone(pod) });
  const o = structuredClone(pod);
  (o.metadata as JsonObject).managedFields = mf;
  return o;
}

test('a status write that moves fields of its own keeps the creator\'s entry as stored', () => {
  const first = write(created(), (o) => { o.status = { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }] }; }, 'kubelet', T1, 'status');
  const stored = (first.metadata as JsonObject).managedFields as ManagedFieldsEntry[];
  const { kept } = bothWays(first, (o) => { o.status = { phase: 'Running', podIP: '10.0.0.2', conditions: [{ type: 'Ready', status: 'True' }] }; }, 'kubelet', T2, 'status');
  const creator = kept.find((e) => e.manager === 'creator');
  assert.equal(creator, stored.find((e) => e.manager === 'creator'));
  assert.equal(kept.find((e) => e.manager === 'kubelet')?.time, '2026-11-24T10:00:20Z');
});

test('a write taking a field from another manager, or removing one, decodes that manager: same answer as the general path', () => {
  const first = write(created(), (o) => { o.status = { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }] }; }, 'kubelet', T1, 'status');
  // Another writer changes the kubelet's phase: the kubelet's entry loses it, the creator's is kept.
  bothWays(first, (o) => { (o.status as JsonObject).phase = 'Failed'; }, 'controller', T2, 'status');
  // A main-resource write removing the creator's port and changing the image.
  const { kept } = bothWays(first, (o) => { ((o.spec as JsonObject).containers as JsonObject[])[0] = { name: 'web', image: 'nginx:1.28' }; }, 'editor', T2);
  assert.ok(kept.some((e) => e.manager === 'editor'));
  // A new writer when there are stored writers with the same time: order as the general path sorts it.
  bothWays(first, (o) => { (o.metadata as JsonObject).labels = { app: 'web', tier: 'x' }; }, 'a-labeller', T1);
});

test('only FieldsV1 exactly as the encoder writes it counts as canonical', () => {
  const set = FieldSet.fromFieldsV1({ 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {} } } }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } });
  assert.ok(canonicalFieldsV1(set.toFieldsV1()));
  assert.ok(canonicalFieldsV1({ 'f:a': {}, 'f:b': { '.': {}, 'f:c': {} } }));
  assert.equal(canonicalFieldsV1({ 'f:b': {}, 'f:a': {} }), false, 'unsorted');
  assert.equal(canonicalFieldsV1({ 'f:a': { 'f:c': {}, '.': {} } }), false, '. not first');
  assert.equal(canonicalFieldsV1({ 'f:a': { '.': {} } }), false, '. without children');
  assert.equal(canonicalFieldsV1({ 'f:a': true }), false, 'a leaf that is not {}');
  assert.equal(canonicalFieldsV1({ 'k:{"b":1,"a":2}': {} }), false, 'key fields unsorted');
  assert.equal(canonicalFieldsV1({ 'k:{bad': {} }), false, 'unreadable key');
  assert.equal(canonicalFieldsV1({ 'x:y': {} }), false, 'unknown element');
  assert.equal(canonicalFieldsV1({}), false, 'owns nothing');
});

test('the same write to another object, later, is answered from recent writes: the general path\'s answer, times included', () => {
  const kubeletFirst = (name: string) => write(
    (() => { const o = created(); (o.metadata as JsonObject).name = name; return o; })(),
    (o) => { o.status = { phase: 'Pending', hostIP: '10.0.0.9', conditions: [{ type: 'Ready', status: 'False' }] }; }, 'kubelet', T1, 'status',
  );
  const running = (o: JsonObject) => { o.status = { phase: 'Running', hostIP: '10.0.0.9', podIP: '10.0.0.2', conditions: [{ type: 'Ready', status: 'True' }] }; };
  const failed = (o: JsonObject) => { (o.status as JsonObject).phase = 'Failed'; };
  const dropConditions = (o: JsonObject) => { o.status = { phase: 'Pending', hostIP: '10.0.0.9' }; };
  for (let i = 0; i < 3; i++) {
    const now = T2 + i * 60_000;
    const at = new Date(now).toISOString().replace('.000Z', 'Z');
    const first = kubeletFirst(`web-${i}`);
    // The writer gains fields: its entry takes the write's time.
    const gained = bothWays(first, running, 'kubelet', now, 'status').kept.find((e) => e.manager === 'kubelet')!;
    assert.equal(gained.time, at);
    if (i > 0) assert.ok(Object.isFrozen(gained.fieldsV1), 'answered from the recent writes');
    // Another manager takes one of the kubelet's fields: the kubelet's entry keeps its own time.
    const taken = bothWays(first, failed, 'controller', now, 'status').kept;
    assert.equal(taken.find((e) => e.manager === 'kubelet')!.time, '2026-11-24T10:00:10Z');
    assert.equal(taken.find((e) => e.manager === 'controller')!.time, at);
    // The writer only removes fields: it gains nothing and keeps its time.
    const removed = bothWays(first, dropConditions, 'kubelet', now, 'status').kept.find((e) => e.manager === 'kubelet')!;
    assert.equal(removed.time, '2026-11-24T10:00:10Z');
  }
});

test('a frozen field set is judged as a fresh one is, every time; a mutable one is judged as it now is', () => {
  const sets: Record<string, unknown>[] = [
    { 'f:a': {}, 'f:b': { '.': {}, 'f:c': {} } },
    { 'f:b': {}, 'f:a': {} },
    { 'f:a': { '.': {} } },
    { 'k:{"b":1,"a":2}': {} },
  ];
  for (const set of sets) {
    const fresh = canonicalFieldsV1(structuredClone(set));
    const frozen = deepFreeze(structuredClone(set));
    assert.equal(canonicalFieldsV1(frozen), fresh);
    assert.equal(canonicalFieldsV1(frozen), fresh);
  }
  const mutable: Record<string, unknown> = { 'f:a': {}, 'f:b': {} };
  assert.equal(canonicalFieldsV1(mutable), true);
  mutable['f:0'] = {};
  assert.equal(canonicalFieldsV1(mutable), false, 'unsorted once f:0 is added last');
});

test('many status writes of one shape, then another shape, another manager, and an entry another manager changed: each answered as the general path answers it', () => {
  const pending = (name: string) => write(
    (() => { const o = created(); (o.metadata as JsonObject).name = name; return o; })(),
    (o) => { o.status = { phase: 'Pending', hostIP: '10.0.0.9', conditions: [{ type: 'Ready', status: 'False' }] }; }, 'kubelet', T1, 'status',
  );
  const running = (ip: string) => (o: JsonObject) => { o.status = { phase: 'Running', hostIP: '10.0.0.9', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] }; };
  const owned = (entries: ManagedFieldsEntry[], manager: string) => Object.keys(((entries.find((e) => e.manager === manager)?.fieldsV1 ?? {}) as JsonObject)['f:status'] ?? {}).sort();
  // The same shape many times over (the kubelet's bring-up of a workload).
  for (let i = 0; i < 40; i++) {
    const { kept } = bothWays(pending(`web-${i}`), running(`10.0.1.${i}`), 'kubelet', T2, 'status');
    assert.deepEqual(owned(kept, 'kubelet'), ['f:conditions', 'f:hostIP', 'f:phase', 'f:podIP']);
  }
  // Then another shape: a message too, and no podIP.
  const other = bothWays(pending('web-x'), (o) => { o.status = { phase: 'Running', hostIP: '10.0.0.9', message: 'm', conditions: [{ type: 'Ready', status: 'True' }] }; }, 'kubelet', T2, 'status').kept;
  assert.deepEqual(owned(other, 'kubelet'), ['f:conditions', 'f:hostIP', 'f:message', 'f:phase']);
  // The same changes by another manager: an entry of its own; the kubelet's keeps what it had.
  const second = bothWays(pending('web-y'), running('10.0.2.1'), 'node-agent', T2, 'status').kept;
  assert.deepEqual(owned(second, 'node-agent'), ['f:conditions', 'f:phase', 'f:podIP']);
  assert.deepEqual(owned(second, 'kubelet'), ['f:conditions', 'f:hostIP']);
  // An object whose kubelet entry another manager changed since (it took the phase): the kubelet's
  // next write of the usual shape takes it back, and the other manager's entry loses it.
  const taken = write(pending('web-z'), (o) => { (o.status as JsonObject).phase = 'Unknown'; }, 'controller', T1, 'status');
  assert.deepEqual(owned((taken.metadata as JsonObject).managedFields as ManagedFieldsEntry[], 'kubelet'), ['f:conditions', 'f:hostIP']);
  const back = bothWays(taken, running('10.0.3.1'), 'kubelet', T2, 'status').kept;
  assert.deepEqual(owned(back, 'kubelet'), ['f:conditions', 'f:hostIP', 'f:phase', 'f:podIP']);
  assert.equal(back.find((e) => e.manager === 'controller'), undefined);
  // And the usual shape on a usual object is still answered as before.
  assert.deepEqual(owned(bothWays(pending('web-w'), running('10.0.4.1'), 'kubelet', T2, 'status').kept, 'kubelet'), ['f:conditions', 'f:hostIP', 'f:phase', 'f:podIP']);
});

test('status writes of pods that differ only by their own IPs, and change nothing under podIPs, are answered from recent writes: each keeps its own podIPs, as the general path answers', () => {
  const running = (i: number, ip: string) => write(
    write((() => { const o = created(); (o.metadata as JsonObject).name = `web-${i}`; return o; })(),
      (o) => { o.status = { phase: 'Pending', hostIP: '10.0.0.9', conditions: [{ type: 'Ready', status: 'False' }] }; }, 'kubelet', T1, 'status'),
    (o) => { o.status = { phase: 'Running', hostIP: '10.0.0.9', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'True' }] }; }, 'kubelet', T1, 'status',
  );
  const terminal = (ip: string) => (o: JsonObject) => { o.status = { phase: 'Succeeded', hostIP: '10.0.0.9', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'False', reason: 'PodCompleted' }] }; };
  const kubeletStatus = (entries: ManagedFieldsEntry[]) => (entries.find((e) => e.manager === 'kubelet')!.fieldsV1 as JsonObject)['f:status'] as JsonObject;
  let first: unknown;
  for (let i = 0; i < 6; i++) {
    const ip = `10.244.${i}.7`;
    const status = kubeletStatus(bothWays(running(i, ip), terminal(ip), 'kubelet', T2 + i * 1000, 'status').kept);
    assert.deepEqual(Object.keys(status['f:podIPs'] as JsonObject), ['.', `k:{"ip":"${ip}"}`]);
    assert.deepEqual(Object.keys(status), ['f:conditions', 'f:hostIP', 'f:phase', 'f:podIP', 'f:podIPs']);
    // Answered from the recent writes: the first pod's encoded conditions, shared.
    if (i === 0) first = status['f:conditions'];
    else assert.equal(status['f:conditions'], first, 'answered from the recent writes');
  }
  // A write that moves the pod to another IP changes paths under podIPs: not answered with the old IP.
  const moved = kubeletStatus(bothWays(running(9, '10.244.9.7'), terminal('10.244.9.8'), 'kubelet', T2, 'status').kept);
  assert.deepEqual(Object.keys(moved['f:podIPs'] as JsonObject), ['.', 'k:{"ip":"10.244.9.8"}']);
});

test('status writes that first report pods\' own IPs (one or two, in any order) are answered from recent writes with each pod\'s IPs, as the general path answers', () => {
  // A seeded generator: the same cases every run.
  const random = seededRandom(7);
  const next = (n: number) => Math.floor(random() * n);
  const pending = (i: number) => write((() => { const o = created(); (o.metadata as JsonObject).name = `web-${i}`; return o; })(),
    (o) => { o.status = { phase: 'Pending', hostIP: '10.0.0.9', conditions: [{ type: 'Ready', status: 'False' }] }; }, 'kubelet', T1, 'status');
  const kubeletStatus = (entries: ManagedFieldsEntry[]) => (entries.find((e) => e.manager === 'kubelet')!.fieldsV1 as JsonObject)['f:status'] as JsonObject;
  const shared = new Map<string, unknown>();
  let answeredFromRecent = 0;
  for (let i = 0; i < 60; i++) {
    // IPs whose order as text differs from their order in the list half of the time.
    const ips = [`10.244.${next(300)}.${next(20)}`];
    if (next(2) === 0) ips.push(next(2) === 0 ? `fd00::${next(99)}` : `10.${next(300)}.0.1`);
    if (ips.length === 2 && ips[0] === ips[1]) ips.pop();
    const message = next(3) === 0 ? { message: 'm' } : {};
    const report = (o: JsonObject) => { o.status = { phase: 'Running', hostIP: '10.0.0.9', podIP: ips[0], podIPs: ips.map((ip) => ({ ip })), ...message, conditions: [{ type: 'Ready', status: 'True' }] }; };
    const status = kubeletStatus(bothWays(pending(i), report, 'kubelet', T2 + next(3) * 1000, 'status').kept);
    assert.deepEqual(Object.keys(status['f:podIPs'] as JsonObject), ['.', ...ips.map((ip) => `k:{"ip":"${ip}"}`).sort()]);
    // The same shape met before: answered from the recent writes (their encoded conditions, shared).
    const shape = `${ips.length} ${ips.length === 2 && ips[0]! > ips[1]! ? 'swapped' : 'sorted'} ${'message' in message}`;
    if (!shared.has(shape)) shared.set(shape, status['f:conditions']);
    else if (status['f:conditions'] === shared.get(shape)) answeredFromRecent++;
  }
  assert.ok(answeredFromRecent > 40, `${answeredFromRecent} answered from the recent writes`);
});

test('canonicalFieldsV1: a key is canonical exactly when it is spelled as the encoder spells what it parses to', () => {
  const spellings = [
    'k:{"ip":"10.244.3.7"}', 'k:{"type":"Ready"}', 'k:{"ip":"é"}', 'k:{"ip":"\\u00e9"}', 'k:{"ip":"a\\"b"}', 'k:{"ip":"a\\\\b"}',
    'k:{"ip": "x"}', 'k:{"ip":1}', 'k:{"a":"2","b":"1"}', 'k:{"b":"1","a":"2"}', 'k:{"ip":"\ud800"}', 'k:{"ip":"😀"}', 'k:{"ip":"\t"}',
    'k:{"ip":"x"} ', 'k:{"i\\"p":"x"}', 'k:{"":""}', 'k:{"ip":"x","ip":"y"}', 'k:{"__proto__":"x"}',
  ];
  for (const k of spellings) {
    let expected: boolean;
    try {
      const pe = parsePathElement(k);
      expected = pe !== undefined && serializePathElement(pe) === k;
    } catch {
      expected = false;
    }
    const set = { 'f:status': { 'f:podIPs': { '.': {}, [k]: { '.': {}, 'f:ip': {} } } } };
    assert.equal(canonicalFieldsV1(set), expected, k);
    assert.equal(canonicalFieldsV1(set['f:status']['f:podIPs'], false), expected, k);
  }
  // Items sort by their key: the second of two plain keys must come after the first.
  assert.equal(canonicalFieldsV1({ 'f:podIPs': { '.': {}, 'k:{"ip":"10.0.0.1"}': {}, 'k:{"ip":"10.0.0.2"}': {} } }), true);
  assert.equal(canonicalFieldsV1({ 'f:podIPs': { '.': {}, 'k:{"ip":"10.0.0.2"}': {}, 'k:{"ip":"10.0.0.1"}': {} } }), false);
});
