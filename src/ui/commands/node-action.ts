/** The base of the node actions from the tree (cordon, uncordon, drain, stop/start the kubelet, delete). */
import * as vscode from 'vscode';
import type { ClusterSession } from '../cluster-session';
import type { KubeSimContext } from '../context';
import type { Command } from './command-manager';
import { nodeTarget, reporting } from './targets';

export abstract class NodeActionCommand implements Command {
  abstract readonly id: string;
  /** `cordoned`, `drained`: what the notification says was done. */
  protected abstract readonly done: string;
  /** Asked before acting when set (destructive actions). */
  protected readonly confirm: string | undefined = undefined;

  /**
   * `repaint` redraws the tree after the action: for what the API does not show (a stopped kubelet
   * changes nothing in the Node until the grace period ends), the informers bring no change to wait for.
   */
  constructor(protected readonly ctx: KubeSimContext, private readonly repaint: () => void = () => undefined) {}

  async execute(arg?: unknown): Promise<string | undefined> {
    const session = await this.ctx.session();
    const name = await nodeTarget(session, arg);
    if (!name) return undefined;
    if (this.confirm && typeof arg !== 'string') {
      const ok = await vscode.window.showWarningMessage(this.confirm.replace('{node}', name), { modal: true }, 'Yes');
      if (ok !== 'Yes') return undefined;
    }
    return reporting(`${this.id.replace('kubeSim.', '')} ${name}`, async () => {
      await this.act(session, name);
      this.repaint();
      this.ctx.log.info(`node/${name} ${this.done}`);
      void vscode.window.showInformationMessage(`Kube Sim: node/${name} ${this.done}`);
      return name;
    }, this.ctx.log);
  }

  protected abstract act(session: ClusterSession, name: string): Promise<void>;
}
