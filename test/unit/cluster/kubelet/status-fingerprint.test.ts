import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStatus, Pod, PodStatus } from '../../../../src/cluster/api/types';
import { statusPrint, type ContainerView } from '../../../../src/cluster/kubelet/pod-status';
import { beginArray, element, endArray, jsonFingerprint, textFingerprint } from '../../../../src/cluster/kubelet/status-fingerprint';
import { FakeHost, makePod } from './fake-host';

const same = (v: unknown) => assert.equal(jsonFingerprint(v), textFingerprint(JSON.stringify(v)), JSON.stringify(v));

test('the fingerprint of every status a pod goes through is that of its JSON text', async () => {
  const statuses: PodStatus[] = [];
  class Collecting extends FakeHost {
    override writeStatus(pod: Pod, status: PodStatus): void {
      statuses.push(status);
      super.writeStatus(pod, status);
    }
  }
  const host = new Collecting();
  const pod = makePod({ initContainers: [{ name: 'init', image: 'busybox:1.36', command: ['true'] }], containers: [
    { name: 'box', image: 'busybox:1.36', volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }] },
    { name: 'nginx', image: 'nginx:1.27', readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 5 } },
  ] });
  const worker = host.worker(pod);
  await host.clock.advance(60_000);
  worker.update({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:01:00Z', deletionGracePeriodSeconds: 30 } });
  await host.clock.advance(5000);
  assert.ok(statuses.length >= 6, `${statuses.length} statuses`);
  for (const s of statuses) same(s);
  // Statuses that differ get different fingerprints (here: every one handed over).
  assert.equal(new Set(statuses.map(jsonFingerprint)).size, new Set(statuses.map((s) => JSON.stringify(s))).size);
});

test('JSON corners: escapes, surrogates, numbers, undefined and functions, toJSON, boxed values, key order', () => {
  same({ message: 'say "hi"\\n\n\t\u0001 done', emoji: '😀', lone: '\ud800x', tail: '\udc00' });
  same({ 'we"ird': 1, '\n': 2, 3: 'integer-like key first', a: -0, b: 1e21, c: 0.1, d: NaN, e: Infinity, f: -1.5e-7 });
  same({ a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, null, true, false], e: {} , f: [] });
  same({ when: new Date(Date.UTC(2026, 0, 1)), custom: { toJSON: () => ({ x: 1 }) }, s: Object('boxed'), n: Object(5), t: Object(true) });
  same({ b: 1, a: 2 });
  same([{ type: 'Ready', status: 'True', lastProbeTime: null }]);
  same('');
  same(null);
  assert.notEqual(jsonFingerprint({ b: 1, a: 2 }), jsonFingerprint({ a: 2, b: 1 }));
  assert.throws(() => jsonFingerprint({ n: 1n }), TypeError);
});

test('an array printed element by element has the fingerprint of the array (nested arrays, JSON array rules)', () => {
  const array = ['web', true, null, 0, undefined, () => 1, [], ['running', '2026-01-01T00:00:00Z'], [['a', '/x', true, 'Disabled'], ['b', '/y', null, null]], 'say "hi"\n'];
  beginArray();
  for (const v of array) {
    if (!Array.isArray(v)) { element(v); continue; }
    beginArray();
    for (const w of v) {
      if (!Array.isArray(w)) { element(w); continue; }
      beginArray();
      for (const x of w) element(x);
      assert.equal(endArray(), -1);
    }
    assert.equal(endArray(), -1);
  }
  assert.equal(endArray(), jsonFingerprint(array));
  // Another one after it starts afresh.
  beginArray();
  element('x');
  assert.equal(endArray(), jsonFingerprint(['x']));
  beginArray();
  assert.equal(endArray(), jsonFingerprint([]));
});

test('a status print that throws on what another writer stored (a null volume mount) leaves later prints as they were', () => {
  const view = {
    name: 'app', kind: 'main', ready: true, started: true, restartCount: 1, image: 'nginx:1.27', imageID: 'docker-pullable://nginx@sha256:1', containerID: 'containerd://1',
    state: { running: { startedAt: '2026-01-01T00:00:00Z' } }, lastState: { terminated: { exitCode: 0, reason: 'Completed' } }, succeeded: false,
    volumeMounts: [{ name: 'data', mountPath: '/data' }],
  } as unknown as ContainerView;
  const print = statusPrint(view);
  // The API stores a status whose volumeMounts hold a null (a status patch of somebody else's); the
  // kubelet prints the pod's status of its container to tell whether it still says what it showed.
  const stored = { ...view, volumeMounts: [{ name: 'data', mountPath: '/data' }, null] } as unknown as ContainerStatus;
  assert.throws(() => statusPrint(stored), TypeError);
  assert.equal(statusPrint(view), print);
  assert.notEqual(statusPrint({ ...view, ready: false }), print);
});
