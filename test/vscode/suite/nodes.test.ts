/**
 * Issue 5 item 2 in the real extension host: nodes drained, uncordoned, their kubelet stopped and
 * started, and removed with pods on them, at run time, as the tree shows it and as the API reads.
 * Time moves by the cluster clock: paused and stepped where the grace periods matter (50 s until a
 * silent node turns Unknown, 300 s until its pods are evicted), so the API is read at those moments;
 * running (kubeSim.speed 20 in the test workspace) where only the order matters. Every node here is
 * added by its test, so the other files keep node-1 … node-3 as they were.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KubeObject, Node, Pod } from '../../../src/cluster/api/types';
import { LEASES, NODES, PODS } from '../../../src/cluster/client/client';
import { NODE_MONITOR_GRACE_PERIOD_MS, NODE_MONITOR_PERIOD_MS } from '../../../src/cluster/controllers/node-lifecycle';
import type { ClusterSession } from '../../../src/ui/cluster-session';
import { kubeSim, nodeRow, podRow, statusBarWhere, treeWhere } from './tree';

function sleeper(name: string, nodeName: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { test: 'nodes' } },
    spec: { nodeName, containers: [{ name: 'main', image: 'busybox:1.36', command: ['sleep', '3600'] }] },
  } as Pod;
}

/** Adds node `name` through the command and binds `pods` sleepers to it; resolves when the tree shows them Running. */
async function nodeWithPods(session: ClusterSession, name: string, pods: string[]): Promise<void> {
  const api = await kubeSim();
  assert.equal(await vscode.commands.executeCommand('kubeSim.addNode', name), name);
  for (const pod of pods) await session.client.resource<Pod>(PODS).create(sleeper(pod, name), { namespace: 'default' });
  await treeWhere(api, (t) => pods.every((pod) => podRow(t, pod)?.parent === name && /^Running · 1\/1 · /.test(podRow(t, pod)!.row.description ?? '')));
}

async function readNode(session: ClusterSession, name: string): Promise<Node | undefined> {
  return (await session.client.resource<Node>(NODES).list({ fieldSelector: `metadata.name=${name}` })).items[0];
}

async function podsOn(session: ClusterSession, nodeName: string): Promise<Pod[]> {
  return (await session.client.resource<Pod>(PODS).list({ fieldSelector: `spec.nodeName=${nodeName}` })).items;
}

const readyCondition = (node: Node | undefined) => node?.status?.conditions?.find((c) => c.type === 'Ready');

