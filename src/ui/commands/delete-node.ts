import type { ClusterSession } from '../cluster-session';
import { NodeActionCommand } from './node-action';

/** Removes a node: its kubelet stops, the Node is deleted and its pods with it. */
export class DeleteNodeCommand extends NodeActionCommand {
  readonly id = 'kubeSim.deleteNode';
  protected readonly done = 'deleted';
  protected override readonly confirm = 'Delete node {node}? Its pods are deleted with it.';

  protected async act(session: ClusterSession, name: string): Promise<void> {
    await session.cluster.nodes.remove(name);
  }
}
