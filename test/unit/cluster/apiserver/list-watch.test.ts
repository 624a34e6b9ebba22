import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SECRETS } from '../../../../src/cluster/client/client';
import { settle } from '../../../../src/cluster/clock';
import type { KubeObject, Status, WatchEvent } from '../../../../src/cluster/api/types';
import { StatusError } from '../../../../src/cluster/api/errors';
import { secret, startCluster } from './fixture';
import { decodeKv, servedJsonOf, withResourceVersion } from '../../../../src/cluster/apiserver/registry/codec';

function names(list: { items: KubeObject[] }): string[] {
  return list.items.map((i) => i.metadata.name ?? '');
}

test('limit and continue page through a consistent snapshot, with remainingItemCount', async () => {
  const cluster = await startCluster();
  try {
    const cms = cluster.client().resource(SECRETS);
    for (const n of ['a', 'b', 'c', 'd', 'e']) await cms.create(secret(n));
    const first = await cms.list({ namespace: 'default', limit: 2 });
    assert.deepEqual(names(first), ['a', 'b']);
    assert.equal(first.metadata.remainingItemCount, 3);
    await cms.create(secret('bb')); // after the snapshot: not in the pages
    const second = await cms.list({ namespace: 'default', limit: 2, continue: first.metadata.continue! });
    assert.deepEqual(names(second), ['c', 'd']);
    const third = await cms.list({ namespace: 'default', limit: 2, continue: second.metadata.continue! });
    assert.deepEqual(names(third), ['e']);
    assert.equal(third.metadata.continue, undefined);
    assert.equal(third.metadata.resourceVersion, first.metadata.resourceVersion);
  } finally {
    await cluster.stop();
  }
});

test('label and field selectors filter lists; an unsupported field is a 400', async () => {
  const cluster = await startCluster();
  try {
    const cms = cluster.client().resource(SECRETS);
    await cms.create(secret('a', {}, { app: 'web', tier: 'front' }));
    await cms.create(secret('b', {}, { app: 'web' }));
    await cms.create(secret('c', {}, { app: 'db' }));
    assert.deepEqual(names(await cms.list({ namespace: 'default', labelSelector: 'app=web' })), ['a', 'b']);
    assert.deepEqual(names(await cms.list({ namespace: 'default', labelSelector: 'app in (db),!tier' })), ['c']);
    assert.deepEqual(names(await cms.list({ fieldSelector: 'metadata.name=b' })), ['b']);
    assert.deepEqual(names(await cms.list({ namespace: 'default', fieldSelector: 'metadata.name!=b', labelSelector: 'app' })), ['a', 'c']);
    await assert.rejects(cms.list({ fieldSelector: 'spec.foo=x' }), (err: StatusError) => {
      assert.equal(err.code, 400);
      assert.equal(err.message, 'field label not supported: spec.foo');
      return true;
    });
  } finally {
    await cluster.stop();
  }
});

function collect(events: WatchEvent[]): string[] {
  return events.map((e) => `${e.type} ${e.object.metadata?.name ?? ''}`);
}

test('a watch from a list resourceVersion delivers every later change once, in order', async () => {
  const cluster = await startCluster();
  try {
    const cms = cluster.client().resource(SECRETS);
    await cms.create(secret('before'));
    const list = await cms.list({ namespace: 'default' });
    const events: WatchEvent[] = [];
    const handle = cms.watch({ namespace: 'default', resourceVersion: list.metadata.resourceVersion! }, (e) => events.push(e), () => undefined);
    const a = await cms.create(secret('a'));
    await cms.update({ ...a, data: { x: 'MQ==' } } as KubeObject);
    await cms.delete('a', { namespace: 'default' });
    await settle();
    assert.deepEqual(collect(events), ['ADDED a', 'MODIFIED a', 'DELETED a']);
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    assert.deepEqual([...rvs].sort((x, y) => x - y), rvs);
    handle.stop();
  } finally {
    await cluster.stop();
  }
});

test('a watch from "" replays the current state as ADDED; a label change out of the selector is DELETED', async () => {
  const cluster = await startCluster();
  try {
    const cms = cluster.client().resource(SECRETS);
    const a = await cms.create(secret('a', {}, { app: 'web' }));
    const events: WatchEvent[] = [];
    const handle = cms.watch({ namespace: 'default', labelSelector: 'app=web' }, (e) => events.push(e), () => undefined);
    await settle();
    assert.deepEqual(collect(events), ['ADDED a']);
    await cms.update({ ...a, metadata: { ...a.metadata, labels: { app: 'db' } } });
    await settle();
    assert.deepEqual(collect(events), ['ADDED a', 'DELETED a']);
    handle.stop();
  } finally {
    await cluster.stop();
  }
});

