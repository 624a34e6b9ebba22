/**
 * The garbage collector's dependency graph (pkg/controller/garbagecollector/graph.go): the watched
 * objects the collector has something to do with, by uid, with their owners, and the dependents of
 * each owner uid.
 *
 * Kubernetes keeps a node for every watched object; this graph keeps one only for an object that
 * has owners, is named as an owner by a watched object, or is being deleted with the
 * foregroundDeletion or orphan finalizer: the collector reads nothing of any other (most pods of a
 * cluster, ~200 bytes each). The dependents of an owner uid are kept whether the owner has a node
 * or not, so an owner that gets one later (an update, its deletion) finds them. Owners that are
 * not (or not yet) watched have no node; the collector asks the API server about them, or finds
 * them in its informers (`GarbageCollector.ownerNode`).
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

  /** Whether some watched object names `uid` as an owner. */
  isOwner(uid: string): boolean {
    return this.dependents.has(uid);
  }

  /**
   * Adds, replaces or (when the collector has nothing to do with it any more) removes the node of
   * `object`; returns the new node, if it has one, and the previous one.
   */
  upsert(gvr: GroupVersionResource, object: KubeObject): { node: GraphNode | undefined; previous: GraphNode | undefined } {
    const meta = object.metadata;
    const previous = this.nodes.get(meta.uid ?? '');
    const finalizers = meta.finalizers ?? [];
    const deleting = !!meta.deletionTimestamp;
    const deletingDependents = deleting && finalizers.includes(FOREGROUND_FINALIZER);
    const orphaning = deleting && finalizers.includes(ORPHAN_FINALIZER);
    if (!meta.ownerReferences?.length && !deletingDependents && !orphaning && !this.dependents.has(meta.uid ?? '')) {
      if (previous) this.remove(previous.uid);
      return { node: undefined, previous };
    }
    // A newer version keeps the strings of the first, which the maps already hold as keys.
    const uid = previous?.uid ?? meta.uid ?? '';
    const name = previous?.name === meta.name ? previous!.name : meta.name ?? '';
    const owners = previous && sameOwners(previous.owners, meta.ownerReferences) ? previous.owners : sharedOwners(meta.ownerReferences);
    const node: GraphNode = {
      uid, gvr, namespace: namespaces.intern(meta.namespace ?? ''), name, owners,
      deleting, deletingDependents, orphaning,
    };
    this.nodes.set(uid, node);
    if (node.owners !== previous?.owners) {
      // Linked before the old references are unlinked, so that an owner named by both keeps its node.
      for (const ref of node.owners) this.link(ref.uid, uid);
      for (const ref of previous?.owners ?? []) if (!node.owners.some((r) => r.uid === ref.uid)) this.unlink(ref.uid, uid);
    }
    return { node, previous };
  }

  remove(uid: string): GraphNode | undefined {
    const node = this.nodes.get(uid);
    if (!node) return undefined;
    this.nodes.delete(uid);
    for (const ref of node.owners) this.unlink(ref.uid, uid);
    return node;
  }

  /** The watched objects naming `ownerUid` as an owner (the owner need not have a node). */
  dependentsOf(ownerUid: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const uid of this.dependents.get(ownerUid) ?? []) {
      const node = this.nodes.get(uid);
      if (node) out.push(node);
    }
    return out;
  }

  private link(ownerUid: string, uid: string): void {
    let set = this.dependents.get(ownerUid);
    if (!set) this.dependents.set(ownerUid, (set = new Set()));
    set.add(uid);
  }

  /** An owner left without dependents and with nothing else the collector reads loses its node. */
  private unlink(ownerUid: string, uid: string): void {
    const set = this.dependents.get(ownerUid);
    if (!set?.delete(uid) || set.size > 0) return;
    this.dependents.delete(ownerUid);
    const owner = this.nodes.get(ownerUid);
    if (owner && owner.owners.length === 0 && !owner.deletingDependents && !owner.orphaning) this.nodes.delete(ownerUid);
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

