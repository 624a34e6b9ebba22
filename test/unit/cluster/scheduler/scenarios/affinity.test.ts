import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './harness';

const zone = (z: string) => ({ 'topology.kubernetes.io/zone': z });

test('node affinity and nodeSelector pick matching nodes, or say which field to change', async () => {
  const h = await startHarness();
  try {
    await h.addNode('hdd-1', { labels: { disk: 'hdd' } });
    await h.addNode('ssd-1', { labels: { disk: 'ssd' } });
    await h.addPod('db', { nodeSelector: { disk: 'ssd' } });
    assert.equal((await h.getPod('db')).spec.nodeName, 'ssd-1');
    await h.addPod('fast', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['nvme'] }] }] } } } });
    const p = await h.getPod('fast');
    assert.equal(h.condition(p)?.message, "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
    assert.match(h.explanation(p).summary, /^Pending: 2 nodes don't match spec\.affinity\.nodeAffinity\./);
    assert.deepEqual((await h.events('fast')).map((e) => [e.reason, e.action, e.reportingController]), [['FailedScheduling', 'Scheduling', 'default-scheduler']]);
    assert.equal(h.explanation(await h.getPod('db')).latest.selectedNode, 'ssd-1');
  } finally {
    await h.stop();
  }
});

test('pod affinity puts a pod beside its peer; anti-affinity keeps replicas apart', async () => {
  const h = await startHarness();
  try {
    await h.addNode('node-1');
    await h.addNode('node-2');
    await h.addPod('cache', { labels: { app: 'cache' }, nodeName: 'node-2' });
    await h.addPod('web', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' }] } } });
    assert.equal((await h.getPod('web')).spec.nodeName, 'node-2');
    const apart = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    await h.addPod('db-0', { labels: { app: 'db' }, affinity: apart });
    await h.addPod('db-1', { labels: { app: 'db' }, affinity: apart });
    await h.addPod('db-2', { labels: { app: 'db' }, affinity: apart });
    const nodes = [(await h.getPod('db-0')).spec.nodeName, (await h.getPod('db-1')).spec.nodeName].sort();
    assert.deepEqual(nodes, ['node-1', 'node-2']);
    const third = await h.getPod('db-2');
    assert.equal(h.condition(third)?.message, "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.");
  } finally {
    await h.stop();
  }
});

test('topology spread across zones: DoNotSchedule keeps the zones within maxSkew', async () => {
  const h = await startHarness();
  try {
    await h.addNode('a-1', { labels: zone('a') });
    await h.addNode('b-1', { labels: zone('b') });
    await h.addNode('c-1', { labels: zone('c'), cpu: '1' });
    const spread = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' as const, labelSelector: { matchLabels: { app: 'web' } } }];
    const web = (i: number) => h.addPod(`web-${i}`, { labels: { app: 'web' }, spread, cpu: '400m' });
    const perNode = async (n: number) => {
      const m: Record<string, number> = {};
      for (let i = 0; i < n; i++) { const node = (await h.getPod(`web-${i}`)).spec.nodeName ?? 'pending'; m[node] = (m[node] ?? 0) + 1; }
      return m;
    };
    for (let i = 0; i < 6; i++) await web(i);
    assert.deepEqual(await perNode(6), { 'a-1': 2, 'b-1': 2, 'c-1': 2 });
    // c-1 is full now; a and b may each take one more (skew 1 against c), then the zones are too uneven.
    for (let i = 6; i < 9; i++) await web(i);
    assert.deepEqual(await perNode(9), { 'a-1': 3, 'b-1': 3, 'c-1': 2, pending: 1 });
    const p = await h.getPod('web-8');
    assert.equal(h.condition(p)?.message, "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match pod topology spread constraints. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
    assert.match(h.explanation(p).summary, /would make the spread uneven beyond maxSkew/);
  } finally {
    await h.stop();
  }
});
