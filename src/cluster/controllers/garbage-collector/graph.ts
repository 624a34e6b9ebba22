/**
 * The garbage collector's dependency graph (pkg/controller/garbagecollector/graph.go): every object
 * it watches by uid, with its owners, and the dependents of each owner uid. Owners that are not (or
 * not yet) watched have no node; the collector asks the API server about them.
 */
import type { KubeObject, OwnerReference } from '../../api/types';
import type { GroupVersionResource } from '../../client/client';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from '../../apiserver/registry/deletion-finalizers';

export interface GraphNode {
  uid: string;
  gvr: GroupVersionResource;
  namespace: string;
  name: string;
  owners: readonly OwnerReference[];
  /** deletionTimestamp is set. */
  deleting: boolean;
  /** Being deleted in the foreground: waits for its blocking dependents. */
  deletingDependents: boolean;
  /** Being deleted with orphaned dependents. */
  orphaning: boolean;
}

export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly dependents = new Map<string, Set<string>>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  /** Adds or replaces the node of `object`; returns the previous one. */
  upsert(gvr: GroupVersionResource, object: KubeObject): { node: GraphNode; previous: GraphNode | undefined } {
    const meta = object.metadata;
    const uid = meta.uid ?? '';
    const finalizers = meta.finalizers ?? [];
    const deleting = !!meta.deletionTimestamp;
    const node: GraphNode = {
      uid, gvr, namespace: meta.namespace ?? '', name: meta.name ?? '', owners: meta.ownerReferences ?? [],
      deleting, deletingDependents: deleting && finalizers.includes(FOREGROUND_FINALIZER), orphaning: deleting && finalizers.includes(ORPHAN_FINALIZER),
    };
    const previous = this.nodes.get(uid);
    if (previous) this.unlinkOwners(previous);
    this.nodes.set(uid, node);
    for (const ref of node.owners) {
      let set = this.dependents.get(ref.uid);
      if (!set) this.dependents.set(ref.uid, (set = new Set()));
      set.add(uid);
    }
    return { node, previous };
  }

  remove(uid: string): GraphNode | undefined {
    const node = this.nodes.get(uid);
    if (!node) return undefined;
    this.unlinkOwners(node);
    this.nodes.delete(uid);
    return node;
  }

  /** The watched objects naming `ownerUid` as an owner. */
  dependentsOf(ownerUid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const uid of this.dependents.get(ownerUid) ?? []) {
      const node = this.nodes.get(uid);
      if (node) out.push(node);
    }
    return out;
  }

  private unlinkOwners(node: GraphNode): void {
    for (const ref of node.owners) {
      const set = this.dependents.get(ref.uid);
      if (!set) continue;
      set.delete(node.uid);
      if (set.size === 0) this.dependents.delete(ref.uid);
    }
  }
}
