import * as vscode from 'vscode';
import { PODS } from '../../cluster/client/client';
import type { KubeSimContext } from '../context';
import type { Command } from './command-manager';
import { podTarget, reporting } from './targets';

/** `kubectl delete pod`: a graceful delete (the pod is Terminating until its kubelet has stopped it). */
export class DeletePodCommand implements Command {
  readonly id = 'kubeSim.deletePod';

  constructor(private readonly ctx: KubeSimContext) {}

  async execute(arg?: unknown): Promise<string | undefined> {
    const session = await this.ctx.session();
    const pod = await podTarget(session, arg);
    if (!pod) return undefined;
    return reporting(`delete pod ${pod.name}`, async () => {
      await session.client.resource(PODS).delete(pod.name, { namespace: pod.namespace });
      this.ctx.log.info(`pod/${pod.name} deleted (namespace ${pod.namespace})`);
      void vscode.window.showInformationMessage(`Kube Sim: pod "${pod.name}" deleted`);
      return pod.name;
    }, this.ctx.log);
  }
}
