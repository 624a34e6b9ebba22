import * as vscode from 'vscode';
import type { KubeSimContext } from '../context';
import type { Command } from './command-manager';

/** Copies the kubeconfig's path, for kubectl, k9s, Lens or the Kubernetes extension elsewhere. */
export class CopyKubeconfigPathCommand implements Command {
  readonly id = 'kubeSim.copyKubeconfigPath';

  constructor(private readonly ctx: KubeSimContext) {}

  async execute(): Promise<string | undefined> {
    const path = (await this.ctx.session()).info.kubeconfigPath;
    if (!path) return undefined;
    await vscode.env.clipboard.writeText(path);
    void vscode.window.showInformationMessage(`Kube Sim: copied ${path} (contexts kube-sim and kube-sim-viewer)`);
    return path;
  }
}
