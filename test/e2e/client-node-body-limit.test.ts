/**
 * @kubernetes/client-node sending a body over the 3 MiB limit reads kube-apiserver's 413 Status,
 * however large the body: the server drains what the client still writes instead of closing under
 * it (node-fetch sends Connection: close, and saw EPIPE for bodies of tens of MiB).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { Cluster } from '../../src/cluster/cluster';

let cluster: Cluster;
let dataDir: string;
let core: k8s.CoreV1Api;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kube-sim-client-node-limit-'));
  cluster = await Cluster.start({ dataDir, port: 0, nodes: 0 });
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath!);
  core = kc.makeApiClient(k8s.CoreV1Api);
});

after(async () => {
  await cluster.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a ConfigMap of 4 or 20 MiB: client-node gets the 413 RequestEntityTooLarge Status, not a broken pipe', async () => {
  for (const mib of [4, 20]) {
    const body: k8s.V1ConfigMap = { metadata: { name: `big-${mib}` }, data: { blob: 'x'.repeat(mib * 1024 * 1024) } };
    await assert.rejects(core.createNamespacedConfigMap({ namespace: 'default', body }), (err: unknown) => {
      const e = err as { code?: number; body?: string };
      assert.equal(e.code, 413, String(err));
      assert.equal((JSON.parse(e.body!) as { reason: string }).reason, 'RequestEntityTooLarge');
      return true;
    });
  }
  const list = await core.listNamespacedConfigMap({ namespace: 'default' });
  assert.deepEqual(list.items.map((c) => c.metadata?.name).filter((n) => n?.startsWith('big-')), []);
});
