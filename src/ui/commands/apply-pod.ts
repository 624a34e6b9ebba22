/**
 * "Kube Sim: Apply Pod": validates (server-side dry run) and applies the active editor's YAML (the
 * selection if there is one, else every document; unsaved changes included), a file the editor title
 * passes, or the one document a CodeLens passes. Failures become diagnostics on the field that caused
 * them; success reveals the pod in the cluster tree.
 */
import * as vscode from 'vscode';
import type { ApplyResult, ManifestApplier } from '../apply/applier';
import { manifestTarget } from '../apply/manifest-target';
import type { Command } from './command-manager';

export class ApplyPodCommand implements Command {
  readonly id: string = 'kubeSim.applyPod';
  protected readonly force: boolean = false;

  constructor(private readonly applier: ManifestApplier) {}

  async execute(arg?: unknown): Promise<ApplyResult | undefined> {
    const target = await manifestTarget(arg);
    if (!target) {
      void vscode.window.showWarningMessage('Kube Sim: open a YAML manifest to apply it to the cluster.');
      return undefined;
    }
    try {
      return await this.applier.apply(target, { force: this.force });
    } catch (err) {
      void vscode.window.showErrorMessage(`Kube Sim: ${(err as Error).message}`);
      return undefined;
    }
  }
}
