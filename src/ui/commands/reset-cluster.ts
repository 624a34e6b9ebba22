import * as vscode from 'vscode';
import type { KubeSimContext } from '../context';
import type { Command } from './command-manager';
import { reporting } from './targets';

/** Stops the cluster, deletes its store (every object), and starts a fresh one from the settings. */
export class ResetClusterCommand implements Command {
  readonly id = 'kubeSim.resetCluster';

  constructor(private readonly ctx: KubeSimContext) {}

  async execute(confirmed?: unknown): Promise<boolean> {
    if (confirmed !== true) {
      const ok = await vscode.window.showWarningMessage('Reset the Kube Sim cluster? Every object in it is deleted.', { modal: true }, 'Reset');
      if (ok !== 'Reset') return false;
    }
    const done = await reporting('reset the cluster', async () => { await this.ctx.reset(); return true; }, this.ctx.log);
    if (done) void vscode.window.showInformationMessage('Kube Sim: the cluster was reset.');
    return done ?? false;
  }
}
