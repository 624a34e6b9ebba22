/**
 * Kube Sim's entry point. activate() only composes: the context that owns everything, the cluster
 * tree, the apply flow, the inspection documents, the status bar, the commands. The embedded
 * cluster starts when first needed (the view shown, or a command). A failure to activate is shown to
 * the user and rethrown (VS Code marks the extension failed); a failure of the cluster to start is
 * shown by the context and leaves the view and commands working with its reason.
 */
import * as vscode from 'vscode';
import type { KubeSimApi } from './ui/api';
import { ManifestApplier } from './ui/apply/applier';
import { ManifestCodeLensProvider } from './ui/apply/codelens';
import { AddNodeCommand } from './ui/commands/add-node';
import { ApplyPodCommand } from './ui/commands/apply-pod';
import { ApplyServerSideCommand } from './ui/commands/apply-server-side';
import { CommandManager } from './ui/commands/command-manager';
import { CopyKubeconfigPathCommand } from './ui/commands/copy-kubeconfig-path';
import { CordonNodeCommand } from './ui/commands/cordon-node';
import { DeleteManifestCommand } from './ui/commands/delete-manifest';
import { DeleteNodeCommand } from './ui/commands/delete-node';
import { DeletePodCommand } from './ui/commands/delete-pod';
import { DescribeCommand } from './ui/commands/describe';
import { DrainNodeCommand } from './ui/commands/drain-node';
import { OpenTerminalCommand } from './ui/commands/open-terminal';
import { PauseClockCommand } from './ui/commands/pause-clock';
import { RefreshCommand } from './ui/commands/refresh';
import { ResetClusterCommand } from './ui/commands/reset-cluster';
import { ResumeClockCommand } from './ui/commands/resume-clock';
import { RevealManifestCommand } from './ui/commands/reveal-manifest';
import { SetSpeedCommand } from './ui/commands/set-speed';
import { ShowEventsCommand } from './ui/commands/show-events';
import { ShowLogsCommand } from './ui/commands/show-logs';
import { ShowYamlCommand } from './ui/commands/show-yaml';
import { StartKubeletCommand } from './ui/commands/start-kubelet';
import { StepClockCommand } from './ui/commands/step-clock';
import { StopKubeletCommand } from './ui/commands/stop-kubelet';
import { UncordonNodeCommand } from './ui/commands/uncordon-node';
import { WhyPodCommand } from './ui/commands/why-pod';
import { KubeSimContext } from './ui/context';
import { InspectProvider } from './ui/inspect/inspect-provider';
import { registerManifestIntelligence } from './ui/manifest/register';
import { affectsClusterSettings } from './ui/settings';
import { ClusterStatusBar } from './ui/status-bar';
import { ClusterTreeProvider } from './ui/tree/cluster-tree-provider';
import { revealPod } from './ui/tree/reveal';

let context: KubeSimContext | undefined;

export function activate(extension: vscode.ExtensionContext): KubeSimApi {
  try {
    const ctx = new KubeSimContext(extension, vscode.window.createOutputChannel('Kube Sim', { log: true }));
    context = ctx;
    extension.subscriptions.push(ctx);

    const tree = ctx.own(new ClusterTreeProvider(ctx));
    const view = ctx.own(vscode.window.createTreeView('kubeSim.cluster', { treeDataProvider: tree, showCollapseAll: true }));
    const applier = ctx.own(new ManifestApplier(ctx, (pod) => revealPod(ctx, tree, view, pod)));
    ctx.own(vscode.languages.registerCodeLensProvider({ language: 'yaml' }, new ManifestCodeLensProvider()));
    ctx.own(new InspectProvider(ctx));
    const statusBar = ctx.own(new ClusterStatusBar(ctx));

    const commands = ctx.own(new CommandManager());
    commands.register(new ApplyPodCommand(applier));
    commands.register(new ApplyServerSideCommand(applier));
    commands.register(new DeleteManifestCommand(applier));
    commands.register(new RefreshCommand(tree));
    commands.register(new ShowYamlCommand(ctx));
    commands.register(new DescribeCommand(ctx));
    commands.register(new ShowLogsCommand(ctx));
    commands.register(new ShowEventsCommand(ctx));
    commands.register(new WhyPodCommand(ctx));
    commands.register(new RevealManifestCommand(ctx, applier.locations));
    commands.register(new AddNodeCommand(ctx));
    commands.register(new CordonNodeCommand(ctx));
    commands.register(new UncordonNodeCommand(ctx));
    commands.register(new DrainNodeCommand(ctx));
    commands.register(new StopKubeletCommand(ctx, () => tree.refresh()));
    commands.register(new StartKubeletCommand(ctx, () => tree.refresh()));
    commands.register(new DeleteNodeCommand(ctx));
    commands.register(new DeletePodCommand(ctx));
    commands.register(new ResetClusterCommand(ctx));
    commands.register(new PauseClockCommand(ctx));
    commands.register(new ResumeClockCommand(ctx));
    commands.register(new StepClockCommand(ctx));
    commands.register(new SetSpeedCommand(ctx));
    commands.register(new OpenTerminalCommand(ctx));
    commands.register(new CopyKubeconfigPathCommand(ctx));
    registerManifestIntelligence(ctx);
    ctx.own(vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsClusterSettings(event)) void offerRestart(ctx);
    }));

    // The cluster starts when something needs it: the Cluster view shown, or a command (or a test) that
    // asks for the session. Opening a YAML file in any workspace only brings the manifest intelligence,
    // which works without a cluster; an HTTPS server, kubelets and a store are not started for it.
    // The context shows a failed start to the user and keeps it as state.
    const startWhenShown = () => { if (view.visible) ctx.start().catch(() => undefined); };
    ctx.own(view.onDidChangeVisibility(startWhenShown));
    startWhenShown();
    return {
      whenRunning: async () => (await ctx.whenRunning()).info,
      whenTreeSynced: async () => (await ctx.whenRunning()).model.waitForSync(),
      renderTree: async () => tree.render(),
      onDidRepaintTree: tree.onDidRepaint,
      statusBar: () => statusBar.shown,
      onDidChangeStatusBar: statusBar.onDidRender,
      session: () => ctx.whenRunning(),
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
