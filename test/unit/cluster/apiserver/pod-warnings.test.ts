/** Pod creates carry kube-apiserver's WarningsOnCreate as Warning headers; updates carry none. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PODS } from '../../../../src/cluster/client/client';
import type { Pod } from '../../../../src/cluster/api/types';
import { pod, startCluster } from './fixture';

test('a pod whose name is no DNS label is created with the hostname warning; its update warns nothing', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const created = await pods.createWithWarnings(pod('web.v1', {}, { schedulerName: 'nobody', nodeSelector: { 'beta.kubernetes.io/arch': 'amd64' } }));
    assert.deepEqual(created.warnings, [
      `metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]`,
      'spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead',
    ]);
    const plain = await pods.createWithWarnings(pod('web', {}, { schedulerName: 'nobody' }));
    assert.deepEqual(plain.warnings, []);
  } finally {
    await cluster.stop();
  }
});
