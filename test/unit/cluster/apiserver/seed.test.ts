/** What a new cluster holds before anyone writes, as on a real 1.32 cluster. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GroupVersionResource } from '../../../../src/cluster/client/client';
import { startCluster } from './fixture';

const PRIORITY_CLASSES: GroupVersionResource = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' };

test('the built-in PriorityClasses exist: system-cluster-critical and system-node-critical', async () => {
  const cluster = await startCluster();
  try {
    const list = await cluster.client().resource(PRIORITY_CLASSES).list();
    assert.deepEqual(list.items.map((pc) => [pc.metadata.name, pc.value, pc.preemptionPolicy]), [
      ['system-cluster-critical', 2000000000, 'PreemptLowerPriority'],
      ['system-node-critical', 2000001000, 'PreemptLowerPriority'],
    ]);
  } finally {
    await cluster.stop();
  }
});
