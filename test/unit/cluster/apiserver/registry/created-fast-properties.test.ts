/**
 * A created object the registry stores as itself (created-shape.ts) lives as long as the object
 * does in every informer: it must not be one V8 keeps in dictionary mode, which an object is once a
 * member other than its last was deleted from it. The create path deletes members in several
 * places (metadata rules, strategies, pruning of unknown fields); whatever it deleted, the stored
 * object and its metadata have fast properties (read with V8's %HasFastProperties).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import type { KubeObject } from '../../../../../src/cluster/api/types';
import { ManualClock } from '../../../../../src/cluster/clock';
import { MemoryStore } from '../../../../../src/cluster/store/memory';
import { ApiServer } from '../../../../../src/cluster/apiserver/server';
import { allResources } from '../../../../../src/cluster/apiserver/registry/kinds';
import { inProcessTransport } from '../../../../../src/cluster/apiserver/transport/in-process';
import { ApiClient, CONFIGMAPS, EVENTS, NAMESPACES, PODS, SECRETS, SERVICEACCOUNTS, type GroupVersionResource } from '../../../../../src/cluster/client/client';
import { Informer } from '../../../../../src/cluster/client/informer';

setFlagsFromString('--allow-natives-syntax');
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;

async function cluster(): Promise<{ clock: ManualClock; admin: ApiClient }> {
  const clock = new ManualClock();
  const server = new ApiServer({ kv: new MemoryStore(), clock, resources: allResources });
  const admin = new ApiClient(inProcessTransport(server), { name: 'system:admin', groups: ['system:masters'] });
  await admin.resource(NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  // Pods need their service account (the ServiceAccount admission plugin).
  await admin.resource(SERVICEACCOUNTS).create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'default' } });
  return { clock, admin };
}

/** The stored object of `body` once created, as an informer of its resource holds it (the write's own object). */
async function stored(gvr: GroupVersionResource, body: KubeObject, query?: Record<string, string>): Promise<KubeObject> {
  const { clock, admin } = await cluster();
  const informer = new Informer<KubeObject>(admin.resource<KubeObject>(gvr), {}, clock);
  informer.start();
  await informer.waitForSync();
  // Its watch under way: the create's watch fan-out takes the written object for it.
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
  await admin.resource<KubeObject>(gvr).create(body, { namespace: 'default', ...query });
  await clock.advance(0);
  for (let i = 0; i < 10 && informer.get(`default/${body.metadata.name}`) === undefined; i++) await new Promise((resolve) => setImmediate(resolve));
  const object = informer.get(`default/${body.metadata.name}`);
  informer.stop();
  assert.ok(object, 'the informer has the created object');
  return object;
}

function assertFast(object: KubeObject, what: string): void {
  assert.deepEqual([hasFastProperties(object), hasFastProperties(object.metadata)], [true, true], `${what}: the object and its metadata have fast properties`);
}

test('the natives syntax reads dictionary mode (the check below can fail)', () => {
  const object = JSON.parse('{"a":1,"b":2,"c":3}') as Record<string, unknown>;
  assert.ok(hasFastProperties(object));
  delete object.b;
  assert.ok(!hasFastProperties(object));
});

test('a pod whose status the strategy drops (it comes before spec) is stored with fast properties', async () => {
  const body = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    status: { phase: 'Running' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  } as KubeObject;
  const pod = await stored(PODS, body);
  assert.equal((pod.status as { phase: string }).phase, 'Pending');
  assertFast(pod, 'pod');
});

test('a ConfigMap whose empty finalizers and ownerReferences the registry drops is stored with fast properties', async () => {
  const body = {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: [], ownerReferences: [], namespace: 'default', labels: { a: 'b' } }, data: { a: 'b' },
  } as KubeObject;
  const cm = await stored(CONFIGMAPS, body);
  assert.equal(cm.metadata.finalizers, undefined);
  assert.equal(cm.metadata.ownerReferences, undefined);
  assertFast(cm, 'configmap');
});

test('a Secret whose stringData is folded into data is stored with fast properties', async () => {
  const body = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, stringData: { user: 'admin' }, type: 'Opaque' } as KubeObject;
  const secret = await stored(SECRETS, body);
  assert.equal(secret.stringData, undefined);
  assert.deepEqual(secret.data, { user: Buffer.from('admin').toString('base64') });
  assertFast(secret, 'secret');
});

test('a ConfigMap whose unknown fields are pruned (top level and metadata) is stored with fast properties', async () => {
  const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', bogus: 1, namespace: 'default' }, extra: true, data: { a: 'b' } } as unknown as KubeObject;
  const cm = await stored(CONFIGMAPS, body, { fieldValidation: 'Ignore' });
  assert.equal((cm as { extra?: unknown }).extra, undefined);
  assert.equal((cm.metadata as { bogus?: unknown }).bogus, undefined);
  assertFast(cm, 'configmap');
});

test('an Event with nothing deleted is stored with fast properties too', async () => {
  const body = {
    apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, reason: 'Pulled', message: 'pulled', type: 'Normal',
  } as KubeObject;
  assertFast(await stored(EVENTS, body), 'event');
});

test('an object server-side apply creates, whose null members the merge drops, is stored with fast properties', async () => {
  const { clock, admin } = await cluster();
  const informer = new Informer<KubeObject>(admin.resource<KubeObject>(CONFIGMAPS), {}, clock);
  informer.start();
  await informer.waitForSync();
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
  const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace: 'default' }, immutable: null, data: { a: 'b' }, binaryData: null };
  await admin.resource<KubeObject>(CONFIGMAPS).patch('applied', 'apply', config, { namespace: 'default', fieldManager: 'test' });
  await clock.advance(0);
  const cm = informer.get('default/applied');
  informer.stop();
  assert.ok(cm);
  assert.equal((cm as { immutable?: unknown }).immutable, undefined);
  assertFast(cm, 'applied configmap');
});
