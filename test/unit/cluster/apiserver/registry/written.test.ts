import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, Pod, WatchEvent } from '../../../../../src/cluster/api/types';
import { NODES, PODS } from '../../../../../src/cluster/client/client';
import { settle } from '../../../../../src/cluster/clock';
import { decodeKv, servedJsonOf, withResourceVersion } from '../../../../../src/cluster/apiserver/registry/codec';
import { jsonExact, WrittenObjects } from '../../../../../src/cluster/apiserver/registry/written';
import { pod, startCluster } from '../fixture';

test('jsonExact: only values JSON.parse(JSON.stringify(v)) gives back unchanged', () => {
  assert.equal(jsonExact({ a: [1, 'x', null, true, { b: {} }], c: -1.5 }), true);
  assert.equal(jsonExact({ a: undefined }), false);
  assert.equal(jsonExact({ a: [1, undefined] }), false);
  // eslint-disable-next-line no-sparse-arrays
  assert.equal(jsonExact({ a: [1, , 2] }), false);
  assert.equal(jsonExact({ a: NaN }), false);
  assert.equal(jsonExact({ a: Infinity }), false);
  assert.equal(jsonExact({ a: -0 }), false);
  assert.equal(jsonExact({ a: new Date(0) }), false);
  assert.equal(jsonExact({ a: Object.create(null) as object }), false);
  assert.equal(jsonExact({ a: () => 1 }), false);
  assert.equal(jsonExact(JSON.parse('{"__proto__":{"x":1}}')), false);
  // Frozen values are trusted, not walked: the registry freezes only values decoded or checked already.
  assert.equal(jsonExact({ a: 1, shared: Object.freeze({ b: undefined }) }), true);
});

/** Every watch event of pods/default as it arrives, and the stored key-value at each revision. */
async function watchPods(cluster: Awaited<ReturnType<typeof startCluster>>) {
  const events: WatchEvent[] = [];
  let ended: Error | undefined | 'ended';
  const list = await cluster.client().resource(PODS).list({ namespace: 'default' });
  const handle = cluster.client().resource(PODS).watch(
    { namespace: 'default', resourceVersion: list.metadata.resourceVersion! },
    (e) => events.push(e as WatchEvent),
    (err) => { ended = err ?? 'ended'; },
  );
  return { events, ended: () => ended, stop: () => handle.stop() };
}

async function storedAt(cluster: Awaited<ReturnType<typeof startCluster>>, name: string, revision: number): Promise<KubeObject> {
  const kv = (await cluster.store.range({ key: `/registry/pods/default/${name}`, revision })).kvs[0]!;
  assert.equal(kv.modRevision, revision);
  return decodeKv(kv);
}

/** Each watch event of pod `name` carries exactly what the store holds at its revision. */
async function assertEventsAreStored(cluster: Awaited<ReturnType<typeof startCluster>>, name: string, events: { object: KubeObject }[]): Promise<void> {
  for (const event of events) {
    const stored = await storedAt(cluster, name, Number(event.object.metadata.resourceVersion));
    assert.equal(JSON.stringify(event.object), JSON.stringify(stored));
  }
}

test('watch events of creates, status patches and a graceful delete carry exactly the stored object, frozen, apart from what writers get', async () => {
  const cluster = await startCluster();
  try {
    // A Node no kubelet runs: its pod is deleted gracefully, and only the writes below change it.
    await cluster.client().resource(NODES).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'quiet' } });
    const watch = await watchPods(cluster);
    const pods = cluster.client().resource<Pod>(PODS);
    const created = await pods.create(pod('web', { labels: { app: 'web' } }, { nodeName: 'quiet', terminationGracePeriodSeconds: 30 }));
    const status = (phase: string, ready: string) => ({
      status: { phase, conditions: [{ type: 'Ready', status: ready }], containerStatuses: [{ name: 'app', image: 'nginx:1.27', imageID: '', ready: ready === 'True', restartCount: 0, state: {} }] },
    });
    const patched = await pods.patch('web', 'merge', status('Pending', 'False'), { namespace: 'default', subresource: 'status', fieldManager: 'kubelet' });
    await pods.patch('web', 'merge', status('Running', 'True'), { namespace: 'default', subresource: 'status', fieldManager: 'kubelet' });
    const terminating = await pods.delete('web', { namespace: 'default' });
    await pods.patch('web', 'merge', status('Succeeded', 'False'), { namespace: 'default', subresource: 'status', fieldManager: 'kubelet' });
    await pods.delete('web', { namespace: 'default', gracePeriodSeconds: 0 });
    await settle();

    assert.equal(watch.ended(), undefined);
    // The final delete (grace 0) writes its mark, then deletes.
    assert.deepEqual(watch.events.map((e) => e.type), ['ADDED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'DELETED']);
    for (const event of watch.events.slice(0, 6)) {
      const rv = Number(event.object.metadata.resourceVersion);
      const stored = await storedAt(cluster, 'web', rv);
      // Equal to a decode of the stored text, key order included, and served over HTTPS as that text.
      assert.equal(JSON.stringify(event.object), JSON.stringify(stored));
      const kv = (await cluster.store.range({ key: '/registry/pods/default/web', revision: rv })).kvs[0]!;
      assert.equal(servedJsonOf(event.object), withResourceVersion(kv.value, rv));
      assert.ok(Object.isFrozen(event.object) && Object.isFrozen(event.object.metadata) && Object.isFrozen((event.object as Pod).spec.containers[0]));
      assert.throws(() => { (event.object as Pod).status!.phase = 'Failed'; }, TypeError);
    }
    // What the writers got back is theirs: equal content, not the watched object, and writable.
    for (const [mine, event] of [[created, watch.events[0]!], [patched, watch.events[1]!], [terminating as Pod, watch.events[3]!]] as const) {
      assert.deepEqual(mine, JSON.parse(JSON.stringify(event.object)));
      assert.notEqual(mine, event.object);
      mine.metadata.labels = { changed: 'yes' };
    }
    assert.deepEqual(watch.events[3]!.object.metadata.labels, { app: 'web' });
    watch.stop();
  } finally {
    await cluster.stop();
  }
});

