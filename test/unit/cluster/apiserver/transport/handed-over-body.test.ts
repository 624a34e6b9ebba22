/**
 * A body handed over in process (ApiRequest.bodyHandedOver: the event recorders' creates) is the
 * server's and is not copied; everything a client sees is what the same body sent for copying gives:
 * the stored object byte for byte (managedFields too), the warnings and the error answers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../../src/cluster/api/types';
import { ManualClock } from '../../../../../src/cluster/clock';
import { MemoryStore } from '../../../../../src/cluster/store/memory';
import { ApiServer } from '../../../../../src/cluster/apiserver/server';
import { allResources } from '../../../../../src/cluster/apiserver/registry/kinds';
import { inProcessTransport } from '../../../../../src/cluster/apiserver/transport/in-process';
import { StatusError } from '../../../../../src/cluster/api/errors';
import type { ApiRequest } from '../../../../../src/cluster/apiserver/types';
import { ApiClient, CONFIGMAPS, EVENTS, EVENTS_V1, NAMESPACES, type ResourceClient } from '../../../../../src/cluster/client/client';
import { EventRecorder, EventsV1Recorder } from '../../../../../src/cluster/client/event-recorder';

const kubelet = { name: 'system:node:node-1', groups: ['system:nodes', 'system:authenticated'] };
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '7' } };

async function cluster(): Promise<{ clock: ManualClock; admin: ApiClient; kubeletClient: ApiClient }> {
  const clock = new ManualClock();
  const server = new ApiServer({ kv: new MemoryStore(), clock, resources: allResources });
  const transport = inProcessTransport(server);
  const admin = new ApiClient(transport, { name: 'system:admin', groups: ['system:masters'] });
  await admin.resource(NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return { clock, admin, kubeletClient: admin.as(kubelet, 'kubelet/v1.32.0 (linux/amd64) kubernetes/70d3cc9') };
}

/**
 * The served JSON of an object with what differs between two creates of one body (uid,
 * resourceVersion; the name when `name` is given) blanked: members keep their places.
 */
function comparable(object: KubeObject, name = object.metadata.name): string {
  return JSON.stringify({ ...object, metadata: { ...object.metadata, name, uid: '-', resourceVersion: '-' } });
}

/** The same body created again, copied by the server this time (createWithWarnings), under `name`. */
async function createdByCopy(client: ResourceClient<KubeObject>, body: KubeObject, name: string): Promise<KubeObject> {
  const again = JSON.parse(JSON.stringify(body)) as KubeObject;
  again.metadata.name = name;
  await client.createWithWarnings(again, { namespace: 'default' });
  return client.get(name, { namespace: 'default' });
}

test('a kubelet event, handed over by the recorder, is stored byte for byte as the same Event copied by the server', async () => {
  const { clock, admin, kubeletClient } = await cluster();
  // The recorder's requests, watched on their way in: the body each hands over, as sent.
  const sent: ApiRequest[] = [];
  const bodies: KubeObject[] = [];
  const watching = new ApiClient((request) => {
    sent.push(request);
    bodies.push(JSON.parse(JSON.stringify(request.body)) as KubeObject);
    return kubeletClient.transport(request);
  }, kubelet, 'kubelet/v1.32.0 (linux/amd64) kubernetes/70d3cc9');
  const recorder = new EventRecorder(watching, clock, { component: 'kubelet', host: 'node-1' });
  const events = kubeletClient.resource(EVENTS);
  recorder.event(pod, 'Normal', 'Pulling', 'Pulling image "nginx:1.27"', 'spec.containers{web}');
  recorder.event(pod, 'Normal', 'Started', 'Started container web', 'spec.containers{web}');
  await recorder.flush();
  assert.equal(bodies.length, 2);
  assert.ok(sent.every((r) => r.bodyHandedOver === true));
  const reader = admin.resource(EVENTS);
  for (const body of bodies) {
    const stored = await reader.get(body.metadata.name!, { namespace: 'default' });
    assert.equal(stored.metadata.managedFields?.[0]?.manager, 'kubelet');
    const copied = await createdByCopy(events, body, `copy-${body.metadata.name!}`);
    assert.equal(comparable(copied, '-'), comparable(stored, '-'));
  }
});

