import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../src/cluster/api/types';
import { handleOf, handleStats } from '../../../../src/cluster/apiserver/registry/handle';
import type { ResourceClient } from '../../../../src/cluster/client/client';
import { Informer } from '../../../../src/cluster/client/informer';
import { cluster, collect, pushOutRecent, until } from './in-process-fixture';

async function started(resource: ResourceClient<KubeObject>): Promise<Informer> {
  const informer = new Informer(resource).start();
  await informer.waitForSync();
  return informer;
}

const configMap = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default' }, data } as KubeObject);

test("an informer's object that nobody else holds is collected, and get decodes an equal one again", async () => {
  const { registry, configmaps } = await cluster();
  const informer = await started(configmaps);
  try {
    await configmaps.create(configMap({ key: 'value' }));
    await until(() => informer.get('default/a') !== undefined);
    const first = new WeakRef(informer.get('default/a')!);
    assert.ok(handleOf(first.deref()!), 'the watch object came from the registry with a handle');
    const stored = await configmaps.get('a', { namespace: 'default' });

    pushOutRecent(registry);
    await collect();
    assert.equal(first.deref(), undefined, 'the cache did not keep the object alive');

    const before = handleStats.redecoded;
    const again = informer.get('default/a')!;
    assert.equal(handleStats.redecoded, before + 1, 'decoded again once');
    assert.deepEqual(again, stored);
    assert.equal(informer.get('default/a'), again, 'the decoded object is kept while it lives');
    assert.equal(informer.list()[0], again);
    assert.ok(Object.isFrozen(again.metadata.managedFields![0]!.fieldsV1), 'its parts are shared as a first decode shares them');
  } finally {
    informer.stop();
  }
});

test('peer informers share one handle: the object decoded again for one is the object the other gets', async () => {
  const { registry, configmaps } = await cluster();
  const one = await started(configmaps);
  const two = await started(configmaps);
  try {
    await configmaps.create(configMap({ key: 'value' }));
    await until(() => one.get('default/a') !== undefined && two.get('default/a') !== undefined);
    assert.equal(handleOf(one.get('default/a')!), handleOf(two.get('default/a')!));

    pushOutRecent(registry);
    await collect();
    const before = handleStats.redecoded;
    const fromOne = one.get('default/a');
    assert.equal(two.get('default/a'), fromOne);
    assert.equal(handleStats.redecoded, before + 1, 'one decode for both');
  } finally {
    one.stop();
    two.stop();
  }
});

test('an update hands handlers the old object decoded again when it was collected, once, before the new one', async () => {
  const { registry, configmaps } = await cluster();
  const informer = await started(configmaps);
  const seen: string[] = [];
  informer.addHandlers({
    onAdd: (o) => seen.push(`add ${(o as { data?: Record<string, string> }).data?.key}`),
    onUpdate: (old, o) => seen.push(`update ${(old as { data?: Record<string, string> }).data?.key} -> ${(o as { data?: Record<string, string> }).data?.key}`),
  });
  try {
    await configmaps.create(configMap({ key: 'one' }));
    await until(() => seen.length === 1);
    pushOutRecent(registry);
    await collect();
    await configmaps.patch('a', 'merge', { data: { key: 'two' } }, { namespace: 'default' });
    await until(() => seen.length === 2);
    assert.deepEqual(seen, ['add one', 'update one -> two']);
  } finally {
    informer.stop();
  }
});

test('a handler added late is replayed the cached objects, decoded again if collected', async () => {
  const { registry, configmaps } = await cluster();
  const informer = await started(configmaps);
  try {
    await configmaps.create(configMap({ key: 'one' }));
    await until(() => informer.get('default/a') !== undefined);
    pushOutRecent(registry);
    await collect();
    const added: KubeObject[] = [];
    informer.addHandlers({ onAdd: (o) => added.push(o) });
    assert.equal(added.length, 1);
    assert.deepEqual((added[0] as { data?: unknown }).data, { key: 'one' });
  } finally {
    informer.stop();
  }
});

test('an informer started after the objects exist lists the registry\'s shared objects, held by their handles', async () => {
  const { registry, configmaps } = await cluster();
  await configmaps.create(configMap({ key: 'value' }));
  const stored = await configmaps.get('a', { namespace: 'default' });
  const informer = await started(configmaps);
  try {
    const listed = new WeakRef(informer.get('default/a')!);
    assert.ok(handleOf(listed.deref()!), 'a shared object, not a parse of its own');
    assert.equal(registry.shared((await registry.getKv('default', 'a'))!), listed.deref(), "the registry's own");
    pushOutRecent(registry);
    await collect();
    assert.equal(listed.deref(), undefined, 'the cache did not keep it alive');
    assert.deepEqual(informer.get('default/a'), stored);
  } finally {
    informer.stop();
  }
});

test('a plain list still gives the caller objects of its own', async () => {
  const { registry, configmaps } = await cluster();
  await configmaps.create(configMap({ key: 'value' }));
  const listed = (await configmaps.list({ namespace: 'default' })).items[0]!;
  assert.equal(handleOf(listed), undefined);
  assert.notEqual(listed, registry.shared((await registry.getKv('default', 'a'))!));
  (listed as { data?: Record<string, string> }).data!.key = 'mine';
  assert.deepEqual((registry.shared((await registry.getKv('default', 'a'))!) as { data?: unknown }).data, { key: 'value' });
});

test('informers of one object key it by one string, made once and kept on its handle', async () => {
  const { configmaps } = await cluster();
  const first = await started(configmaps);
  const second = await started(configmaps);
  try {
    await configmaps.create(configMap({ key: 'value' }));
    await until(() => first.get('default/a') !== undefined && second.get('default/a') !== undefined);
    const handle = handleOf(first.get('default/a')!)!;
    assert.equal(handle, handleOf(second.get('default/a')!), 'both informers hold the same handle');
    // Which string a Map holds is not observable from JavaScript; the handle carries the one made for both.
    assert.equal(handle.cacheKey, 'default/a');
  } finally {
    first.stop();
    second.stop();
  }
});
