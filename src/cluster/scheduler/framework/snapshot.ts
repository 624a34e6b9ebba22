/**
 * Snapshot: the nodes a scheduling cycle sees (kube-scheduler's internal/cache Snapshot). The
 * scheduling cycle runs synchronously, so the snapshot can share the cache's NodeInfo objects:
 * nothing changes them while a cycle runs. The node list keeps a stable order (insertion order),
 * which the round-robin start index of findNodesThatFit relies on.
 */
import type { Labels } from './selectors';
import type { NodeInfo } from './node-info';

export class Snapshot {
  readonly byName = new Map<string, NodeInfo>();

  constructor(
    readonly nodes: NodeInfo[],
    /** Labels of a namespace (for namespaceSelector in pod affinity terms). */
    readonly namespaceLabels: (namespace: string) => Labels = () => undefined,
    /** How many pods with (anti-)affinity terms the cache holds, when it keeps count: 0 skips the scan. */
    private readonly affinityCounts?: () => { withAffinity: number; withRequiredAntiAffinity: number },
  ) {
    for (const n of nodes) this.byName.set(n.name, n);
  }

  get(name: string): NodeInfo | undefined {
    return this.byName.get(name);
  }

  /** Nodes with at least one pod that has (anti-)affinity terms. */
  havePodsWithAffinity(): NodeInfo[] {
    if (this.affinityCounts && this.affinityCounts().withAffinity === 0) return [];
    return this.nodes.filter((n) => n.podsWithAffinity.length > 0);
  }

  havePodsWithRequiredAntiAffinity(): NodeInfo[] {
    if (this.affinityCounts && this.affinityCounts().withRequiredAntiAffinity === 0) return [];
    return this.nodes.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
  }

  /** Fills ImageState.numNodes (how many nodes have each image). */
  static countImages(nodes: NodeInfo[]): void {
    const counts = new Map<string, number>();
    for (const n of nodes) for (const name of n.imageStates.keys()) counts.set(name, (counts.get(name) ?? 0) + 1);
    for (const n of nodes) for (const [name, s] of n.imageStates) s.numNodes = counts.get(name) ?? 0;
  }
}