test('an events.k8s.io event, handed over by the scheduler\'s recorder, is stored as the same Event copied by the server', async () => {
  const { clock, admin } = await cluster();
  const scheduler = admin.as({ name: 'system:kube-scheduler', groups: ['system:authenticated'] }, 'kube-scheduler/v1.32.0');
  const recorder = new EventsV1Recorder(scheduler, clock, 'default-scheduler', 'default-scheduler-kube-sim');
  recorder.eventf(pod, undefined, 'Normal', 'Scheduled', 'Binding', 'Successfully assigned default/web to node-1');
  await recorder.flush();
  const events = admin.resource(EVENTS_V1);
  const [stored] = (await events.list({ namespace: 'default' })).items;
  assert.ok(stored);
  const body = { ...stored, metadata: { name: 'again', namespace: 'default' } } as KubeObject;
  const copied = await createdByCopy(scheduler.resource(EVENTS_V1), body, 'again');
  assert.equal(comparable(copied, '-'), comparable(stored, '-'));
});

test('a handed-over body is the server\'s: it is stored as it is, where a sent one is copied and left alone', async () => {
  const { admin } = await cluster();
  const configmaps = admin.resource(CONFIGMAPS);
  const sent = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sent', namespace: 'default' }, data: { a: '1' } } as KubeObject;
  await configmaps.createWithWarnings(sent);
  assert.equal(sent.metadata.uid, undefined, 'the server wrote on a copy');
  const handed = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'handed', namespace: 'default' }, data: { a: '1' } } as KubeObject;
  await configmaps.createHandingOver(handed);
  assert.match(handed.metadata.uid ?? '', /^[0-9a-f-]{36}$/, 'the server wrote on the body itself');
  const stored = await configmaps.get('handed', { namespace: 'default' });
  assert.equal(comparable(stored, '-'), comparable(await configmaps.get('sent', { namespace: 'default' }), '-'));
});

test('bad input handed over gets the answer it gets sent for copying: unknown fields, invalid events, a namespace mismatch', async () => {
  const { kubeletClient } = await cluster();
  const events = kubeletClient.resource(EVENTS);
  const event = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u-1', apiVersion: 'v1' },
    reason: 'Pulling', message: 'Pulling image', source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:00:00Z', count: 1, type: 'Normal',
    eventTime: null, reportingComponent: 'kubelet', reportingInstance: 'node-1', ...extra,
  } as KubeObject);
  const answer = async (create: () => Promise<unknown>): Promise<unknown> => {
    try {
      const result = await create() as { warnings: string[]; object: KubeObject };
      return { warnings: result.warnings, object: comparable(result.object) };
    } catch (err) {
      assert.ok(err instanceof StatusError);
      return { code: err.status.code, reason: err.status.reason, message: err.status.message, details: err.status.details };
    }
  };
  const cases: [string, Record<string, unknown>, { fieldValidation?: 'Strict' }][] = [
    ['unknown-warned', { bogus: 1, involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', extra: 'x' } }, {}],
    ['unknown-strict', { bogus: 1 }, { fieldValidation: 'Strict' }],
    ['wrong-type', { count: 'one' }, {}],
    ['involved-elsewhere', { type: 'Odd', involvedObject: { kind: 'Pod', namespace: 'elsewhere', name: 'web' } }, {}],
  ];
  for (const [name, extra, options] of cases) {
    const copied = await answer(() => events.createWithWarnings(event(name, extra), { namespace: 'default', ...options }));
    const handed = await answer(() => events.createHandingOver(event(`${name}-2`, extra), { namespace: 'default', ...options }));
    assert.deepEqual(JSON.parse(JSON.stringify(handed).replaceAll(`${name}-2`, name)), JSON.parse(JSON.stringify(copied)), name);
  }
  const elsewhere = event('elsewhere');
  elsewhere.metadata.namespace = 'kube-system';
  const mismatch = await answer(() => events.createWithWarnings(event('elsewhere', { metadata: { name: 'elsewhere', namespace: 'kube-system' } }), { namespace: 'default' }));
  assert.deepEqual(await answer(() => events.createHandingOver(elsewhere, { namespace: 'default' })), mismatch);
});
