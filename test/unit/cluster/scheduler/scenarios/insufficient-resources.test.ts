import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './harness';
import { EVENTS_V1, NODES } from '../../../../../src/cluster/client/client';
import type { KubeObject } from '../../../../../src/cluster/api/types';

test('a pod that fits is bound, with a Scheduled event and an explanation of why that node', async () => {
  const h = await startHarness();
  try {
    await h.addNode('node-1', { cpu: '2' });
    await h.addNode('node-2', { cpu: '4' });
    await h.addPod('nginx', { cpu: '1' });
    const p = await h.getPod('nginx');
    assert.equal(p.spec.nodeName, 'node-2');
    assert.equal(h.condition(p)?.status, 'True');
    const events = await h.events('nginx');
    assert.deepEqual(events.map((e) => [e.type, e.reason, e.action, e.reportingController, e.note]), [
      ['Normal', 'Scheduled', 'Binding', 'default-scheduler', 'Successfully assigned default/nginx to node-2'],
    ]);
    const e = h.explanation(p);
    assert.equal(e.latest.outcome, 'Scheduled');
    assert.equal(e.latest.selectedNode, 'node-2');
    assert.equal(p.metadata.annotations?.['scheduler.kube-sim.io/selected-node'], 'node-2');
    const fit = e.latest.nodes.find((n) => n.node === 'node-2')!.scores!.find((s) => s.plugin === 'NodeResourcesFit')!;
    assert.equal(fit.weight, 1);
    assert.match(e.summary, /^Scheduled on node-2: 2 of 2 evaluated nodes could run it; it scored \d+ against \d+ for node-1, ahead on NodeResourcesFit/);
  } finally {
    await h.stop();
  }
});

test('insufficient resources: FailedScheduling, PodScheduled=False/Unschedulable, explanation and summary', async () => {
  const h = await startHarness();
  try {
    await h.addNode('node-1', { cpu: '2', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
    await h.addNode('node-2', { cpu: '2' });
    await h.addNode('node-3', { cpu: '1' });
    await h.addPod('filler-2', { cpu: '500m', nodeName: 'node-2' });
    await h.addPod('filler-3', { cpu: '500m', nodeName: 'node-3' });
    await h.addPod('big', { cpu: '2' });
    const p = await h.getPod('big');
    const msg = '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
    assert.equal(p.spec.nodeName, undefined);
    assert.deepEqual(h.condition(p) && { status: h.condition(p)!.status, reason: h.condition(p)!.reason, message: h.condition(p)!.message }, { status: 'False', reason: 'Unschedulable', message: msg });
    const events = await h.events('big');
    assert.deepEqual(events.map((e) => [e.type, e.reason, e.action, e.note]), [['Warning', 'FailedScheduling', 'Scheduling', msg]]);
    const e = h.explanation(p);
    assert.equal(e.latest.outcome, 'Unschedulable');
    assert.deepEqual(e.latest.nodes.find((n) => n.node === 'node-1')!.filters.slice(0, 3).map((f) => [f.plugin, f.verdict]), [['NodeUnschedulable', 'passed'], ['NodeName', 'passed'], ['TaintToleration', 'rejected']]);
    assert.equal(e.summary, 'Pending: no node has 2 CPUs free; node-2 has 1.5, node-3 has 0.5. Lower spec.containers[0].resources.requests.cpu or add a node. 1 node has the taint node-role.kubernetes.io/control-plane that the pod does not tolerate. Add a toleration for it to spec.tolerations, or remove it (kubectl taint node node-1 node-role.kubernetes.io/control-plane-). Preempting other pods would not help: none has a lower priority.');
    const filterResult = JSON.parse(p.metadata.annotations!['scheduler.kube-sim.io/filter-result']!);
    assert.equal(filterResult['node-2'].NodeResourcesFit, 'Insufficient cpu');
  } finally {
    await h.stop();
  }
});

test('retries that fail the same way leave the pending pod alone (no new MODIFIED for watchers); a new outcome is written', async () => {
  const h = await startHarness();
  try {
    await h.addNode('node-1', { cpu: '1' });
    await h.addPod('big', { cpu: '2' });
    const first = await h.getPod('big');
    assert.equal(h.condition(first)?.reason, 'Unschedulable');
    // A node update is a cluster event that moves the pod back to the queue: each one is a retry
    // that fails exactly as before (within the 50 s after which these kubelet-less nodes go unreachable).
    for (let i = 0; i < 3; i++) {
      await h.client.resource(NODES).patch('node-1', 'merge', { metadata: { labels: { retry: String(i) } } });
      await h.advance(11_000);
    }
    const series = (await h.client.resource<KubeObject>(EVENTS_V1).list({ namespace: 'default' })).items
      .filter((e) => (e.regarding as { name?: string }).name === 'big' && e.reason === 'FailedScheduling')
      .map((e) => (e.series as { count?: number } | undefined)?.count ?? 1);
    assert.ok(series.reduce((a, b) => a + b, 0) >= 3, `the scheduler retried: ${JSON.stringify(series)}`);
    const later = await h.getPod('big');
    assert.equal(later.metadata.resourceVersion, first.metadata.resourceVersion, 'a retry with the same outcome must not rewrite the pod');

    // Another node, too small as well, changes the message: that attempt is written.
    await h.addNode('node-2', { cpu: '1' });
    await h.advance(1_000);
    const changed = await h.getPod('big');
    assert.notEqual(changed.metadata.resourceVersion, first.metadata.resourceVersion);
    assert.match(h.condition(changed)!.message!, /^0\/2 nodes are available: 2 Insufficient cpu\./);
    assert.match(h.explanation(changed).summary, /node-2/);
  } finally {
    await h.stop();
  }
});

test('a node status write that grows allocatable retries the pending pod, which then fits; a heartbeat alone leaves it pending and unwritten', async () => {
  const h = await startHarness();
  try {
    await h.addNode('node-1', { cpu: '1' });
    await h.addPod('big', { cpu: '2' });
    const pending = await h.getPod('big');
    assert.equal(h.condition(pending)?.reason, 'Unschedulable');
    const nodes = h.client.resource(NODES);
    const node = await nodes.get('node-1');
    const status = node.status as { allocatable: Record<string, string>; capacity: Record<string, string>; conditions?: { lastHeartbeatTime?: string }[] };
    // A heartbeat: the same allocatable, spec, labels and images sent again; the pod stays as it was.
    await nodes.patch('node-1', 'merge', { status: { allocatable: { ...status.allocatable }, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:05Z' }] } }, { subresource: 'status' });
    await h.advance(10_000);
    assert.equal((await h.getPod('big')).metadata.resourceVersion, pending.metadata.resourceVersion);
    assert.deepEqual((await h.events('big')).map((e) => e.reason), ['FailedScheduling']);
    // More CPU: the pod is retried after its back-off, long before the unschedulable pool's 5-minute flush, and fits.
    await nodes.patch('node-1', 'merge', { status: { allocatable: { ...status.allocatable, cpu: '4' }, capacity: { ...status.capacity, cpu: '4' } } }, { subresource: 'status' });
    await h.advance(10_000);
    assert.equal((await h.getPod('big')).spec.nodeName, 'node-1');
  } finally {
    await h.stop();
  }
});
