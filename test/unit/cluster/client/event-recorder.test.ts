import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient } from '../../../../src/cluster/client/client';
import { EventRecorder, EventsV1Recorder, microTime, nanosHex, podReference, referenceOf, rfc3339 } from '../../../../src/cluster/client/event-recorder';
import { ManualClock } from '../../../../src/cluster/clock';
import type { ApiRequest } from '../../../../src/cluster/apiserver/types';

function recordingClient(): { client: ApiClient; requests: ApiRequest[] } {
  const requests: ApiRequest[] = [];
  const client = new ApiClient(async (request) => {
    requests.push(request);
    return { status: 201, headers: {}, body: request.body };
  }, { name: 'system:node:node-1', groups: ['system:nodes'] });
  return { client, requests };
}

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nginx', namespace: 'default', uid: 'u-1', resourceVersion: '7' } };

test('a core/v1 event is created with the kubelet source, a field path and second-precision times', async () => {
  const clock = new ManualClock();
  const { client, requests } = recordingClient();
  const recorder = new EventRecorder(client, clock, { component: 'kubelet', host: 'node-1' });
  recorder.event(pod, 'Normal', 'Pulling', 'Pulling image "nginx:1.27"', 'spec.containers{nginx}');
  await recorder.flush();
  assert.equal(requests.length, 1);
  const body = requests[0]!.body as Record<string, any>;
  assert.equal(requests[0]!.method, 'POST');
  assert.equal(requests[0]!.path, '/api/v1/namespaces/default/events');
  assert.match(body.metadata.name, /^nginx\.[0-9a-f]{16}$/);
  assert.deepEqual(body.involvedObject, { kind: 'Pod', namespace: 'default', name: 'nginx', uid: 'u-1', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{nginx}' });
  assert.deepEqual(body.source, { component: 'kubelet', host: 'node-1' });
  assert.equal(body.count, 1);
  assert.equal(body.firstTimestamp, '2026-01-01T00:00:00Z');
  assert.equal(body.lastTimestamp, '2026-01-01T00:00:00Z');
  assert.equal(body.type, 'Normal');
});

test('a repeated event increments count and lastTimestamp on the same object', async () => {
  const clock = new ManualClock();
  const { client, requests } = recordingClient();
  const recorder = new EventRecorder(client, clock, { component: 'kubelet', host: 'node-1' });
  const message = 'Back-off restarting failed container nginx in pod nginx_default(u-1)';
  recorder.event(pod, 'Warning', 'BackOff', message, 'spec.containers{nginx}');
  await clock.advance(20_000);
  recorder.event(pod, 'Warning', 'BackOff', message, 'spec.containers{nginx}');
  await clock.advance(40_000);
  recorder.event(pod, 'Warning', 'BackOff', message, 'spec.containers{nginx}');
  await recorder.flush();
  assert.deepEqual(requests.map((r) => r.method), ['POST', 'PATCH', 'PATCH']);
  const name = (requests[0]!.body as any).metadata.name;
  assert.equal(requests[2]!.path, `/api/v1/namespaces/default/events/${name}`);
  assert.deepEqual(requests[2]!.body, { count: 3, lastTimestamp: '2026-01-01T00:01:00Z' });
});

test('a different message is a different event', async () => {
  const clock = new ManualClock();
  const { client, requests } = recordingClient();
  const recorder = new EventRecorder(client, clock, { component: 'kubelet', host: 'node-1' });
  recorder.event(pod, 'Normal', 'Killing', 'Stopping container nginx');
  recorder.event(pod, 'Normal', 'Started', 'Started container nginx');
  await recorder.flush();
  assert.deepEqual(requests.map((r) => r.method), ['POST', 'POST']);
});

test('events about a node go to the default namespace', async () => {
  const clock = new ManualClock();
  const { client, requests } = recordingClient();
  const recorder = new EventRecorder(client, clock, { component: 'kubelet', host: 'node-1' });
  recorder.event({ kind: 'Node', name: 'node-1', uid: 'node-1' }, 'Normal', 'Starting', 'Starting kubelet.');
  await recorder.flush();
  assert.equal(requests[0]!.path, '/api/v1/namespaces/default/events');
});

test('events.k8s.io/v1 events carry action, reportingController and a series on repeat', async () => {
  const clock = new ManualClock();
  const { client, requests } = recordingClient();
  const recorder = new EventsV1Recorder(client, clock, 'default-scheduler', 'default-scheduler-kube-sim');
  recorder.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', '0/3 nodes are available: 3 Insufficient cpu.');
  await clock.advance(1500);
  recorder.eventf(pod, undefined, 'Warning', 'FailedScheduling', 'Scheduling', '0/3 nodes are available: 3 Insufficient cpu.');
  await recorder.flush();
  assert.equal(requests[0]!.path, '/apis/events.k8s.io/v1/namespaces/default/events');
  const body = requests[0]!.body as any;
  assert.equal(body.reportingController, 'default-scheduler');
  assert.equal(body.action, 'Scheduling');
  assert.equal(body.eventTime, '2026-01-01T00:00:00.000000Z');
  assert.equal(body.note, '0/3 nodes are available: 3 Insufficient cpu.');
  assert.deepEqual(requests[1]!.body, { series: { count: 2, lastObservedTime: '2026-01-01T00:00:01.500000Z' } });
});

test('time formats', () => {
  const ms = Date.parse('2026-03-04T05:06:07.891Z');
  assert.equal(rfc3339(ms), '2026-03-04T05:06:07Z');
  assert.equal(microTime(ms), '2026-03-04T05:06:07.891000Z');
});

test('time formats at year boundaries and beyond four-digit years', () => {
  assert.equal(rfc3339(Date.UTC(1999, 11, 31, 23, 59, 59, 999)), '1999-12-31T23:59:59Z');
  assert.equal(microTime(Date.UTC(2000, 0, 1, 0, 0, 0, 5)), '2000-01-01T00:00:00.005000Z');
  assert.equal(rfc3339(Date.UTC(10000, 0, 1)), '+010000-01-01T00:00:00Z');
});

test('rfc3339 gives each second its own text, whatever seconds are formatted in between (remembered ones included)', () => {
  const start = Date.parse('2026-01-01T00:00:00Z');
  // Seconds that share remembered slots, alternating with a far one, before and after 1970 and 2038.
  const seconds = [0, 64, 128, 1, 65, -1, -65, 2 ** 31, 2 ** 31 + 64, 3_000_000_000];
  for (let round = 0; round < 3; round++) {
    for (const s of seconds) {
      const ms = start + s * 1000 + 999;
      assert.equal(rfc3339(ms), new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
      assert.equal(rfc3339(start), '2026-01-01T00:00:00Z');
    }
  }
});

test('the involved object: empty members left out, order kept, fieldPath last or in its own place', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '' } };
  assert.equal(JSON.stringify(referenceOf(pod, 'spec.containers{nginx}')), '{"kind":"Pod","namespace":"default","name":"web","uid":"u-1","apiVersion":"v1","fieldPath":"spec.containers{nginx}"}');
  assert.equal(JSON.stringify(referenceOf({ kind: 'Node', name: 'node-1', uid: 'node-1', apiVersion: 'v1', namespace: '' })), '{"kind":"Node","name":"node-1","uid":"node-1","apiVersion":"v1"}');
  assert.equal(JSON.stringify(referenceOf({ kind: 'Pod', fieldPath: undefined, name: 'web' }, 'spec')), '{"kind":"Pod","fieldPath":"spec","name":"web"}');
  assert.equal(JSON.stringify(referenceOf({ kind: 'Pod', fieldPath: 'x', name: '' })), '{"kind":"Pod","fieldPath":"x"}');
});

