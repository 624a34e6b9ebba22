import * as vscode from 'vscode';
import type { KubeSimContext } from '../context';
import type { Command } from './command-manager';

/** The environment a terminal gets so that `kubectl` there talks to the Kube Sim cluster. */
export function terminalEnv(kubeconfigPath: string): Record<string, string> {
  return { KUBECONFIG: kubeconfigPath };
}

/** An integrated terminal with KUBECONFIG set to the cluster's kubeconfig: `kubectl get pods` just works. */
export class OpenTerminalCommand implements Command {
  readonly id = 'kubeSim.openTerminal';

  constructor(private readonly ctx: KubeSimContext) {}

  async execute(): Promise<vscode.Terminal | undefined> {
    const session = await this.ctx.session();
    const kubeconfig = session.info.kubeconfigPath;
    if (!kubeconfig) {
      void vscode.window.showErrorMessage('Kube Sim: the cluster has no HTTPS endpoint, so there is no kubeconfig for a terminal.');
      return undefined;
    }
    const terminal = vscode.window.createTerminal({
      name: 'Kube Sim',
      env: terminalEnv(kubeconfig),
      iconPath: new vscode.ThemeIcon('terminal'),
      message: `KUBECONFIG=${kubeconfig} (context ${session.info.name}); try: kubectl get nodes`,
    });
    terminal.show();
    return terminal;
  }
}
