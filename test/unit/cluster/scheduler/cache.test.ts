import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../../src/cluster/clock';
import { SchedulerCache } from '../../../../src/cluster/scheduler/cache/cache';
import { node, pod, podInfo } from './fixtures';

test('the cache counts assumed pods at once, confirms them from the informer, and forgets failed bindings', () => {
  const cache = new SchedulerCache(new ManualClock());
  cache.addNode(node('node-1', { cpu: '2' }));
  const p = pod('web', { cpu: '500m' });
  const info = podInfo(p);
  cache.assumePod(info, 'node-1');
  const n = cache.snapshot().get('node-1')!;
  assert.equal(n.requested.milliCPU, 500);
  assert.ok(cache.isAssumed(p));
  cache.addPod({ ...p, spec: { ...p.spec, nodeName: 'node-1' } });
  assert.ok(!cache.isAssumed(p));
  assert.equal(n.requested.milliCPU, 500, 'confirmed, not counted twice');
  const q = pod('job', { cpu: '1' });
  cache.assumePod(podInfo(q), 'node-1');
  assert.equal(n.requested.milliCPU, 1500);
  cache.forgetPod(q);
  assert.equal(n.requested.milliCPU, 500);
  cache.removePod(p);
  assert.equal(n.requested.milliCPU, 0);
});

test('pods that arrive before their node wait in a placeholder the snapshot does not list', () => {
  const cache = new SchedulerCache(new ManualClock());
  cache.addPod(pod('early', { cpu: '1', nodeName: 'node-9' }));
  assert.equal(cache.snapshot().nodes.length, 0);
  cache.addNode(node('node-9', { cpu: '4' }));
  assert.equal(cache.snapshot().get('node-9')!.requested.milliCPU, 1000);
  cache.removeNode(node('node-9'));
  assert.equal(cache.snapshot().nodes.length, 0);
});

test('the cache journals every node a change touches; a reader further behind than the journal keeps starts over', () => {
  const cache = new SchedulerCache(new ManualClock());
  cache.addNode(node('node-1'));
  cache.addNode(node('node-2'));
  const journal = cache.snapshot().changes!;
  const from = journal.position;
  const p = pod('web', { cpu: '100m' });
  cache.assumePod(podInfo(p), 'node-2');
  cache.addPod({ ...p, spec: { ...p.spec, nodeName: 'node-1' } }); // bound elsewhere: both nodes change
  assert.deepEqual(journal.since(from)!.map((n) => n.name), ['node-2', 'node-2', 'node-1']);
  assert.deepEqual(journal.since(journal.position), []);
  for (let i = 0; i < 5000; i++) cache.updateNode(node('node-1'));
  assert.equal(journal.since(from), undefined);
});

test('a node keeps exact counts through many status updates and removals from the middle of its pod list', () => {
  const cache = new SchedulerCache(new ManualClock());
  cache.addNode(node('node-1', { cpu: '100' }));
  const pods = Array.from({ length: 50 }, (_, i) => pod(`p-${i}`, { cpu: '100m', nodeName: 'node-1', hostPorts: i % 10 === 0 ? [8000 + i] : undefined }));
  for (const p of pods) cache.addPod(p);
  for (const p of pods) cache.updatePod({ ...p, status: { phase: 'Running' } });
  for (let i = 0; i < 50; i += 3) cache.removePod(pods[i]!);
  const left = pods.filter((_, i) => i % 3 !== 0);
  const n = cache.snapshot().get('node-1')!;
  assert.deepEqual(n.pods.map((p) => p.pod.metadata.name).sort(), left.map((p) => p.metadata.name).sort());
  assert.equal(n.requested.milliCPU, left.length * 100);
  assert.deepEqual([...n.usedPorts.keys()].sort(), ['TCP/8010', 'TCP/8020', 'TCP/8040']);
  for (const p of left) cache.removePod(p);
  assert.equal(n.pods.length, 0);
  assert.equal(n.requested.milliCPU, 0);
  cache.removePod(pods[1]!); // already gone: nothing changes
  assert.equal(n.podCount, 0);
});
