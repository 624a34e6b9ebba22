/**
 * Snapshot: the nodes a scheduling cycle sees (kube-scheduler's internal/cache Snapshot). The
 * scheduling cycle runs synchronously, so the snapshot can share the cache's NodeInfo objects:
 * nothing changes them while a cycle runs. The node list keeps a stable order (insertion order),
 * which the round-robin start index of findNodesThatFit relies on.
 */
import type { Labels } from './selectors';
import type { NodeInfo } from './node-info';

let imageCountsVersion = 0;

/** Changes whenever some ImageState.numNodes may have changed (sums computed from them are stale). */
export function imageCountsGeneration(): number {
  return imageCountsVersion;
}

/**
 * Which NodeInfos changed, in order, as the cache changes them: a reader that remembers a position
 * learns what changed since without visiting every node (PodTopologySpread's per-domain counts).
 * Only the latest MAX_JOURNAL changes are kept; a reader further behind starts over.
 */
export class ChangeJournal {
  private static readonly MAX = 4096;
  private entries: NodeInfo[] = [];
  private base = 0;

  get position(): number {
    return this.base + this.entries.length;
  }

  record(node: NodeInfo): void {
    this.entries.push(node);
    if (this.entries.length > ChangeJournal.MAX) {
      const drop = ChangeJournal.MAX / 2;
      this.entries = this.entries.slice(drop);
      this.base += drop;
    }
  }

  /** The nodes changed since `position` (repeats possible), or undefined if that is no longer known. */
  since(position: number): NodeInfo[] | undefined {
    if (position < this.base) return undefined;
    return this.entries.slice(position - this.base);
  }
}

export class Snapshot {
  readonly byName = new Map<string, NodeInfo>();
  private indexes: Map<NodeInfo, number> | undefined;

  constructor(
    readonly nodes: NodeInfo[],
    /** Labels of a namespace (for namespaceSelector in pod affinity terms). */
    readonly namespaceLabels: (namespace: string) => Labels = () => undefined,
    /** How many pods with (anti-)affinity terms the cache holds, when it keeps count: 0 skips the scan. */
    private readonly affinityCounts?: () => { withAffinity: number; withRequiredAntiAffinity: number },
    /** Every change to these NodeInfos, when the owner (the cache) records them. */
    readonly changes?: ChangeJournal,
  ) {
    nodes.forEach((n, i) => {
      this.byName.set(n.name, n);
      n.snapshotIndex = i;
    });
  }

  /** The position of a node in `nodes`. */
  indexOf(node: NodeInfo): number | undefined {
    // The position the node was given when this snapshot was built, unless a later snapshot over
    // the same NodeInfos moved it.
    const i = node.snapshotIndex;
    if (this.nodes[i] === node) return i;
    if (!this.indexes) this.indexes = new Map(this.nodes.map((n, j) => [n, j]));
    return this.indexes.get(node);
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
    imageCountsVersion++;
    const counts = new Map<string, number>();
    for (const n of nodes) for (const name of n.imageStates.keys()) counts.set(name, (counts.get(name) ?? 0) + 1);
    for (const n of nodes) for (const [name, s] of n.imageStates) s.numNodes = counts.get(name) ?? 0;
  }
}
