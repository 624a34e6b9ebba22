/**
 * A cluster started on a clock it was given (the bench's, a test's) leaves no timer on it once
 * stopped: at unlimited speed, one that sets itself again would keep that clock spinning, a
 * process at 100% of a core after the cluster is gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../src/cluster/cluster';
import { ManualClock } from '../../../src/cluster/clock';
import { CONFIGMAPS, PODS } from '../../../src/cluster/client/client';
import type { Pod } from '../../../src/cluster/api/types';

test('a stopped cluster leaves no timer on the clock it was given, though its registries held more objects than their strong sets', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 2 });
  const configMaps = cluster.client().resource(CONFIGMAPS);
  const held = [];
  for (let i = 0; i < 700; i++) held.push(await configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'default' } }));
  await cluster.client().resource<Pod>(PODS).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } });
  await clock.advance(30_000);
  assert.ok(clock.pendingTimers > 0);
  await cluster.stop();
  assert.equal(clock.pendingTimers, 0);
  await clock.advance(60_000);
  assert.equal(clock.pendingTimers, 0);
  assert.equal(held.length, 700);
});
