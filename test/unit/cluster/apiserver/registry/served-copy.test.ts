/**
 * In process, a graceful delete answers with a copy of the registry's decoded terminating object
 * instead of a parse of its served text: the caller must get exactly what the parse gives (members
 * and their order), an object of its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NODES, PODS } from '../../../../../src/cluster/client/client';
import type { KubeObject, Pod } from '../../../../../src/cluster/api/types';
import { deepFreeze } from '../../../../../src/cluster/api/deep-freeze';
import { decodeKv, withResourceVersion } from '../../../../../src/cluster/apiserver/registry/codec';
import { exactCopy, servedOrderCopy } from '../../../../../src/cluster/apiserver/registry/served-copy';
import { pod, startCluster, podWatcher } from '../fixture';

/** Every object and array reachable from `value`. */
function containers(value: unknown, into = new Set<object>()): Set<object> {
  if (value !== null && typeof value === 'object') {
    into.add(value);
    for (const child of Object.values(value)) containers(child, into);
  }
  return into;
}

const STORED = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","uid":"u-1","labels":{"app":"web"},"deletionTimestamp":"2026-01-01T00:00:30Z","deletionGracePeriodSeconds":30},'
  + '"spec":{"containers":[{"name":"app","image":"nginx:1.27","args":["-g","daemon off;"],"env":[]}],"nodeName":"n","priority":0},'
  + '"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastProbeTime":null}],"podIP":"10.244.0.2","extra":{"__proto__":{"x":1},"n":-1.5e-7,"t":true}}}';

test('the copy of a decoded object is what JSON.parse of its served text gives, member order included, and shares no object or array with it', () => {
  // A decoded object has its resourceVersion added last; the served text has it first.
  const shared = deepFreeze(decodeKv({ key: '/registry/pods/default/web', value: STORED, createRevision: 3, modRevision: 42, version: 2 }));
  assert.equal(Object.keys(shared.metadata).at(-1), 'resourceVersion');
  const parsed = JSON.parse(withResourceVersion(STORED, 42)) as KubeObject;
  const copy = servedOrderCopy(shared);
  assert.equal(JSON.stringify(copy), JSON.stringify(parsed));
  assert.deepEqual(copy, parsed);
  assert.deepEqual(Object.keys(copy.metadata), Object.keys(parsed.metadata));
  // A member named __proto__ stays an own member, as JSON.parse makes it, and sets no prototype.
  const extra = (copy.status as { extra: Record<string, unknown> }).extra;
  assert.ok(Object.hasOwn(extra, '__proto__'));
  assert.equal(Object.getPrototypeOf(extra), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(extra, '__proto__')?.value, { x: 1 });
  // The caller's own: nothing shared with the (frozen) original, nothing frozen.
  const original = containers(shared);
  for (const part of containers(copy)) {
    assert.ok(!original.has(part));
    assert.ok(!Object.isFrozen(part));
  }
  copy.metadata.labels!.app = 'changed';
  assert.equal(shared.metadata.labels!.app, 'web');
});

test('exactCopy copies JSON values: primitives as they are, arrays and objects anew', () => {
  assert.equal(exactCopy('s'), 's');
  assert.equal(exactCopy(null), null);
  assert.equal(exactCopy(0), 0);
  const value = { a: [1, { b: 'c' }, [null]], d: {} };
  const copy = exactCopy(value) as typeof value;
  assert.deepEqual(copy, value);
  assert.notEqual(copy.a, value.a);
  assert.notEqual(copy.a[1], value.a[1]);
  assert.notEqual(copy.d, value.d);
});

