import type { ClusterSession } from '../cluster-session';
import { NodeActionCommand } from './node-action';

/** `kubectl uncordon`: the node takes new pods again. */
export class UncordonNodeCommand extends NodeActionCommand {
  readonly id = 'kubeSim.uncordonNode';
  protected readonly done = 'uncordoned';

  protected async act(session: ClusterSession, name: string): Promise<void> {
    await session.cluster.nodes.uncordon(name);
  }
}
