import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from '../../../src/cluster/cluster';
import { ManualClock } from '../../../src/cluster/clock';
import { CONFIGMAPS, PODS } from '../../../src/cluster/client/client';
import type { Pod } from '../../../src/cluster/api/types';

test('a stopped durable cluster leaves no timer on the clock it was given, a snapshot in progress or not', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kube-sim-stop-'));
  try {
    const clock = new ManualClock();
    const cluster = await Cluster.start({ clock, nodes: 2, dataDir });
    const configMaps = cluster.client().resource(CONFIGMAPS);
    for (let i = 0; i < 700; i++) await configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'default' }, data: { k: 'x'.repeat(2000) } });
    await cluster.client().resource<Pod>(PODS).create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } });
    await clock.advance(30_000);
    await cluster.stop();
    assert.equal(clock.pendingTimers, 0);
    await clock.advance(60_000);
    assert.equal(clock.pendingTimers, 0);
    // And it starts again from its data dir.
    const again = await Cluster.start({ clock: new ManualClock(), nodes: 2, dataDir });
    assert.equal((await again.client().resource(CONFIGMAPS).list({ namespace: 'default' })).items.filter((c) => c.metadata.name?.startsWith('cm-')).length, 700);
    await again.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
