/**
 * A client cannot set metadata.generation on an update: kube-apiserver's BeforeUpdate
 * (registry/rest/update.go) puts the stored object's generation back before the strategy runs,
 * for every kind, so a body carrying another one is neither refused nor stored. (Only a
 * strategy moves it: the workloads' when their spec changes.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIGMAPS, PODS, type GroupVersionResource } from '../../../../../src/cluster/client/client';
import type { KubeObject, Pod } from '../../../../../src/cluster/api/types';
import { configMap, pod, startCluster } from '../fixture';

const DEPLOYMENTS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'deployments' };

test('an update that sends another generation keeps the stored one, for kinds with and without a generation', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(pod('web', { labels: { app: 'web' } }));
    const current = await pods.get('web', { namespace: 'default' });
    // A pod has no generation in 1.32: a lower one is not "decremented", a higher one is not kept.
    const lowered = await pods.update({ ...current, metadata: { ...current.metadata, generation: -1, labels: { app: 'v2' } } }, { namespace: 'default' });
    assert.equal(lowered.metadata.generation, undefined);
    assert.equal(lowered.metadata.labels!.app, 'v2');
    const raised = await pods.patch('web', 'merge', { metadata: { generation: 7 } }, { namespace: 'default' });
    assert.equal(raised.metadata.generation, undefined);
    assert.equal((await pods.get('web', { namespace: 'default' })).metadata.generation, undefined);

    const cms = cluster.client().resource<KubeObject>(CONFIGMAPS);
    await cms.create(configMap('settings', { a: '1' }));
    const cm = await cms.patch('settings', 'merge', { metadata: { generation: 3 }, data: { a: '2' } }, { namespace: 'default' });
    assert.equal(cm.metadata.generation, undefined);

    const deployments = cluster.client().resource<KubeObject>(DEPLOYMENTS);
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } };
    await deployments.create({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template } });
    const same = await deployments.patch('web', 'merge', { metadata: { generation: 40, labels: { tier: 'front' } } }, { namespace: 'default' });
    assert.equal(same.metadata.generation, 1);
    const lower = await deployments.patch('web', 'merge', { metadata: { generation: 0 }, spec: { replicas: 2 } }, { namespace: 'default' });
    assert.equal(lower.metadata.generation, 2);
  } finally {
    await cluster.stop();
  }
});
