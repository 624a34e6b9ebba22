import * as vscode from 'vscode';
import type { ApplyOutcome } from '../apply/apply';
import type { ManifestApplier } from '../apply/applier';
import { manifestTarget } from '../apply/manifest-target';
import type { Command } from './command-manager';

/** "Kube Sim: Delete": deletes the objects of the active editor's YAML (or a CodeLens's document), as `kubectl delete -f`. */
export class DeleteManifestCommand implements Command {
  readonly id = 'kubeSim.deleteManifest';

  constructor(private readonly applier: ManifestApplier) {}

  async execute(arg?: unknown): Promise<ApplyOutcome | undefined> {
    const target = await manifestTarget(arg);
    if (!target) {
      void vscode.window.showWarningMessage('Kube Sim: open a YAML manifest to delete its objects from the cluster.');
      return undefined;
    }
    try {
      return await this.applier.delete(target);
    } catch (err) {
      void vscode.window.showErrorMessage(`Kube Sim: ${(err as Error).message}`);
      return undefined;
    }
  }
}
