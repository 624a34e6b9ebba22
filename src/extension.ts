/**
 * Kube Sim's entry point. activate() only composes: the context that owns everything, the cluster
 * tree, the commands; then it starts the embedded cluster in the background. A failure to activate
 * is shown to the user and rethrown (VS Code marks the extension failed); a failure of the cluster to
 * start is shown by the context and leaves the view and commands working with its reason.
 */
import * as vscode from 'vscode';
import type { KubeSimApi } from './ui/api';
import { ApplyPodCommand } from './ui/commands/apply-pod';
import { CommandManager } from './ui/commands/command-manager';
import { RefreshCommand } from './ui/commands/refresh';
import { KubeSimContext } from './ui/context';
import { registerManifestIntelligence } from './ui/manifest/register';
import { affectsClusterSettings } from './ui/settings';
import { ClusterTreeProvider } from './ui/tree/cluster-tree-provider';

let context: KubeSimContext | undefined;

export function activate(extension: vscode.ExtensionContext): KubeSimApi {
  try {
    const ctx = new KubeSimContext(extension, vscode.window.createOutputChannel('Kube Sim', { log: true }));
    context = ctx;
    extension.subscriptions.push(ctx);

    const tree = ctx.own(new ClusterTreeProvider(ctx));
    const view = ctx.own(vscode.window.createTreeView('kubeSim.cluster', { treeDataProvider: tree, showCollapseAll: true }));
    const commands = ctx.own(new CommandManager());
    commands.register(new ApplyPodCommand(ctx, tree, view));
    commands.register(new RefreshCommand(tree));
    registerManifestIntelligence(ctx);
    ctx.own(vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsClusterSettings(event)) void offerRestart(ctx);
    }));

    ctx.start().catch(() => undefined); // the context shows a failed start to the user and keeps it as state
    return {
      whenRunning: async () => (await ctx.whenRunning()).info,
      whenTreeSynced: async () => (await ctx.whenRunning()).model.waitForSync(),
      renderTree: async () => tree.render(),
      onDidRepaintTree: tree.onDidRepaint,
    };
  } catch (err) {
    void vscode.window.showErrorMessage(`Kube Sim failed to activate: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
}

/** Stops the cluster (its store flushes) before the extension host goes away. */
export async function deactivate(): Promise<void> {
  const ctx = context;
  context = undefined;
  await ctx?.stop();
}

async function offerRestart(ctx: KubeSimContext): Promise<void> {
  const choice = await vscode.window.showInformationMessage('Kube Sim: the cluster settings changed. Restart the cluster to use them?', 'Restart');
  if (choice === 'Restart') await ctx.restart().catch(() => undefined);
}
