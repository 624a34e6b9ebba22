import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ApplyOutcome } from '../../../src/ui/apply/apply';
import { kubeSim, nodeRows, podRows, treeWhere } from './tree';

const SLEEPER = `# applied from an unsaved editor
apiVersion: v1
kind: Pod
metadata:
  name: integration-sleeper
  labels:
    app: integration
spec:
  containers:
    - name: main
      image: busybox:1.36
      command: ["sleep", "3600"]
`;

suite('Kube Sim in a real VS Code', () => {
  test('activates and starts the embedded cluster', async () => {
    const api = await kubeSim();
    const info = await api.whenRunning();
    assert.equal(info.name, 'kube-sim');
    assert.match(info.version, /^v1\.32\./);
    assert.match(info.endpoint ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
  });

  test('the cluster tree shows the cluster and its three nodes', async () => {
    const api = await kubeSim();
    const info = await api.whenRunning();
    await api.whenTreeSynced();
    const tree = await treeWhere(api, (t) => nodeRows(t).length === 3);
    assert.equal(tree.length, 1);
    assert.equal(tree[0]!.label, 'kube-sim');
    assert.ok(tree[0]!.description?.includes((info.endpoint ?? '?').replace('https://', '')), `cluster row description: ${tree[0]!.description}`);
    assert.match(tree[0]!.description ?? '', /^127\.0\.0\.1:\d+ · v1\.32\.\d+ · (running|paused)/);
    assert.deepEqual(nodeRows(tree).map((row) => row.label), ['node-1', 'node-2', 'node-3']);
    assert.ok(tree[0]!.children.some((row) => row.label === 'Pending'), 'a Pending group');
  });

  test('Apply Pod applies the unsaved manifest in the active editor and the pod shows up in the tree', async () => {
    const api = await kubeSim();
    await api.whenTreeSynced();
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: SLEEPER });
    await vscode.window.showTextDocument(document);
    assert.equal(document.isDirty || document.isUntitled, true);

    const outcome = await vscode.commands.executeCommand<ApplyOutcome>('kubeSim.applyPod');
    assert.deepEqual(outcome.failed.map((f) => f.error.message), []);
    assert.deepEqual(outcome.applied.map((a) => a.displayName), ['pod/integration-sleeper']);
    assert.equal(outcome.applied[0]!.object.metadata.namespace, 'default');

    // Pending until the scheduler binds it; then under its node.
    const tree = await treeWhere(api, (t) => podRows(t).some((row) => row.endsWith('/integration-sleeper')));
    const row = podRows(tree).find((r) => r.endsWith('/integration-sleeper'))!;
    assert.match(row, /^(Pending|node-[123])\/integration-sleeper$/);
  });

  test('Apply Pod reports what the server rejects, in its words, and applies the rest', async () => {
    const api = await kubeSim();
    await api.whenTreeSynced();
    const manifests = `apiVersion: v1
kind: Pud
metadata:
  name: typo
---
apiVersion: v1
kind: Pod
metadata:
  name: integration-second
spec:
  containers:
    - name: main
      image: nginx:1.27
`;
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: manifests });
    await vscode.window.showTextDocument(document);
    const outcome = await vscode.commands.executeCommand<ApplyOutcome>('kubeSim.applyPod');
    assert.deepEqual(outcome.failed.map((f) => f.error.message), ['no matches for kind "Pud" in version "v1"']);
    assert.deepEqual(outcome.applied.map((a) => a.displayName), ['pod/integration-second']);
  });
});
