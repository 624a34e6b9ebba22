/**
 * Namespace deletion as on a real cluster: DELETE marks the namespace Terminating, new content is
 * refused with kube-apiserver's wording, the namespace controller deletes what is inside (pods
 * gracefully) and the namespace goes once it is empty.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock, settle } from '../../../../src/cluster/clock';
import { CONFIGMAPS, NAMESPACES, PODS } from '../../../../src/cluster/client/client';
import { isStatusError, type StatusError } from '../../../../src/cluster/api/errors';
import type { KubeObject, Pod } from '../../../../src/cluster/api/types';
import { configMap, pod } from './fixture';

async function gone(get: () => Promise<unknown>): Promise<boolean> {
  try {
    await get();
    return false;
  } catch (err) {
    if (isStatusError(err, 'NotFound')) return true;
    throw err;
  }
}

test('deleting a namespace: Terminating, creates refused, pods deleted gracefully, then the namespace is gone', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  try {
    const client = cluster.client();
    const namespaces = client.resource(NAMESPACES);
    await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
    await client.resource(CONFIGMAPS).create({ ...configMap('c'), metadata: { name: 'c', namespace: 'x' } });
    const pods = client.resource<Pod>(PODS);
    await pods.create({ ...pod('p'), metadata: { name: 'p', namespace: 'x' } });
    for (let i = 0; i < 30 && !(await pods.get('p', { namespace: 'x' })).spec.nodeName; i++) await clock.advance(100);
    assert.equal((await pods.get('p', { namespace: 'x' })).spec.nodeName, 'node-1');

    const deleted = (await namespaces.delete('x')) as KubeObject;
    assert.equal(deleted.kind, 'Namespace');
    assert.equal((deleted.status as { phase: string }).phase, 'Terminating');
    assert.ok(deleted.metadata.deletionTimestamp);
    assert.deepEqual((deleted.spec as { finalizers: string[] }).finalizers, ['kubernetes']);

    await assert.rejects(client.resource(CONFIGMAPS).create({ ...configMap('d'), metadata: { name: 'd', namespace: 'x' } }), (err: StatusError) => {
      assert.equal(err.code, 403);
      assert.equal(err.message, 'configmaps "d" is forbidden: unable to create new content in namespace x because it is being terminated');
      return true;
    });
    await settle();
    assert.ok(await gone(() => client.resource(CONFIGMAPS).get('c', { namespace: 'x' })), 'the configmap went at once');
    const podDeletes = cluster.audit.query({ verb: 'delete', resource: 'pods', namespace: 'x' });
    assert.deepEqual(podDeletes.filter((r) => r.user === 'system:kube-controller-manager').map((r) => [r.name, r.code]), [['p', 200]]);

    for (let i = 0; i < 120 && !(await gone(() => namespaces.get('x'))); i++) await clock.advance(1000);
    assert.ok(await gone(() => pods.get('p', { namespace: 'x' })));
    assert.ok(await gone(() => namespaces.get('x')), 'the empty namespace is gone');
    await assert.rejects(namespaces.delete('default'), (err: StatusError) => err.code === 403);
  } finally {
    await cluster.stop();
  }
});
