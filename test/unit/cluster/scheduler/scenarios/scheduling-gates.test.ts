import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './harness';

// Removing the gates (and the pod then being scheduled) is pinned by the queue's unit test: the API
// server's pod update validation does not allow removing spec.schedulingGates yet.
test('a gated pod waits without scheduling attempts or events', async () => {
  const h = await startHarness();
  try {
    await h.addNode('node-1');
    await h.addPod('gated', { gates: ['example.com/quota'] });
    const p = await h.getPod('gated');
    assert.equal(p.spec.nodeName, undefined);
    assert.equal(h.condition(p)?.reason, 'SchedulingGated');
    assert.deepEqual(await h.events('gated'), []);
    assert.equal(h.scheduler.stats.attempts, 0);
  } finally {
    await h.stop();
  }
});
