/**
 * Events expire an hour after their last write (kube-apiserver's --event-ttl, etcd leases), and the
 * cluster compacts its store's history every 5 minutes (--etcd-compaction-interval): on a cluster
 * left running, old events and old revisions do not pile up.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, WatchEvent } from '../../../../src/cluster/api/types';
import { EVENTS } from '../../../../src/cluster/client/client';
import { ManualClock } from '../../../../src/cluster/clock';
import { EventTtl } from '../../../../src/cluster/apiserver/event-ttl';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { startCluster } from './fixture';

const MINUTE = 60_000;

function event(name: string, reason = 'Started'): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', apiVersion: 'v1' },
    reason, message: 'Started container web', type: 'Normal', count: 1,
    source: { component: 'kubelet', host: 'node-1' },
  } as KubeObject;
}

describe('event expiry', () => {
  it('deletes an event an hour after its last write; a newer write renews it; watchers see DELETED', async () => {
    const cluster = await startCluster();
    const clock = cluster.clock as ManualClock;
    try {
      const events = cluster.client().resource(EVENTS);
      await events.create(event('old'));
      await events.create(event('renewed'));
      await clock.advance(30 * MINUTE);
      await events.patch('renewed', 'merge', { count: 2 }, { namespace: 'default' });
      await events.create(event('young'));
      const seen: WatchEvent[] = [];
      const listed = await events.list({ namespace: 'default' });
      // Without timeoutSeconds the server ends a watch after 30–60 minutes, at random (--min-request-timeout).
      const watch = events.watch({ namespace: 'default', resourceVersion: listed.metadata.resourceVersion, timeoutSeconds: 7200 }, (e) => void seen.push(e), () => undefined);
      const names = async () => (await events.list({ namespace: 'default' })).items.map((e) => e.metadata.name).sort();

      await clock.advance(29 * MINUTE); // 59 minutes after the first writes
      assert.deepEqual(await names(), ['old', 'renewed', 'young']);
      await clock.advance(3 * MINUTE); // past an hour (and the minute of granularity)
      assert.deepEqual(await names(), ['renewed', 'young'], 'the event nobody wrote for an hour is gone');
      assert.deepEqual(seen.filter((e) => e.type === 'DELETED').map((e) => e.object.metadata.name), ['old']);
      await clock.advance(30 * MINUTE);
      assert.deepEqual(await names(), [], 'an hour after their last write, the renewed and the young one go too');
      watch.stop();
    } finally {
      await cluster.stop();
    }
  });

  it('leaves every other resource alone, and only deletes a version that was not written again', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore();
    const put = (key: string, value = '{}') => store.txn([], [{ type: 'put', key, value }]);
    const ttl = await new EventTtl(store, clock, 10 * MINUTE).start();
    await put('/registry/events/default/a');
    await put('/registry/pods/default/p');
    await put('/registry/eventsx/default/z');
    await clock.advance(11 * MINUTE);
    await put('/registry/events/default/b');
    await clock.advance(MINUTE);
    const keys = async () => (await store.range({ key: '/registry/', end: '/registry0' })).kvs.map((kv) => kv.key);
    assert.deepEqual(await keys(), ['/registry/events/default/b', '/registry/eventsx/default/z', '/registry/pods/default/p']);
    ttl.stop();
    assert.equal(clock.pendingTimers, 0);
  });
});

describe('store compaction in a running cluster', () => {
  it('compacts the history every 5 minutes of cluster time, to the revision of the round before', async () => {
    const cluster = await startCluster();
    const clock = cluster.clock as ManualClock;
    try {
      await cluster.client().resource(EVENTS).create(event('e'));
      const written = await cluster.store.revision();
      assert.equal(await cluster.store.compactedRevision(), 0);
      await clock.advance(10 * MINUTE + 1);
      assert.ok((await cluster.store.compactedRevision()) >= written, 'history up to the first round is compacted');
    } finally {
      await cluster.stop();
    }
  });
});
