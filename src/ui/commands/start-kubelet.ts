import type { ClusterSession } from '../cluster-session';
import { NodeActionCommand } from './node-action';

/** Starts a stopped kubelet again: the node reports Ready. */
export class StartKubeletCommand extends NodeActionCommand {
  readonly id = 'kubeSim.startKubelet';
  protected readonly done = 'kubelet started';

  protected async act(session: ClusterSession, name: string): Promise<void> {
    await session.cluster.nodes.startKubelet(name);
  }
}