test('a watch from a compacted resourceVersion ends with an ERROR event: 410 Expired "too old resource version"', async () => {
  const cluster = await startCluster();
  try {
    const cms = cluster.client().resource(SECRETS);
    await cms.create(secret('a'));
    await cms.create(secret('b'));
    const rev = await cluster.store.revision();
    await cluster.store.compact(rev);
    const events: WatchEvent[] = [];
    let ended = false;
    cms.watch({ namespace: 'default', resourceVersion: '2' }, (e) => events.push(e), () => { ended = true; });
    await settle();
    assert.equal(events.length, 1);
    assert.equal(events[0]!.type, 'ERROR');
    const status = events[0]!.object as unknown as Status;
    assert.equal(status.code, 410);
    assert.equal(status.reason, 'Expired');
    assert.equal(status.message, `too old resource version: 2 (${rev})`);
    assert.ok(ended);
  } finally {
    await cluster.stop();
  }
});

test('bookmarks arrive every minute of cluster time when allowed, and timeoutSeconds ends the watch', async () => {
  const cluster = await startCluster();
  try {
    const cms = cluster.client().resource(SECRETS);
    const list = await cms.list({ namespace: 'default' });
    const events: WatchEvent[] = [];
    let ended = false;
    cms.watch({ namespace: 'default', resourceVersion: list.metadata.resourceVersion!, allowWatchBookmarks: true, timeoutSeconds: 90 }, (e) => events.push(e), () => { ended = true; });
    await settle();
    await cluster.clock.advance(60_000);
    assert.deepEqual(events.map((e) => e.type), ['BOOKMARK']);
    assert.equal(events[0]!.object.metadata.resourceVersion, list.metadata.resourceVersion);
    assert.equal(ended, false);
    await cluster.clock.advance(30_000);
    assert.ok(ended);
  } finally {
    await cluster.stop();
  }
});

test('the registry keeps the decoding an update replaced while watchers are told of the update, and lets it go after', async () => {
  const cluster = await startCluster();
  try {
    const secrets = cluster.client().resource(SECRETS);
    await secrets.create(secret('a', { k: '1' }));
    const registry = cluster.server.parts.registries.core('secrets');
    const key = registry.key('default', 'a');
    const before = (await cluster.store.range({ key })).kvs[0]!;
    const old = registry.shared(before);
    // Two store watchers, as two selective watches are: both read the update's previous object.
    const seen: { previous: KubeObject; current: KubeObject }[] = [];
    const onEvents = (events: { kv: typeof before; prevKv?: typeof before }[]) => {
      for (const e of events) if (e.prevKv) seen.push({ previous: registry.shared(e.prevKv), current: registry.shared(e.kv) });
    };
    const watchers = [1, 2].map(() => cluster.store.watch({ key, startRevision: before.modRevision + 1 }, onEvents));
    await secrets.patch('a', 'merge', { data: { k: Buffer.from('2').toString('base64') } }, { namespace: 'default' });
    await settle();
    for (const w of watchers) w.cancel();
    const after = (await cluster.store.range({ key })).kvs[0]!;
    assert.equal(seen.length, 2);
    assert.equal(seen[0]!.previous, old);
    assert.equal(seen[1]!.previous, old);
    assert.equal(seen[0]!.current, seen[1]!.current);
    assert.equal(registry.shared(after), seen[0]!.current);
    // Once the watchers are done the replaced revision is no longer held: it decodes afresh, equal.
    const again = registry.shared(before);
    assert.notEqual(again, old);
    assert.deepEqual(again, old);
    assert.equal(old.metadata.resourceVersion, String(before.modRevision));
    assert.equal(seen[0]!.current.metadata.resourceVersion, String(after.modRevision));
  } finally {
    await cluster.stop();
  }
});

test('the shared decoding of a written object is what decoding the stored text gives, key order included', async () => {
  const cluster = await startCluster();
  try {
    const secrets = cluster.client().resource(SECRETS);
    const registry = cluster.server.parts.registries.core('secrets');
    const key = registry.key('default', 's');
    const check = async () => {
      const kv = (await cluster.store.range({ key })).kvs[0]!;
      const shared = registry.shared(kv);
      assert.equal(JSON.stringify(shared), JSON.stringify(decodeKv(kv)));
      assert.deepStrictEqual(shared, decodeKv(kv));
      assert.equal(servedJsonOf(shared), withResourceVersion(kv.value, kv.modRevision));
    };
    await secrets.create({ ...secret('s', { a: '1' }, { app: 'x' }), metadata: { name: 's', namespace: 'default', labels: { app: 'x' }, annotations: { n: '' } } });
    await check();
    await secrets.patch('s', 'merge', { metadata: { labels: { tier: 'y' } }, data: { b: Buffer.from('2').toString('base64') } }, { namespace: 'default' });
    await check();
  } finally {
    await cluster.stop();
  }
});
