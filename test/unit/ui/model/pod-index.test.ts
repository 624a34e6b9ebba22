import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from '../../../../src/cluster/api/types';
import { Coalescer, type TimerFunctions } from '../../../../src/ui/coalescer';
import { PENDING, PodIndex } from '../../../../src/ui/model/pod-index';

function pod(i: number, node: string | undefined, cpu = '100m'): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}`, namespace: 'default', uid: `uid-${i}` },
    spec: { ...(node ? { nodeName: node } : {}), containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu, memory: '64Mi' } } }] },
    status: { phase: node ? 'Running' : 'Pending' },
  };
}

test('pods are listed under their node, in natural order, and move when bound', () => {
  const index = new PodIndex();
  index.upsert(pod(10, 'node-1'));
  index.upsert(pod(2, 'node-1'));
  index.upsert(pod(3, undefined));
  assert.deepEqual(index.podsOn('node-1').map((p) => p.metadata.name), ['pod-2', 'pod-10']);
  assert.deepEqual(index.podsOn(PENDING).map((p) => p.metadata.name), ['pod-3']);
  index.upsert(pod(3, 'node-2'));
  assert.equal(index.count(PENDING), 0);
  assert.deepEqual(index.podsOn('node-2').map((p) => p.metadata.name), ['pod-3']);
  index.delete(pod(2, 'node-1'));
  assert.deepEqual(index.podsOn('node-1').map((p) => p.metadata.name), ['pod-10']);
});

test("a node's load counts its non-terminated pods' requests", () => {
  const index = new PodIndex();
  index.upsert(pod(1, 'node-1', '250m'));
  index.upsert(pod(2, 'node-1', '1'));
  const done = pod(3, 'node-1', '2');
  done.status = { phase: 'Succeeded' };
  index.upsert(done);
  assert.deepEqual(index.load('node-1'), { pods: 2, cpuMillis: 1250, memoryBytes: 2 * 64 * 1024 * 1024 });
});

test('5,000 nodes and 50,000 pods: a burst of 50,000 updates is one repaint, which sorts only the groups it reads, once', () => {
  const index = new PodIndex();
  const NODES = 5_000;
  const PODS = 50_000;
  for (let i = 0; i < PODS; i++) index.upsert(pod(i, `node-${(i % NODES) + 1}`));
  assert.equal(index.size, PODS);

  // The tree coalesces: every informer event schedules a repaint; the (fake) timer fires once.
  const fired: (() => void)[] = [];
  const timers: TimerFunctions = { set: (cb) => { fired.push(cb); return fired.length; }, clear: () => undefined };
  let repaints = 0;
  const coalescer = new Coalescer(() => repaints++, 100, timers);
  for (let i = 0; i < PODS; i++) {
    index.upsert(pod(i, `node-${(i % NODES) + 1}`)); // a status update of every pod
    coalescer.schedule();
  }
  assert.equal(fired.length, 1, 'one timer armed for the whole burst');
  fired[0]!();
  assert.equal(repaints, 1);

  // A repaint with the node rows collapsed reads counts and loads only: no sort at all.
  const before = { ...index.work };
  for (let n = 1; n <= NODES; n++) { index.count(`node-${n}`); index.load(`node-${n}`); }
  assert.equal(index.work.sorts - before.sorts, 0);
  assert.equal(index.work.podsVisited - before.podsVisited, PODS, 'each pod summed once for the loads');
  // Reading them again without changes costs nothing.
  const cached = { ...index.work };
  for (let n = 1; n <= NODES; n++) index.load(`node-${n}`);
  assert.deepEqual(index.work, cached);

  // Expanding one node sorts its 10 pods once, however often the view asks.
  for (let k = 0; k < 5; k++) assert.equal(index.podsOn('node-42').length, PODS / NODES);
  assert.equal(index.work.sorts - cached.sorts, 1);
  assert.equal(index.work.podsVisited - cached.podsVisited, PODS / NODES);
});