test('a written object is taken once, by the key and the exact text it was written as; an inexact one never', () => {
  const written = new WrittenObjects();
  // Each offer a fresh object, as each write's shape is: a taken one is frozen.
  const fresh = () => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }) as KubeObject;
  const object = fresh();
  const text = JSON.stringify(object);
  written.offer('/registry/pods/default/p', text, object);
  assert.equal(written.take('/registry/pods/default/q', text, 7), undefined);
  assert.equal(written.take('/registry/pods/default/p', `${text} `, 7), undefined);
  assert.equal(written.take('/registry/pods/default/p', text, 7), object);
  assert.equal(written.take('/registry/pods/default/p', text, 7), undefined);

  // A later write's offer replaces an earlier one; withdrawing the earlier one leaves it.
  const first = written.offer('/registry/pods/default/p', text, fresh());
  const second = written.offer('/registry/pods/default/p', text, fresh());
  written.withdraw('/registry/pods/default/p', first);
  assert.equal(written.take('/registry/pods/default/p', text, 7), second.object);
  const third = written.offer('/registry/pods/default/p', text, fresh());
  written.withdraw('/registry/pods/default/p', third);
  assert.equal(written.take('/registry/pods/default/p', text, 7), undefined);

  // JSON.stringify drops the undefined member: the text's decode is not this object.
  const inexact = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: { a: 'x', b: undefined } } } as unknown as KubeObject;
  written.offer('/registry/pods/default/p', JSON.stringify(inexact), inexact);
  assert.equal(written.take('/registry/pods/default/p', JSON.stringify(inexact), 7), undefined);
});

test('a status merge patch that does not name the spec keeps the stored spec itself; one that names it keeps the stored spec as well', async () => {
  const cluster = await startCluster();
  try {
    const watch = await watchPods(cluster);
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(pod('p', {}, { schedulerName: 'none' }));
    await pods.patch('p', 'merge', { status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }] } }, { namespace: 'default', subresource: 'status', fieldManager: 'kubelet' });
    await pods.patch('p', 'merge', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, { namespace: 'default', subresource: 'status', fieldManager: 'kubelet' });
    await pods.patch('p', 'merge', { spec: { activeDeadlineSeconds: 5 }, status: { message: 'm' } }, { namespace: 'default', subresource: 'status', fieldManager: 'kubelet' });
    await settle();
    assert.equal(watch.ended(), undefined);
    const [added, first, second, third] = watch.events.map((e) => e.object as Pod);
    assert.equal(watch.events.length, 4);
    // Shared, not copied: the spec of each revision is the one before it (frozen, as they all are).
    assert.equal(first!.spec, added!.spec);
    assert.equal(second!.spec, first!.spec);
    assert.ok(Object.isFrozen(second!.spec));
    assert.equal(second!.status!.conditions![0]!.status, 'True');
    // Naming the spec through the status subresource changes nothing in it.
    assert.deepEqual(third!.spec, added!.spec);
    assert.equal(third!.status!.message, 'm');
    await assertEventsAreStored(cluster, 'p', watch.events);
    watch.stop();
  } finally {
    await cluster.stop();
  }
});