test('an event name ends in the hex of its unix nanoseconds, exactly as a 64-bit integer would print', () => {
  const exact = (ms: number, extra: number) => (BigInt(ms) * 1_000_000n + BigInt(extra)).toString(16);
  const jan2026 = Date.parse('2026-01-01T00:00:00Z');
  for (const ms of [0, 1, 2 ** 24 - 1, 2 ** 24, jan2026, jan2026 + 999, 2 ** 42 - 1]) {
    for (const extra of [0, 1, 65_535, 999_999]) assert.equal(nanosHex(ms, extra), exact(ms, extra), `${ms} ms + ${extra} ns`);
  }
  assert.equal(nanosHex(jan2026, 1).length, 16);
});

test('an event past the correlation window is written anew, also when the recorder was pruned while idle', async () => {
  const clock = new ManualClock();
  const { client, requests } = recordingClient();
  const recorder = new EventRecorder(client, clock, { component: 'kubelet', host: 'node-1' });
  recorder.event(pod, 'Normal', 'Pulled', 'Container image "nginx:1.27" already present on machine');
  await clock.advance(9 * 60_000);
  recorder.prune();
  recorder.event(pod, 'Normal', 'Pulled', 'Container image "nginx:1.27" already present on machine');
  await clock.advance(10 * 60_000 + 1);
  recorder.prune();
  recorder.event(pod, 'Normal', 'Pulled', 'Container image "nginx:1.27" already present on machine');
  await recorder.flush();
  assert.deepEqual(requests.map((r) => r.method), ['POST', 'PATCH', 'POST']);
});

