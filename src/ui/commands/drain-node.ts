import type { ClusterSession } from '../cluster-session';
import { NodeActionCommand } from './node-action';

/** `kubectl drain`: cordon, then evict every pod on the node. */
export class DrainNodeCommand extends NodeActionCommand {
  readonly id = 'kubeSim.drainNode';
  protected readonly done = 'drained';
  protected override readonly confirm = 'Drain {node}? Its pods are evicted and the node is cordoned.';

  protected async act(session: ClusterSession, name: string): Promise<void> {
    await session.cluster.nodes.drain(name);
  }
}
