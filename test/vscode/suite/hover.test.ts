import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { kubeSim } from './tree';

const MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: hover-probe
spec:
  containers:
  - name: main
    image: busybox:1.36
    iamge: typo
`;

/** Resolves once `uri` has diagnostics that satisfy `predicate`: waits on VS Code's event, not on wall time. */
function diagnosticsWhere(uri: vscode.Uri, predicate: (d: readonly vscode.Diagnostic[]) => boolean): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const check = () => {
      const found = vscode.languages.getDiagnostics(uri);
      if (!predicate(found)) return false;
      subscription.dispose();
      resolve(found);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics(() => void check());
    check();
  });
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

suite('Manifest intelligence in a real VS Code', () => {
  test('hovering a field shows its path, type, description and reference link', async () => {
    await kubeSim();
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: MANIFEST });
    await vscode.window.showTextDocument(document);
    const position = document.positionAt(MANIFEST.indexOf('image:') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    const text = hoverText(hovers);
    assert.match(text, /\*\*Pod\.spec\.containers\[\]\.image\*\* · `string`/);
    assert.match(text, /Container image name/);
    assert.match(text, /\(https:\/\/kubernetes\.io\/docs\/reference\/kubernetes-api\/workload-resources\/pod-v1\/#Container\)/);
  });

  test('an unknown field gets a squiggle at its key, with a did-you-mean', async () => {
    await kubeSim();
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: MANIFEST });
    await vscode.window.showTextDocument(document);
    const found = await diagnosticsWhere(document.uri, (d) => d.some((x) => x.source === 'kube-sim'));
    const typo = found.find((d) => d.message.startsWith('unknown field'))!;
    assert.equal(typo.message, 'unknown field "spec.containers[0].iamge"; did you mean "image"?');
    assert.equal(typo.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(document.getText(typo.range), 'iamge');
  });

  test('completion offers the enum values of a field after its colon', async () => {
    await kubeSim();
    const content = 'apiVersion: v1\nkind: Pod\nspec:\n  restartPolicy: \n';
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content });
    const position = document.positionAt(content.indexOf('restartPolicy: ') + 'restartPolicy: '.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const value of ['Always', 'OnFailure', 'Never']) assert.ok(labels.includes(value), `${value} in ${labels.join(', ')}`);
  });

  test('with the cluster running, an image hover says what the registry has', async () => {
    const api = await kubeSim();
    await api.whenRunning();
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: MANIFEST });
    const position = document.positionAt(MANIFEST.indexOf('busybox:1.36') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    assert.match(hoverText(hovers), /\*\*Cluster:\*\* `docker\.io\/library\/busybox:1\.36` is in the registry/);
  });

  test('on save, the dry run of the API server puts its own rules on the field (a container without an image)', async () => {
    const api = await kubeSim();
    await api.whenRunning();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kube-sim-dry-run-')), 'no-image.yaml');
    const content = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: dry-run-probe\nspec:\n  containers:\n  - name: main\n';
    fs.writeFileSync(file, content);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.insert(document.positionAt(content.length), '    # no image\n'));
    await document.save();
    const found = await diagnosticsWhere(document.uri, (d) => d.some((x) => x.source === 'kube-sim (dry run)'));
    const missing = found.find((d) => d.source === 'kube-sim (dry run)')!;
    assert.equal(missing.message, 'spec.containers[0].image: Required value');
    assert.equal(document.getText(missing.range), 'name');
  });
});