test('in process, a graceful delete answers with the terminating pod exactly as served, an object of the caller\'s own, copied from the decoded one', async () => {
  const cluster = await startCluster();
  try {
    await cluster.client().resource(NODES).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'quiet' } });
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(pod('web', { labels: { app: 'web' } }, { nodeName: 'quiet', terminationGracePeriodSeconds: 20 }));
    const registry = cluster.server.parts.registries.core('pods');
    // A watcher, as the kubelet's informer is: the write's watch fan-out decodes the marked pod.
    const informer = await podWatcher(cluster);

    const marked = (await pods.delete('web', { namespace: 'default' })) as Pod;
    assert.equal(marked.metadata.deletionGracePeriodSeconds, 20);
    const rv = Number(marked.metadata.resourceVersion);
    // The answer came from the decoded object: it is alive, and copies of it are fresh each time.
    const again = registry.servedCopy('/registry/pods/default/web', rv);
    assert.ok(again);
    assert.notEqual(again, marked);
    // Exactly what a GET serves (a parse of the served text), in the same member order.
    const served = await pods.get('web', { namespace: 'default' });
    assert.equal(JSON.stringify(marked), JSON.stringify(served));
    assert.equal(JSON.stringify(again), JSON.stringify(served));
    // The caller may change it: nothing anybody else sees changes.
    assert.ok(!Object.isFrozen(marked) && !Object.isFrozen(marked.metadata) && !Object.isFrozen(marked.spec.containers[0]));
    marked.metadata.labels!.app = 'mine';
    marked.spec.containers[0]!.image = 'mine';
    const after = await pods.get('web', { namespace: 'default' });
    assert.equal(after.metadata.labels!.app, 'web');
    assert.equal(after.spec.containers[0]!.image, 'nginx:1.27');
    assert.equal(JSON.stringify(registry.servedCopy('/registry/pods/default/web', rv)), JSON.stringify(served));
    // No copy of a revision that is not the decoded one.
    assert.equal(registry.servedCopy('/registry/pods/default/web', rv - 1), undefined);
    assert.equal(registry.servedCopy('/registry/pods/default/nobody', rv), undefined);
    informer.stop();
  } finally {
    await cluster.stop();
  }
});

test('in process, a create\'s and an update\'s answers are the written object exactly as served, the caller\'s own; a dry run answers with its own object', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    // A watcher, as the kubelet's informer is: each write's watch fan-out decodes its object.
    const informer = await podWatcher(cluster);
    const registry = cluster.server.parts.registries.core('pods');

    const created = await pods.create(pod('web', { labels: { app: 'web' } }, { nodeName: 'n1' }));
    const rv = Number(created.metadata.resourceVersion);
    assert.ok(registry.servedCopy('/registry/pods/default/web', rv), 'the fan-out decoded the created pod');
    const served = await pods.get('web', { namespace: 'default' });
    assert.equal(JSON.stringify(created), JSON.stringify(served));
    assert.ok(!Object.isFrozen(created) && !Object.isFrozen(created.metadata) && !Object.isFrozen(created.spec.containers[0]));
    created.metadata.labels!.app = 'mine';
    assert.equal(informer.get('default/web')?.metadata.labels!.app, 'web');

    const patched = await pods.patch('web', 'merge', { status: { phase: 'Running' } }, { namespace: 'default', subresource: 'status' });
    assert.equal(patched.status?.phase, 'Running');
    assert.equal(JSON.stringify(patched), JSON.stringify(await pods.get('web', { namespace: 'default' })));
    assert.ok(!Object.isFrozen(patched.spec) && !Object.isFrozen(patched.status));

    // A write that changes nothing answers with the stored object.
    const same = await pods.patch('web', 'merge', { status: { phase: 'Running' } }, { namespace: 'default', subresource: 'status' });
    assert.equal(JSON.stringify(same), JSON.stringify(patched));

    // A dry run's answer is the object it would have written, not the stored revision it read.
    const dry = await pods.patch('web', 'merge', { metadata: { labels: { app: 'dry' } } }, { namespace: 'default', dryRun: true });
    assert.equal(dry.metadata.labels!.app, 'dry');
    assert.equal((await pods.get('web', { namespace: 'default' })).metadata.labels!.app, 'web');
    informer.stop();
  } finally {
    await cluster.stop();
  }
});
