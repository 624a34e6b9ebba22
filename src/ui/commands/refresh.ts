import type { ClusterTreeProvider } from '../tree/cluster-tree-provider';
import type { Command } from './command-manager';

/** Repaints the cluster tree from the informers' caches (they are always current; this is cheap). */
export class RefreshCommand implements Command {
  readonly id = 'kubeSim.refresh';

  constructor(private readonly tree: ClusterTreeProvider) {}

  execute(): void {
    this.tree.refresh();
  }
}
