/** Scheduling gates on pod updates, as 1.32 allows: removing gates (some or all) is fine, adding one is not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PODS } from '../../../../src/cluster/client/client';
import type { StatusError } from '../../../../src/cluster/api/errors';
import type { Pod } from '../../../../src/cluster/api/types';
import { pod, startCluster } from './fixture';

test('a gated pod loses its gates one by one, by JSON patch, merge patch and update; a new gate is refused', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const gates = [{ name: 'example.com/a' }, { name: 'example.com/b' }, { name: 'example.com/c' }];
    await pods.create(pod('p', {}, { schedulerName: 'nobody', schedulingGates: gates }));
    const one = await pods.patch('p', 'json', [{ op: 'remove', path: '/spec/schedulingGates/0' }], { namespace: 'default' });
    assert.deepEqual(one.spec.schedulingGates, gates.slice(1));
    await assert.rejects(pods.patch('p', 'json', [{ op: 'add', path: '/spec/schedulingGates/-', value: { name: 'example.com/d' } }], { namespace: 'default' }), (err: StatusError) => {
      assert.equal(err.code, 422);
      assert.match(err.message, /spec.schedulingGates\[2\]: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com\/d'/);
      return true;
    });
    const live = await pods.get('p', { namespace: 'default' });
    live.spec.schedulingGates = [{ name: 'example.com/c' }];
    const updated = await pods.update(live);
    assert.deepEqual(updated.spec.schedulingGates, [{ name: 'example.com/c' }]);
    const none = await pods.patch('p', 'merge', { spec: { schedulingGates: null } }, { namespace: 'default' });
    assert.equal(none.spec.schedulingGates, undefined);
  } finally {
    await cluster.stop();
  }
});

test('strategic merge patches and server-side apply remove gates too', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const manifest = pod('p', {}, { schedulerName: 'nobody', schedulingGates: [{ name: 'example.com/a' }, { name: 'example.com/b' }] });
    await pods.patch('p', 'apply', manifest, { namespace: 'default', fieldManager: 'kubectl' });
    const smp = await pods.patch('p', 'strategic', { spec: { $setElementOrder: undefined, schedulingGates: [{ name: 'example.com/a', $patch: 'delete' }] } }, { namespace: 'default' });
    assert.deepEqual(smp.spec.schedulingGates, [{ name: 'example.com/b' }]);
    const applied = await pods.patch('p', 'apply', pod('p', {}, { schedulerName: 'nobody' }), { namespace: 'default', fieldManager: 'kubectl' });
    assert.equal(applied.spec.schedulingGates, undefined);
  } finally {
    await cluster.stop();
  }
});
