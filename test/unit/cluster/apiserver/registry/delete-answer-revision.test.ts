/**
 * In process, a graceful delete's answer (the pod as marked for deletion) is a copy of the marked
 * revision's shared object, taken when the delete wrote it (RegistryStore.deleteResult), as a
 * create's or update's answer is: the kubelet usually writes the pod again before the deleter reads
 * the answer, and a copy looked up then found a newer revision and fell back to a parse of the
 * served text. The answer is exactly JSON.parse of that revision's served text, and the caller's own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NODES, PODS } from '../../../../../src/cluster/client/client';
import type { Pod } from '../../../../../src/cluster/api/types';
import { withResourceVersion } from '../../../../../src/cluster/apiserver/registry/codec';
import type { RawJson } from '../../../../../src/cluster/apiserver/registry/codec';
import type { Cluster } from '../../../../../src/cluster/cluster';
import { pod, startCluster, podWatcher } from '../fixture';

const admin = { name: 'system:admin', groups: ['system:masters'] };

/** JSON.parse of the served text of the pod `web` at `revision`. */
async function servedAt(cluster: Cluster, revision: number): Promise<Pod> {
  const kv = (await cluster.store.range({ key: '/registry/pods/default/web', revision })).kvs[0]!;
  assert.equal(kv.modRevision, revision);
  return JSON.parse(withResourceVersion(kv.value, revision)) as Pod;
}

async function terminatingPodCluster(): Promise<Cluster> {
  const cluster = await startCluster();
  // A node no kubelet runs: the pod stays terminating for its grace period.
  await cluster.client().resource(NODES).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'quiet' } });
  await cluster.client().resource<Pod>(PODS).create(pod('web', { labels: { app: 'web' } }, { nodeName: 'quiet', terminationGracePeriodSeconds: 20 }));
  return cluster;
}

test('a graceful delete\'s answer is a copy of the marked revision taken at the write, also when the pod is written again before it is read', async () => {
  const cluster = await terminatingPodCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const registry = cluster.server.parts.registries.core('pods');
    // A watcher, as the kubelet's informer is: the delete's watch fan-out decodes the marked pod.
    const informer = await podWatcher(cluster);

    const result = await registry.delete('default', 'web', {}, { user: admin });
    assert.equal(result.deleted, false);
    // The kubelet's status write, before the deleter reads its answer.
    await pods.patch('web', 'merge', { status: { message: 'written again' } }, { namespace: 'default', subresource: 'status' });
    const json = result.json as RawJson;
    const copy = json.copy?.() as Pod | undefined;
    assert.ok(copy, 'a copy of the marked revision, not a parse of its text');
    const rv = Number(copy.metadata.resourceVersion);
    assert.ok(rv > 0);
    const served = await servedAt(cluster, rv);
    assert.equal(JSON.stringify(copy), JSON.stringify(served));
    assert.deepEqual(Object.keys(copy.metadata), Object.keys(served.metadata), 'resourceVersion first, as served');
    assert.equal(copy.metadata.deletionGracePeriodSeconds, 20);
    assert.equal(copy.status?.message, undefined);
    assert.equal(JSON.stringify(json.parse()), JSON.stringify(served));

    // The caller's own: changing it changes nothing stored or watched.
    copy.metadata.labels!.app = 'mine';
    copy.spec.containers[0]!.image = 'mine';
    assert.equal(informer.get('default/web')?.metadata.labels!.app, 'web');
    assert.equal(informer.get('default/web')?.spec.containers[0]!.image, 'nginx:1.27');
    const stored = await pods.get('web', { namespace: 'default' });
    assert.equal(stored.metadata.labels!.app, 'web');
    assert.equal(stored.spec.containers[0]!.image, 'nginx:1.27');
    assert.equal(JSON.stringify(json.copy?.()), JSON.stringify(served), 'each copy is fresh');
    informer.stop();
  } finally {
    await cluster.stop();
  }
});

test('through the in-process client, the answer read after the pod was written again is the terminating pod as served at the delete', async () => {
  const cluster = await terminatingPodCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const informer = await podWatcher(cluster);
    const answer = await pods.deleteWithWarnings('web', { namespace: 'default' });
    await pods.patch('web', 'merge', { status: { message: 'written again' } }, { namespace: 'default', subresource: 'status' });
    const marked = answer.object as Pod;
    const served = await servedAt(cluster, Number(marked.metadata.resourceVersion));
    assert.equal(JSON.stringify(marked), JSON.stringify(served));
    assert.ok(marked.metadata.deletionTimestamp);
    marked.metadata.labels!.app = 'mine';
    assert.equal(informer.get('default/web')?.metadata.labels!.app, 'web');
    informer.stop();
  } finally {
    await cluster.stop();
  }
});
