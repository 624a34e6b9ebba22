import type { ClusterSession } from '../cluster-session';
import { NodeActionCommand } from './node-action';

/** Stops a node's kubelet, as if the machine died: no more heartbeats, so the node lifecycle controller marks it NotReady, then evicts its pods. */
export class StopKubeletCommand extends NodeActionCommand {
  readonly id = 'kubeSim.stopKubelet';
  protected readonly done = 'kubelet stopped (the node goes NotReady after 50 s of cluster time)';

  protected async act(session: ClusterSession, name: string): Promise<void> {
    session.cluster.nodes.stopKubelet(name);
  }
}
