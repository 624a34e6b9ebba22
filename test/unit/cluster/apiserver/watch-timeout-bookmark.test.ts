/** A watch with bookmarks allowed gets one more BOOKMARK 2 s before its timeoutSeconds, with the newest revision. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SECRETS } from '../../../../src/cluster/client/client';
import { settle } from '../../../../src/cluster/clock';
import type { WatchEvent } from '../../../../src/cluster/api/types';
import { secret, startCluster } from './fixture';

test('a BOOKMARK arrives 2 s before timeoutSeconds ends the watch (only when bookmarks are allowed)', async () => {
  const cluster = await startCluster();
  try {
    const secrets = cluster.client().resource(SECRETS);
    const list = await secrets.list({ namespace: 'default' });
    const withBookmarks: WatchEvent[] = [];
    const without: WatchEvent[] = [];
    let ended = false;
    secrets.watch({ namespace: 'default', resourceVersion: list.metadata.resourceVersion!, allowWatchBookmarks: true, timeoutSeconds: 10 }, (e) => withBookmarks.push(e), () => { ended = true; });
    secrets.watch({ namespace: 'default', resourceVersion: list.metadata.resourceVersion!, timeoutSeconds: 10 }, (e) => without.push(e), () => undefined);
    await settle();
    const created = await secrets.create(secret('s'));
    await settle();
    await cluster.clock.advance(7_999);
    assert.deepEqual(withBookmarks.map((e) => e.type), ['ADDED']);
    await cluster.clock.advance(1);
    assert.deepEqual(withBookmarks.map((e) => e.type), ['ADDED', 'BOOKMARK']);
    assert.equal(withBookmarks[1]!.object.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal(ended, false);
    await cluster.clock.advance(2_000);
    assert.ok(ended);
    assert.deepEqual(without.map((e) => e.type), ['ADDED']);
  } finally {
    await cluster.stop();
  }
});
