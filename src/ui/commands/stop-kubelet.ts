import type { ClusterSession } from '../cluster-session';
import { NodeActionCommand } from './node-action';

/** Stops a node's kubelet, as if the machine died: no more heartbeats, so the node lifecycle controller marks it Unknown (kubectl: NotReady), then its pods are evicted. */
export class StopKubeletCommand extends NodeActionCommand {
  readonly id = 'kubeSim.stopKubelet';
  protected readonly done = 'kubelet stopped (the node turns NotReady 50 s of cluster time after its last heartbeat)';

  protected async act(session: ClusterSession, name: string): Promise<void> {
    session.cluster.nodes.stopKubelet(name);
  }
}
