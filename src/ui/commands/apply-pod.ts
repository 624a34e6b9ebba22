/**
 * "Kube Sim: Apply Pod": applies every document of the active YAML editor (unsaved changes included)
 * to the cluster, tells the user what happened in kubectl's words, and reveals the applied pod in the
 * cluster tree. Errors are notifications carrying the Kubernetes message.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Pod } from '../../cluster/api/types';
import { applyManifests, type ApplyOutcome } from '../apply/apply';
import { parseManifests } from '../apply/manifest';
import type { KubeSimContext } from '../context';
import type { ClusterTreeProvider } from '../tree/cluster-tree-provider';
import type { ViewNode } from '../tree/nodes/view-node';
import type { Command } from './command-manager';

export class ApplyPodCommand implements Command {
  readonly id = 'kubeSim.applyPod';

  constructor(
    private readonly ctx: KubeSimContext,
    private readonly tree: ClusterTreeProvider,
    private readonly view: vscode.TreeView<ViewNode>,
  ) {}

  /** `resource` is the file the editor title menu passes; the palette passes nothing (active editor). */
  async execute(resource?: unknown): Promise<ApplyOutcome | undefined> {
    const document = await this.targetDocument(resource);
    if (!document) {
      void vscode.window.showWarningMessage('Kube Sim: open a YAML manifest to apply it to the cluster.');
      return undefined;
    }
    const source = path.basename(document.uri.path) || document.uri.toString();
    const parsed = parseManifests(document.getText());
    if (parsed.errors.length) {
      const first = parsed.errors[0]!;
      void vscode.window.showErrorMessage(`Kube Sim: ${source}, line ${first.line}: ${first.message}`);
      return undefined;
    }
    if (!parsed.manifests.length) {
      void vscode.window.showWarningMessage(`Kube Sim: ${source} holds no Kubernetes object to apply.`);
      return undefined;
    }

    let session;
    try {
      session = await this.ctx.session();
    } catch (err) {
      void vscode.window.showErrorMessage(`Kube Sim: ${(err as Error).message}`);
      return undefined;
    }
    const outcome = await applyManifests(session.client, parsed.manifests);
    for (const failure of outcome.failed) {
      this.ctx.log.warn(`apply ${failure.displayName} from ${source} (line ${failure.manifest.line}): ${failure.error.message}`);
      void vscode.window.showErrorMessage(`Kube Sim: ${failure.error.message}`);
    }
    for (const applied of outcome.applied) {
      this.ctx.log.info(`${applied.displayName} serverside-applied from ${source}`);
      for (const warning of applied.warnings) void vscode.window.showWarningMessage(`Kube Sim: Warning: ${warning}`);
    }
    if (outcome.applied.length) {
      void vscode.window.showInformationMessage(`Kube Sim: ${outcome.applied.map((a) => `${a.displayName} serverside-applied`).join(', ')}`);
      await this.revealFirstPod(outcome);
    }
    return outcome;
  }

  private async targetDocument(resource: unknown): Promise<vscode.TextDocument | undefined> {
    if (resource instanceof vscode.Uri) return vscode.workspace.openTextDocument(resource);
    return vscode.window.activeTextEditor?.document;
  }

  /** Waits until the tree's informer holds the pod we applied, then selects its row. */
  private async revealFirstPod(outcome: ApplyOutcome): Promise<void> {
    const pod = outcome.applied.find((a) => a.object.kind === 'Pod')?.object as Pod | undefined;
    if (!pod || this.ctx.state.kind !== 'running') return;
    const { namespace = 'default', name = '', uid } = pod.metadata;
    await this.ctx.state.session.model.whenPodSeen(namespace, name, uid);
    const node = this.tree.podNode(namespace, name);
    if (!node) return;
    this.tree.repaintNow();
    try {
      await this.view.reveal(node, { select: true, focus: false, expand: true });
    } catch (err) {
      this.ctx.log.warn(`could not reveal ${namespace}/${name} in the tree: ${(err as Error).message}`);
    }
  }
}