suite('Nodes at run time (issue 5)', () => {
  // A test that times out leaves its promise running; the clock must not stay paused for the next ones.
  teardown(() => vscode.commands.executeCommand('kubeSim.resumeClock'));

  test('Drain cordons the node and evicts its pods; Uncordon makes it schedulable again', async () => {
    const api = await kubeSim();
    const session = await api.session();
    await nodeWithPods(session, 'node-7', ['drain-a', 'drain-b']);

    assert.equal(await vscode.commands.executeCommand('kubeSim.drainNode', 'node-7'), 'node-7');
    // As kubectl drain, the command is done once the evicted pods are gone, not when the evictions are sent.
    assert.deepEqual(await podsOn(session, 'node-7'), []);
    const drained = await treeWhere(api, (t) => /^Ready,SchedulingDisabled · 0 pods · /.test(nodeRow(t, 'node-7')?.description ?? ''));
    const row = nodeRow(drained, 'node-7')!;
    assert.equal(row.contextValue, 'kubeSim.node.cordoned');
    assert.equal(row.icon, 'circle-slash list.warningForeground');
    assert.equal(podRow(drained, 'drain-a'), undefined, 'an evicted bare pod is gone, not rescheduled');
    assert.equal(podRow(drained, 'drain-b'), undefined);
    assert.equal((await readNode(session, 'node-7'))?.spec?.unschedulable, true);
    assert.deepEqual(await podsOn(session, 'node-7'), []);

    assert.equal(await vscode.commands.executeCommand('kubeSim.uncordonNode', 'node-7'), 'node-7');
    const uncordoned = await treeWhere(api, (t) => /^Ready · 0 pods · /.test(nodeRow(t, 'node-7')?.description ?? ''));
    assert.equal(nodeRow(uncordoned, 'node-7')!.contextValue, 'kubeSim.node');
    assert.equal(nodeRow(uncordoned, 'node-7')!.icon, 'server testing.iconPassed');
    assert.equal((await readNode(session, 'node-7'))?.spec?.unschedulable, undefined);
    await vscode.commands.executeCommand('kubeSim.deleteNode', 'node-7');
  });

  test('Stop Kubelet: the row says so at once; Unknown after the 50 s grace; pods evicted 300 s later; Start Kubelet: Ready again', async () => {
    const api = await kubeSim();
    const session = await api.session();
    const clock = session.cluster.clock;
    await nodeWithPods(session, 'node-8', ['orphan']);
    await vscode.commands.executeCommand('kubeSim.pauseClock');
    try {
      assert.equal(await vscode.commands.executeCommand('kubeSim.stopKubelet', 'node-8'), 'node-8');
      let tree = await treeWhere(api, (t) => nodeRow(t, 'node-8')?.contextValue === 'kubeSim.node.kubeletStopped');
      assert.match(nodeRow(tree, 'node-8')!.description ?? '', /^Ready · kubelet stopped · 1 pod · /);

      // The node's last sign of life: its last lease renewal or status heartbeat, whichever came later
      // (the heartbeat's time has whole seconds, so it may have been up to a second later than it says).
      const lease = await session.client.resource<KubeObject>(LEASES).get('node-8', { namespace: 'kube-node-lease' });
      const renewed = Date.parse((lease.spec as { renewTime: string }).renewTime);
      const heartbeat = Date.parse(readyCondition(await readNode(session, 'node-8'))!.lastHeartbeatTime!);
      const lastSeen = Math.max(renewed, heartbeat);
      const stepTo = (at: number) => vscode.commands.executeCommand('kubeSim.stepClock', (at - clock.now()) / 1000);

      // 30 s after the stop, and even 50 s after the last heartbeat, the node is within its grace: Ready.
      await stepTo(clock.now() + 30_000);
      assert.equal(readyCondition(await readNode(session, 'node-8'))?.status, 'True', '30 s after the kubelet stopped');
      await stepTo(lastSeen + NODE_MONITOR_GRACE_PERIOD_MS);
      assert.equal(readyCondition(await readNode(session, 'node-8'))?.status, 'True', 'the 50 s grace is not over yet');
      // The node lifecycle controller looks every 5 s: by one look (and the heartbeat's lost second) later, Unknown.
      await stepTo(lastSeen + NODE_MONITOR_GRACE_PERIOD_MS + NODE_MONITOR_PERIOD_MS + 1_000);
      const unknown = await readNode(session, 'node-8');
      const ready = readyCondition(unknown);
      assert.deepEqual([ready?.status, ready?.reason, ready?.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
      const silent = Date.parse(ready!.lastTransitionTime!) - lastSeen;
      assert.ok(silent > NODE_MONITOR_GRACE_PERIOD_MS - 1_000 && silent <= NODE_MONITOR_GRACE_PERIOD_MS + NODE_MONITOR_PERIOD_MS + 1_000,
        `Unknown ${silent} ms after the last heartbeat: at the first look after the 50 s grace (whole seconds)`);
      const taints = unknown?.spec?.taints ?? [];
      assert.deepEqual(taints.map((t) => `${t.key}:${t.effect}`).sort(), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
      const [notReady] = await podsOn(session, 'node-8');
      assert.equal(notReady?.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');
      tree = await treeWhere(api, (t) => /^NotReady · kubelet stopped · 1 pod · .* · 2 taints$/.test(nodeRow(t, 'node-8')?.description ?? '')
        && podRow(t, 'orphan')?.row.icon === 'warning list.warningForeground');
      assert.equal(nodeRow(tree, 'node-8')!.icon, 'question list.warningForeground');
      assert.match(podRow(tree, 'orphan')!.row.description ?? '', /^Running · 1\/1 · /, "kubectl's READY counts ready containers: still 1/1");
      await statusBarWhere(api, (shown) => / · 4 nodes · 1 not ready · \d+ pending · paused$/.test(shown.text));

      // The default toleration of node.kubernetes.io/unreachable is 300 s from the taint's timeAdded:
      // then the taint eviction controller deletes the pod; with no kubelet to finish it, it stays Terminating.
      const timeAdded = Date.parse(taints.find((t) => t.effect === 'NoExecute')!.timeAdded!);
      await stepTo(timeAdded + 300_000 - 1);
      assert.equal((await podsOn(session, 'node-8'))[0]?.metadata.deletionTimestamp, undefined, 'tolerated for 300 s');
      await stepTo(timeAdded + 300_000);
      const [evicted] = await podsOn(session, 'node-8');
      assert.ok(evicted?.metadata.deletionTimestamp, 'deleted when the 300 s are over');
      const disruption = evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
      assert.deepEqual([disruption?.status, disruption?.reason, disruption?.lastTransitionTime], ['True', 'DeletionByTaintManager', new Date(timeAdded + 300_000).toISOString().replace('.000Z', 'Z')]);
      tree = await treeWhere(api, (t) => /^Terminating · /.test(podRow(t, 'orphan')?.row.description ?? ''));
      assert.equal(podRow(tree, 'orphan')!.parent, 'node-8');
      assert.equal(podRow(tree, 'orphan')!.row.icon, 'trash charts.orange');

      assert.equal(await vscode.commands.executeCommand('kubeSim.startKubelet', 'node-8'), 'node-8');
      tree = await treeWhere(api, (t) => /^Ready · [01] pods? · /.test(nodeRow(t, 'node-8')?.description ?? ''));
      assert.equal(nodeRow(tree, 'node-8')!.contextValue, 'kubeSim.node');
      assert.equal(nodeRow(tree, 'node-8')!.icon, 'server testing.iconPassed');
      await vscode.commands.executeCommand('kubeSim.resumeClock');
      // The kubelet is back: it finishes the deletion, and the lifecycle controller lifts the taints.
      await treeWhere(api, (t) => podRow(t, 'orphan') === undefined && /^Ready · 0 pods · [^·]+ · [^·]+$/.test(nodeRow(t, 'node-8')?.description ?? ''));
      assert.deepEqual(await podsOn(session, 'node-8'), []);
    } finally {
      await vscode.commands.executeCommand('kubeSim.resumeClock');
      await vscode.commands.executeCommand('kubeSim.deleteNode', 'node-8');
    }
  });

  test('Step Clock 60 s with one kubelet stopped: that node turns Unknown, the others stay Ready', async () => {
    const api = await kubeSim();
    assert.equal(await vscode.commands.executeCommand('kubeSim.addNode', 'node-5'), 'node-5');
    await treeWhere(api, (t) => /^Ready · /.test(nodeRow(t, 'node-5')?.description ?? ''));
    await vscode.commands.executeCommand('kubeSim.pauseClock');
    try {
      await vscode.commands.executeCommand('kubeSim.stopKubelet', 'node-5');
      await vscode.commands.executeCommand('kubeSim.stepClock', 60);
      const tree = await treeWhere(api, (t) => /^NotReady · kubelet stopped · .* · 2 taints$/.test(nodeRow(t, 'node-5')?.description ?? ''));
      // Their heartbeats landed in time: a step that outran the store's writes made healthy nodes look silent.
      assert.deepEqual(['node-1', 'node-2', 'node-3'].map((n) => `${n} ${nodeRow(tree, n)?.description?.split(' · ')[0]}`), ['node-1 Ready', 'node-2 Ready', 'node-3 Ready']);
    } finally {
      await vscode.commands.executeCommand('kubeSim.resumeClock');
      await vscode.commands.executeCommand('kubeSim.deleteNode', 'node-5');
    }
  });

  test('Delete Node with pods on it: the node and its pods leave the tree and the API', async () => {
    const api = await kubeSim();
    const session = await api.session();
    await nodeWithPods(session, 'node-6', ['doomed-a', 'doomed-b']);
    assert.equal(await vscode.commands.executeCommand('kubeSim.deleteNode', 'node-6'), 'node-6');
    const tree = await treeWhere(api, (t) => !nodeRow(t, 'node-6') && !podRow(t, 'doomed-a') && !podRow(t, 'doomed-b'));
    assert.deepEqual(tree[0]!.children.filter((r) => r.contextValue?.startsWith('kubeSim.node')).map((r) => r.label), ['node-1', 'node-2', 'node-3']);
    assert.equal(await readNode(session, 'node-6'), undefined);
    assert.deepEqual(await podsOn(session, 'node-6'), []);
  });
});