test('repeats of an event whose create is still in flight are patched only after it, and flush waits for every write', async () => {
  const clock = new ManualClock();
  const log: string[] = [];
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => { release = resolve; });
  const client = new ApiClient(async (request) => {
    log.push(`${request.method} start`);
    if (request.method === 'POST') await held;
    log.push(`${request.method} done`);
    return { status: request.method === 'POST' ? 201 : 200, headers: {}, body: request.body };
  }, { name: 'system:node:node-1', groups: ['system:nodes'] });
  const recorder = new EventRecorder(client, clock, { component: 'kubelet', host: 'node-1' });
  const message = 'Readiness probe failed: connection refused';
  recorder.event(pod, 'Warning', 'Unhealthy', message);
  recorder.event(pod, 'Warning', 'Unhealthy', message);
  recorder.event(pod, 'Warning', 'Unhealthy', message);
  // Another event's create in flight does not hold these back.
  recorder.event(pod, 'Normal', 'Killing', 'Stopping container nginx');
  let flushed = false;
  const flushing = recorder.flush().then(() => { flushed = true; });
  for (let i = 0; i < 5; i++) await Promise.resolve();
  assert.equal(flushed, false);
  assert.deepEqual(log.filter((l) => l.startsWith('PATCH')), []);
  release();
  await flushing;
  // The PATCHes came after the create they repeat, and the later count went out (the earlier one, stale, is skipped).
  assert.ok(log.indexOf('PATCH start') > log.indexOf('POST done'));
  assert.deepEqual(log.filter((l) => l === 'PATCH done').length, 1);
  // Once settled, a repeat patches at once and flush has nothing left to wait for.
  recorder.event(pod, 'Warning', 'Unhealthy', message);
  await recorder.flush();
  assert.equal(log.filter((l) => l === 'PATCH done').length, 2);
});

test('podReference is the reference referenceOf makes of a Pod with that metadata, members in the same order', () => {
  const cases: [string | undefined, string | undefined, string | undefined, string | undefined, string | undefined][] = [
    ['default', 'web', 'u-1', '7', 'spec.containers{web}'],
    ['default', 'web', 'u-1', '7', undefined],
    ['', 'web', 'u-1', '7', 'spec.containers{web}'],
    ['default', 'web', '', undefined, undefined],
    [undefined, undefined, undefined, undefined, 'spec.containers{web}'],
  ];
  for (const [namespace, name, uid, resourceVersion, fieldPath] of cases) {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name, uid, resourceVersion } };
    assert.equal(JSON.stringify(podReference(namespace, name, uid, resourceVersion, fieldPath)), JSON.stringify(referenceOf(pod, fieldPath)));
  }
});
