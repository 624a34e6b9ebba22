import * as vscode from 'vscode';
import type { KubeSimContext } from '../context';
import type { Command } from './command-manager';
import { reporting } from './targets';

/** Adds a worker node (default size) and starts its kubelet; the name defaults to the next `node-N`. */
export class AddNodeCommand implements Command {
  readonly id = 'kubeSim.addNode';

  constructor(private readonly ctx: KubeSimContext) {}

  async execute(name?: unknown): Promise<string | undefined> {
    const session = await this.ctx.session();
    const taken = new Set(session.model.nodeList().map((n) => n.metadata.name));
    let next = 1;
    while (taken.has(`node-${next}`)) next++;
    const chosen = typeof name === 'string' ? name : await vscode.window.showInputBox({
      prompt: 'Name of the new node',
      value: `node-${next}`,
      validateInput: (v) => (/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(v) ? (taken.has(v) ? `node "${v}" already exists` : undefined) : 'a lowercase DNS name, e.g. node-4'),
    });
    if (!chosen) return undefined;
    return reporting(`add node ${chosen}`, async () => {
      await session.cluster.nodes.add({ name: chosen });
      this.ctx.log.info(`node/${chosen} added`);
      void vscode.window.showInformationMessage(`Kube Sim: node/${chosen} added`);
      return chosen;
    }, this.ctx.log);
  }
}
