/**
 * Issue 6 in the real extension host: apply through the command (a pod reaches Running under its
 * node), diagnostics at the field's line and column, Pending with the scheduler's reason, the
 * inspection documents, node actions, and the terminal's KUBECONFIG used by a real kubectl.
 * The test workspace runs the cluster clock fast (kubeSim.speed in its settings).
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { ApplyResult } from '../../../src/ui/apply/applier';
import { terminalEnv } from '../../../src/ui/commands/open-terminal';
import type { RenderedTreeItem } from '../../../src/ui/api';
import { kubeSim, treeWhere } from './tree';

const run = promisify(execFile);

async function openYaml(content: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content });
  return vscode.window.showTextDocument(document);
}

function rowUnder(tree: RenderedTreeItem[], pod: string): { parent: string; row: RenderedTreeItem } | undefined {
  for (const group of tree[0]?.children ?? []) {
    const row = group.children.find((r) => r.label === pod && r.contextValue?.startsWith('kubeSim.pod'));
    if (row) return { parent: group.label, row };
  }
  return undefined;
}

const WEB = `apiVersion: v1
kind: Pod
metadata:
  name: editor-web
spec:
  containers:
    - name: web
      image: nginx:1.27
      resources:
        requests:
          cpu: 100m
          memory: 64Mi
`;

suite('The editor experience (issue 6)', () => {
  test('Apply Pod from the palette: the pod shows under its node as Running, with ready count and IP', async () => {
    const api = await kubeSim();
    await api.whenTreeSynced();
    await openYaml(WEB);
    const result = await vscode.commands.executeCommand<ApplyResult>('kubeSim.applyPod');
    assert.deepEqual(result.failed.map((f) => f.error.message), []);
    assert.deepEqual(result.applied.map((a) => a.displayName), ['pod/editor-web']);
    const tree = await treeWhere(api, (t) => /^Running · 1\/1 · \d+\.\d+\.\d+\.\d+$/.test(rowUnder(t, 'editor-web')?.row.description ?? ''));
    const found = rowUnder(tree, 'editor-web')!;
    assert.match(found.parent, /^node-\d$/);
    const node = tree[0]!.children.find((n) => n.label === found.parent)!;
    assert.match(node.description ?? '', /^Ready · \d+ pods? · cpu 100m\/4 · mem 64Mi\/\d/);
    // Its children: the container, conditions and events.
    assert.deepEqual(found.row.children.map((c) => c.label), ['web', 'Conditions', 'Events']);
    assert.match(found.row.children[0]!.description ?? '', /^Running · 0 restarts · nginx:1\.27$/);
  });

  test('a manifest the API server rejects gets diagnostics at the fields, from the dry run, and nothing is created', async () => {
    const editor = await openYaml(`apiVersion: v1
kind: Pod
metadata:
  name: editor-invalid
spec:
  restartPolicy: Sometimes
  containers:
    - name: web
      image: nginx:1.27
      ports:
        - containerPort: -80
`);
    const result = await vscode.commands.executeCommand<ApplyResult>('kubeSim.applyPod');
    assert.deepEqual(result.applied, []);
    assert.equal(result.failed.length, 1);
    const all = vscode.languages.getDiagnostics(editor.document.uri);
    // The schema knows no lower bound for a port: only the API server's validation, through the dry run, does.
    const port = all.find((d) => d.source === 'Kube Sim apply' && d.message.startsWith('spec.containers[0].ports[0].containerPort'));
    assert.ok(port, `a dry-run diagnostic on the port among ${JSON.stringify(all.map((d) => `${d.source}: ${d.message}`))}`);
    assert.match(port.message, /Invalid value: -80: must be between 1 and 65535, inclusive/);
    assert.deepEqual([port.range.start.line, port.range.start.character, port.range.end.line, port.range.end.character], [10, 25, 10, 28], 'the value -80 on line 11');
    assert.equal(port.severity, vscode.DiagnosticSeverity.Error);
    // restartPolicy is said once, by whichever source saw it first, at the value.
    const policy = all.filter((d) => d.message.startsWith('spec.restartPolicy: Unsupported value: "Sometimes"'));
    assert.equal(policy.length, 1, JSON.stringify(all.map((d) => `${d.source}: ${d.message}`)));
    assert.deepEqual([policy[0]!.range.start.line, policy[0]!.range.start.character], [5, 17]);
    const session = await (await kubeSim()).session();
    assert.equal(session.model.pod('default', 'editor-invalid'), undefined, 'the dry run created nothing');
  });

  test('an unschedulable pod shows under Pending with the scheduler\'s reason', async () => {
    const api = await kubeSim();
    await openYaml(`apiVersion: v1
kind: Pod
metadata:
  name: editor-too-big
spec:
  containers:
    - name: app
      image: nginx:1.27
      resources:
        requests:
          cpu: "64"
`);
    await vscode.commands.executeCommand<ApplyResult>('kubeSim.applyPod');
    const tree = await treeWhere(api, (t) => /Insufficient cpu|CPU/.test(rowUnder(t, 'editor-too-big')?.row.description ?? ''));
    const found = rowUnder(tree, 'editor-too-big')!;
    assert.equal(found.parent, 'Pending');
    assert.match(found.row.description ?? '', /^Pending · 0\/1 · /);
    assert.equal(found.row.contextValue, 'kubeSim.pod.unschedulable');
  });

  test('the context-menu commands open read-only kubesim: documents: YAML, Describe, Events, Logs, Why', async () => {
    const ref = { namespace: 'default', name: 'editor-web' };
    const yaml = await vscode.commands.executeCommand<vscode.TextDocument>('kubeSim.showYaml', ref);
    assert.equal(yaml.uri.scheme, 'kubesim');
    assert.equal(yaml.languageId, 'yaml');
    assert.match(yaml.getText(), /^kind: Pod$/m);
    assert.doesNotMatch(yaml.getText(), /managedFields/);

    const describe = await vscode.commands.executeCommand<vscode.TextDocument>('kubeSim.describe', ref);
    assert.match(describe.getText(), /^Name:\s+editor-web$/m);
    assert.match(describe.getText(), /^Node:\s+node-\d\/\S+$/m);
    assert.match(describe.getText(), /^Containers:\n {2}web:\n {4}Container ID:/m);
    assert.match(describe.getText(), /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/editor-web to node-\d/);

    const events = await vscode.commands.executeCommand<vscode.TextDocument>('kubeSim.showEvents', ref);
    assert.match(events.getText(), /Pulling|Pulled/);

    const logs = await vscode.commands.executeCommand<vscode.TextDocument>('kubeSim.showLogs', ref, { follow: true });
    assert.equal(logs.uri.scheme, 'kubesim');
    assert.ok(logs.getText().length > 0);

    const why = await vscode.commands.executeCommand<vscode.TextDocument>('kubeSim.whyPod', { namespace: 'default', name: 'editor-too-big' });
    const text = why.getText();
    assert.match(text, /^Why is pod default\/editor-too-big Pending\?/);
    assert.match(text, /NODE\s+.*NodeResourcesFit/);
    assert.match(text, /REJECTED/);
    assert.match(text, /kube-sim-admin created the pod/);

    const whyHere = await vscode.commands.executeCommand<vscode.TextDocument>('kubeSim.whyPod', ref);
    assert.match(whyHere.getText(), /the scheduler bound the pod to its node/);
    assert.match(whyHere.getText(), /the kubelet on node-\d reported the pod's status/);
    assert.match(whyHere.getText(), /POST \/api\/v1\/namespaces\/default\/pods\/editor-web\/binding/);
  });

  test('Reveal Manifest jumps from the pod to the document that applied it', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('kubeSim.revealManifest', { namespace: 'default', name: 'editor-web' });
    assert.ok(editor, 'an editor');
    assert.match(editor.document.getText(), /name: editor-web/);
    assert.equal(editor.selection.active.line, 0);
  });

  test('node actions: cordon shows on the node row; a new node appears', async () => {
    const api = await kubeSim();
    await vscode.commands.executeCommand('kubeSim.cordonNode', 'node-3');
    await treeWhere(api, (t) => t[0]!.children.some((n) => n.label === 'node-3' && /SchedulingDisabled/.test(n.description ?? '') && n.contextValue === 'kubeSim.node.cordoned'));
    await vscode.commands.executeCommand('kubeSim.uncordonNode', 'node-3');
    await treeWhere(api, (t) => t[0]!.children.some((n) => n.label === 'node-3' && /^Ready ·/.test(n.description ?? '')));
    assert.equal(await vscode.commands.executeCommand('kubeSim.addNode', 'node-9'), 'node-9');
    await treeWhere(api, (t) => t[0]!.children.some((n) => n.label === 'node-9' && /^Ready/.test(n.description ?? '')));
    await vscode.commands.executeCommand('kubeSim.deleteNode', 'node-9');
    await treeWhere(api, (t) => !t[0]!.children.some((n) => n.label === 'node-9'));
  });

  test('clock controls: pause and resume show on the cluster row', async () => {
    const api = await kubeSim();
    await vscode.commands.executeCommand('kubeSim.pauseClock');
    await treeWhere(api, (t) => /· paused$/.test(t[0]!.description ?? ''));
    await vscode.commands.executeCommand('kubeSim.stepClock', 1);
    await vscode.commands.executeCommand('kubeSim.resumeClock');
    await treeWhere(api, (t) => /· running \d/.test(t[0]!.description ?? ''));
  });

  test("kubectl with the terminal's environment reaches the cluster", async () => {
    const api = await kubeSim();
    const info = await api.whenRunning();
    assert.ok(info.kubeconfigPath);
    const terminal = await vscode.commands.executeCommand<vscode.Terminal>('kubeSim.openTerminal');
    assert.equal((terminal.creationOptions as vscode.TerminalOptions).env?.KUBECONFIG, info.kubeconfigPath);
    const { stdout } = await run('kubectl', ['get', 'pod', 'editor-web', '-o', 'jsonpath={.spec.nodeName}'], { env: { ...process.env, ...terminalEnv(info.kubeconfigPath) } });
    assert.match(stdout, /^node-\d$/);
    const contexts = await run('kubectl', ['config', 'get-contexts', '-o', 'name'], { env: { ...process.env, ...terminalEnv(info.kubeconfigPath) } });
    assert.deepEqual(contexts.stdout.trim().split('\n').sort(), ['kube-sim', 'kube-sim-viewer']);
    terminal.dispose();
  });
});
