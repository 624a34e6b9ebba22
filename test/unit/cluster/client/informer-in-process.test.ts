/**
 * What an in-process informer takes from the registry: for a resource stored in another's shape
 * (events.k8s.io/v1 events are core/v1 events in the store), objects that are decoded again in the
 * informer's own version once collected; for a list, the registry's objects and not its text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { KubeObject } from '../../../../src/cluster/api/types';
import { ManualClock } from '../../../../src/cluster/clock';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { ApiServer } from '../../../../src/cluster/apiserver/server';
import { allResources } from '../../../../src/cluster/apiserver/registry/kinds';
import { inProcessTransport } from '../../../../src/cluster/apiserver/transport/in-process';
import { handleOf, handleStats } from '../../../../src/cluster/apiserver/registry/handle';
import { ApiClient, EVENTS_V1, NAMESPACES, type ResourceClient } from '../../../../src/cluster/client/client';
import { Informer } from '../../../../src/cluster/client/informer';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('an events.k8s.io/v1 informer\'s event, collected and decoded again, is still an events.k8s.io/v1 Event', async () => {
  const server = new ApiServer({ kv: new MemoryStore(), clock: new ManualClock(), resources: allResources });
  const client = new ApiClient(inProcessTransport(server), { name: 'system:admin', groups: ['system:masters'] });
  await client.resource(NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const events = client.resource(EVENTS_V1) as ResourceClient<KubeObject>;
  const informer = new Informer(events).start();
  await informer.waitForSync();
  try {
    await events.create({
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'web.1', namespace: 'default' },
      eventTime: '2026-01-01T00:00:00.000000Z', reportingController: 'kubelet', reportingInstance: 'node-1', action: 'Started',
      reason: 'Started', regarding: { kind: 'Pod', namespace: 'default', name: 'web' }, note: 'Started container web', type: 'Normal',
    } as KubeObject);
    for (let i = 0; i < 1000 && informer.get('default/web.1') === undefined; i++) await new Promise((resolve) => setImmediate(resolve));
    // Read in a function of its own: no variable of this one keeps the object alive.
    const { seen, ref } = ((): { seen: object; ref: WeakRef<KubeObject> } => {
      const first = informer.get('default/web.1')!;
      assert.ok(handleOf(first), 'held by its handle');
      assert.equal(first.apiVersion, 'events.k8s.io/v1');
      return { seen: { apiVersion: first.apiVersion, note: (first as { note?: string }).note, resourceVersion: first.metadata.resourceVersion }, ref: new WeakRef(first) };
    })();
    // Let the registry's strong set go (its last 2,048 decodes) and collect.
    const registry = server.parts.registries.find('events.k8s.io', 'v1', 'events')!;
    for (let i = 0; i < 2100; i++) registry.shared({ key: `/registry/events/filler/e${i}`, value: `{"apiVersion":"v1","kind":"Event","metadata":{"name":"e${i}","namespace":"filler"},"involvedObject":{},"message":"m"}`, createRevision: 1, modRevision: 1, version: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    assert.equal(ref.deref(), undefined, 'collected');
    const before = handleStats.redecoded;
    const again = informer.get('default/web.1')!;
    assert.equal(handleStats.redecoded, before + 1);
    assert.deepEqual({ apiVersion: again.apiVersion, note: (again as { note?: string }).note, resourceVersion: again.metadata.resourceVersion }, seen);
  } finally {
    informer.stop();
  }
});

test('an informer\'s list in process takes the registry\'s objects without the list\'s text being made', async () => {
  const server = new ApiServer({ kv: new MemoryStore(), clock: new ManualClock(), resources: allResources });
  const client = new ApiClient(inProcessTransport(server), { name: 'system:admin', groups: ['system:masters'] });
  await client.resource(NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const registry = server.parts.registries.core('namespaces');
  let texts = 0;
  const listText = registry.listText.bind(registry);
  registry.listText = (result) => { texts++; return listText(result); };
  const informer = new Informer(client.resource(NAMESPACES) as ResourceClient<KubeObject>).start();
  try {
    await informer.waitForSync();
    assert.ok(handleOf(informer.get('default')!));
    // The text of a list of 150,000 pods is hundreds of megabytes, made for nobody.
    assert.equal(texts, 0);
    // A caller of its own still gets the list (the text, parsed).
    const list = await client.resource(NAMESPACES).list();
    assert.deepEqual(list.items.map((n) => n.metadata.name), ['default']);
    assert.equal(texts, 1);
  } finally {
    informer.stop();
  }
});
