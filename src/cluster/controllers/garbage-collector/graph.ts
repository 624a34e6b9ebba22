/**
 * The garbage collector's dependency graph (pkg/controller/garbagecollector/graph.go): every object
 * it watches by uid, with its owners, and the dependents of each owner uid. Owners that are not (or
 * not yet) watched have no node; the collector asks the API server about them.
 */
import type { KubeObject, OwnerReference } from '../../api/types';
import type { GroupVersionResource } from '../../client/client';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from '../../apiserver/registry/deletion-finalizers';
import { StringPool } from '../../api/string-pool';

/**
 * What the graph keeps of an object: no reference into the object itself, so that the informers
 * alone decide how long a decoded object lives (150,000 pods × ~5 KB). `owners` is read-only and
 * shared by the objects that name the same owners (a ReplicaSet's pods).
 */
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
    const previous = this.nodes.get(meta.uid ?? '');
    // A newer version keeps the strings of the first, which the maps already hold as keys.
    const uid = previous?.uid ?? meta.uid ?? '';
    const name = previous?.name === meta.name ? previous!.name : meta.name ?? '';
    const finalizers = meta.finalizers ?? [];
    const deleting = !!meta.deletionTimestamp;
    const owners = previous && sameOwners(previous.owners, meta.ownerReferences) ? previous.owners : sharedOwners(meta.ownerReferences);
    const node: GraphNode = {
      uid, gvr, namespace: namespaces.intern(meta.namespace ?? ''), name, owners,
      deleting, deletingDependents: deleting && finalizers.includes(FOREGROUND_FINALIZER), orphaning: deleting && finalizers.includes(ORPHAN_FINALIZER),
    };
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

const NO_OWNERS: readonly OwnerReference[] = Object.freeze([]);
const MAX_SHARED = 10_000;
/** Owner lists by their text: the pods of one ReplicaSet name the same owner. */
const ownerLists = new Map<string, readonly OwnerReference[]>();
const namespaces = new StringPool(MAX_SHARED);

function sharedOwners(refs: readonly OwnerReference[] | undefined): readonly OwnerReference[] {
  if (!refs || refs.length === 0) return NO_OWNERS;
  const text = JSON.stringify(refs);
  let shared = ownerLists.get(text);
  if (shared === undefined) {
    // Past that many lists start over; lists in use stay with their nodes.
    if (ownerLists.size >= MAX_SHARED) ownerLists.clear();
    shared = Object.freeze(refs.map((r) => Object.freeze({ ...r })));
    ownerLists.set(text, shared);
  }
  return shared;
}

/** Whether an update left the owner references as they were (the common case: a status write). */
function sameOwners(a: readonly OwnerReference[], b: readonly OwnerReference[] | undefined): boolean {
  const list = b ?? NO_OWNERS;
  if (a.length !== list.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = list[i]!;
    if (x.uid !== y.uid || x.name !== y.name || x.kind !== y.kind || x.apiVersion !== y.apiVersion || x.controller !== y.controller || x.blockOwnerDeletion !== y.blockOwnerDeletion) return false;
  }
  return true;
}

