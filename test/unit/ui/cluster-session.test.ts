import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node } from '../../../src/cluster/api/types';
import { NODES } from '../../../src/cluster/client/client';
import { ClusterSession } from '../../../src/ui/cluster-session';

test('kubeSim.extraNodes start beside node-1 … node-N with their size, zone, labels and taints; a wrong one stops the start with a sentence', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kube-sim-session-'));
  try {
    const session = await ClusterSession.start({
      port: 0, nodes: 1, speed: 1, dataDir,
      extraNodes: [{ name: 'gpu-1', cpu: 8, memory: '32Gi', zone: 'eu-west-1a', labels: { accelerator: 'nvidia' }, taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }],
    });
    try {
      const nodes = (await session.client.resource<Node>(NODES).list()).items;
      assert.deepEqual(nodes.map((n) => n.metadata.name), ['gpu-1', 'node-1']);
      const gpu = nodes[0]!;
      assert.equal(gpu.status!.capacity!.cpu, '8');
      assert.equal(gpu.metadata.labels!['topology.kubernetes.io/zone'], 'eu-west-1a');
      assert.equal(gpu.metadata.labels!.accelerator, 'nvidia');
      assert.deepEqual(gpu.spec!.taints!.map((t) => `${t.key}=${t.value}:${t.effect}`), ['gpu=true:NoSchedule']);
    } finally {
      await session.stop();
    }
    await assert.rejects(
      ClusterSession.start({ port: 0, nodes: 1, speed: 1, dataDir, extraNodes: [{ name: 'gpu-1', memory: '32 GB' }] }),
      { message: 'node "gpu-1": memory "32 GB" is not a quantity (e.g. 8Gi)' },
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