test('a status merge patch replacing lists and scalars of the stored status leaves the stored revision as it was: removed, replaced and kept members each as the patch says (the registry shares the stored members it replaces with its copy)', async () => {
  const cluster = await startCluster();
  try {
    const watch = await watchPods(cluster);
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(pod('p', {}, { schedulerName: 'none' }));
    const status = { phase: 'Pending', message: 'm', conditions: [{ type: 'Ready', status: 'False' }], podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }] };
    await pods.patch('p', 'merge', { status }, { namespace: 'default', subresource: 'status', fieldManager: 'kubelet' });
    await pods.patch('p', 'merge', { metadata: { uid: (await pods.get('p', { namespace: 'default' })).metadata.uid }, status: { message: null, conditions: [{ type: 'Ready', status: 'True' }], podIP: '10.0.0.2', podIPs: [{ ip: '10.0.0.2' }] } }, { namespace: 'default', subresource: 'status', fieldManager: 'kubelet' });
    await settle();
    const [, first, second] = watch.events.map((e) => e.object as Pod);
    assert.equal(watch.events.length, 3);
    assert.deepEqual({ ...first!.status, qosClass: undefined }, { ...status, conditions: [{ type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: null }], qosClass: undefined });
    assert.equal(second!.status!.phase, 'Pending');
    assert.equal(second!.status!.message, undefined);
    assert.equal(second!.status!.podIP, '10.0.0.2');
    assert.equal(first!.status!.podIP, '10.0.0.1');
    assert.deepEqual(first!.status!.podIPs, [{ ip: '10.0.0.1' }]);
    assert.deepEqual(second!.status!.podIPs, [{ ip: '10.0.0.2' }]);
    assert.equal(second!.status!.conditions![0]!.status, 'True');
    assert.notEqual(second!.status!.conditions, first!.status!.conditions);
    await assertEventsAreStored(cluster, 'p', watch.events);
    watch.stop();
  } finally {
    await cluster.stop();
  }
});

test('a graceful delete keeps the stored spec and status themselves, leaves the previous revision as it was, and stores exactly what it marks', async () => {
  const cluster = await startCluster();
  try {
    await cluster.client().resource(NODES).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'quiet' } });
    const watch = await watchPods(cluster);
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(pod('web', { labels: { app: 'web' } }, { nodeName: 'quiet', terminationGracePeriodSeconds: 30 }));
    await pods.patch('web', 'merge', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, { namespace: 'default', subresource: 'status', fieldManager: 'kubelet' });
    // A dry run hands back an object of its own (writable) and writes nothing.
    const dry = await pods.delete('web', { namespace: 'default', dryRun: true }) as Pod;
    assert.ok(dry.metadata.deletionTimestamp);
    dry.spec.containers[0]!.image = 'changed';
    (dry.status as { phase: string }).phase = 'changed';
    // Marked with the orphan finalizer (which the garbage collector then removes), then again with
    // a shorter grace period: the deadline moves.
    await pods.delete('web', { namespace: 'default', propagationPolicy: 'Orphan' });
    await settle();
    await pods.delete('web', { namespace: 'default', gracePeriodSeconds: 10 });
    await settle();

    assert.equal(watch.ended(), undefined);
    assert.deepEqual(watch.events.map((e) => e.type), ['ADDED', 'MODIFIED', 'MODIFIED', 'MODIFIED', 'MODIFIED']);
    const [, running, orphaned, marked, sooner] = watch.events.map((e) => e.object as Pod);
    // The previous revision is untouched by the marking of the next.
    assert.equal(running!.metadata.deletionTimestamp, undefined);
    assert.equal(running!.metadata.deletionGracePeriodSeconds, undefined);
    assert.equal(running!.spec.containers[0]!.image, 'nginx:1.27');
    assert.equal(marked!.metadata.deletionGracePeriodSeconds, 30);
    assert.equal(sooner!.metadata.deletionGracePeriodSeconds, 10);
    assert.ok(Date.parse(sooner!.metadata.deletionTimestamp!) < Date.parse(marked!.metadata.deletionTimestamp!));
    assert.deepEqual(orphaned!.metadata.finalizers, ['orphan']);
    assert.equal(marked!.metadata.finalizers, undefined);
    // Shared, not copied: a mark changes only metadata (the garbage collector's write between them copies).
    for (const [next, previous] of [[orphaned!, running!], [sooner!, marked!]]) {
      assert.equal(next.spec, previous.spec);
      assert.equal(next.status, previous.status);
      assert.equal(next.metadata.labels, previous.metadata.labels);
    }
    for (const event of watch.events) {
      const rv = Number(event.object.metadata.resourceVersion);
      const stored = await storedAt(cluster, 'web', rv);
      assert.equal(JSON.stringify(event.object), JSON.stringify(stored));
      assert.ok(Object.isFrozen(event.object) && Object.isFrozen(event.object.metadata) && Object.isFrozen((event.object as Pod).status));
      // The stored text is what JSON.stringify gives for its object (a mark's members are spliced into the text before).
      const kv = (await cluster.store.range({ key: '/registry/pods/default/web', revision: rv })).kvs[0]!;
      assert.equal(kv.value, JSON.stringify(JSON.parse(kv.value)));
      assert.equal(servedJsonOf(event.object), withResourceVersion(kv.value, rv));
    }
    watch.stop();
  } finally {
    await cluster.stop();
  }
});
