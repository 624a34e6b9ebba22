import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PODS } from '../../../../../src/cluster/client/client';
import type { Pod } from '../../../../../src/cluster/api/types';
import { startHarness } from './harness';

test('a pod that finished frees its node for a pending pod', async () => {
  const h = await startHarness();
  try {
    await h.addNode('node-1', { cpu: '1' });
    await h.addPod('job', { cpu: '1' });
    assert.equal((await h.getPod('job')).spec.nodeName, 'node-1');
    await h.addPod('next', { cpu: '1' });
    assert.equal(h.condition(await h.getPod('next'))?.reason, 'Unschedulable');
    const job = await h.getPod('job');
    job.status = { ...job.status, phase: 'Succeeded' };
    await h.client.resource<Pod>(PODS).update(job, { subresource: 'status' });
    await h.settle();
    await h.advance(1000);
    assert.equal((await h.getPod('next')).spec.nodeName, 'node-1');
  } finally {
    await h.stop();
  }
});
