/**
 * Issue 5 item 2 in the real extension host: nodes drained, uncordoned, their kubelet stopped and
 * started, and removed with pods on them, at run time, as the tree shows it and as the API reads.
 * Time moves by the cluster clock: paused and stepped where the grace periods matter (50 s until a
 * silent node turns Unknown, 300 s until its pods are evicted), running (kubeSim.speed 20 in the
 * test workspace) where only the order matters. Every node here is added by its test, so the others
 * keep node-1 … node-3 as they were.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Node, Pod } from '../../../src/cluster/api/types';
import { NODES, PODS } from '../../../src/cluster/client/client';
import type { ClusterSession } from '../../../src/ui/cluster-session';
import { kubeSim, nodeRow, podRow, treeWhere } from './tree';

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
const step = (seconds: number) => vscode.commands.executeCommand('kubeSim.stepClock', seconds);

suite('Nodes at run time (issue 5)', () => {
  // A test that times out leaves its promise running; the clock must not stay paused for the next ones.
  teardown(() => vscode.commands.executeCommand('kubeSim.resumeClock'));

  test('Drain cordons the node and evicts its pods; Uncordon makes it schedulable again', async () => {
    const api = await kubeSim();
    const session = await api.session();
    await nodeWithPods(session, 'node-7', ['drain-a', 'drain-b']);

    assert.equal(await vscode.commands.executeCommand('kubeSim.drainNode', 'node-7'), 'node-7');
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
    await nodeWithPods(session, 'node-8', ['orphan']);
    await vscode.commands.executeCommand('kubeSim.pauseClock');
    try {
      assert.equal(await vscode.commands.executeCommand('kubeSim.stopKubelet', 'node-8'), 'node-8');
      let tree = await treeWhere(api, (t) => nodeRow(t, 'node-8')?.contextValue === 'kubeSim.node.kubeletStopped');
      assert.match(nodeRow(tree, 'node-8')!.description ?? '', /^Ready · kubelet stopped · 1 pod · /);

      // 30 s of silence is within the grace period: the node is still Ready.
      await step(30);
      assert.equal(readyCondition(await readNode(session, 'node-8'))?.status, 'True');

      // 60 s: more than 50 s since the last heartbeat (a lease renewal, at most 10 s before the stop).
      // A step can end before the writes its timers started have landed: wait for what they show.
      await step(30);
      tree = await treeWhere(api, (t) => /^Unknown · kubelet stopped · 1 pod · .* · 2 taints$/.test(nodeRow(t, 'node-8')?.description ?? '')
        && podRow(t, 'orphan')?.row.icon === 'warning list.warningForeground');
      assert.equal(nodeRow(tree, 'node-8')!.icon, 'question list.warningForeground');
      assert.match(podRow(tree, 'orphan')!.row.description ?? '', /^Running · 1\/1 · /, "kubectl's READY counts ready containers: still 1/1");
      const unknown = await readNode(session, 'node-8');
      assert.deepEqual([readyCondition(unknown)?.status, readyCondition(unknown)?.reason, readyCondition(unknown)?.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
      assert.deepEqual(unknown?.spec?.taints?.map((t) => `${t.key}:${t.effect}`).sort(), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
      const [notReady] = await podsOn(session, 'node-8');
      assert.equal(notReady?.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False');

      // The default toleration of node.kubernetes.io/unreachable is 300 s from the taint's timeAdded:
      // then the taint eviction controller deletes the pod; with no kubelet to finish it, it stays Terminating.
      const timeAdded = Date.parse(unknown!.spec!.taints!.find((t) => t.effect === 'NoExecute')!.timeAdded!);
      await step((timeAdded + 300_000 - session.cluster.clock.now()) / 1000 - 1);
      assert.equal((await podsOn(session, 'node-8'))[0]?.metadata.deletionTimestamp, undefined, 'tolerated for 300 s');
      await step(2);
      tree = await treeWhere(api, (t) => /^Terminating · /.test(podRow(t, 'orphan')?.row.description ?? ''));
      assert.equal(podRow(tree, 'orphan')!.parent, 'node-8');
      assert.equal(podRow(tree, 'orphan')!.row.icon, 'trash charts.orange');
      const [evicted] = await podsOn(session, 'node-8');
      assert.ok(evicted?.metadata.deletionTimestamp, 'the pod is being deleted');
      assert.deepEqual(evicted.status?.conditions?.filter((c) => c.type === 'DisruptionTarget').map((c) => [c.status, c.reason]), [['True', 'DeletionByTaintManager']]);

      assert.equal(await vscode.commands.executeCommand('kubeSim.startKubelet', 'node-8'), 'node-8');
      tree = await treeWhere(api, (t) => /^Ready · [01] pods? · /.test(nodeRow(t, 'node-8')?.description ?? ''));
      assert.equal(nodeRow(tree, 'node-8')!.contextValue, 'kubeSim.node');
      assert.equal(nodeRow(tree, 'node-8')!.icon, 'server testing.iconPassed');
    } finally {
      await vscode.commands.executeCommand('kubeSim.resumeClock');
    }
    // The kubelet is back: it finishes the deletion, and the lifecycle controller lifts the taints.
    await treeWhere(api, (t) => podRow(t, 'orphan') === undefined && /^Ready · 0 pods · [^·]+ · [^·]+$/.test(nodeRow(t, 'node-8')?.description ?? ''));
    assert.deepEqual(await podsOn(session, 'node-8'), []);
    await vscode.commands.executeCommand('kubeSim.deleteNode', 'node-8');
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
