import type { ClusterSession } from '../cluster-session';
import { NodeActionCommand } from './node-action';

/** `kubectl cordon`: the scheduler places no new pod on the node. */
export class CordonNodeCommand extends NodeActionCommand {
  readonly id = 'kubeSim.cordonNode';
  protected readonly done = 'cordoned';

  protected async act(session: ClusterSession, name: string): Promise<void> {
    await session.cluster.nodes.cordon(name);
  }
}
