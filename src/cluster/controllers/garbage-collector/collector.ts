/**
 * kube-controller-manager's garbage collector (pkg/controller/garbagecollector, 1.32), an API
 * client over informers of the kinds objects are owned by or depend on:
 *
 * - background: an object whose owners are all gone (404, or another object under the name: a
 *   different uid) is deleted, with the policy its own finalizers ask for (Background otherwise);
 *   one with some owners left loses the references to the gone ones;
 * - foreground: an owner deleted with `propagationPolicy: Foreground` (finalizer
 *   foregroundDeletion) has its dependents deleted; once no dependent with blockOwnerDeletion is
 *   left, the finalizer is removed and the API server deletes the owner;
 * - orphan: an owner deleted with `propagationPolicy: Orphan` (finalizer orphan) has its
 *   references removed from its dependents, then the finalizer removed.
 *
 * Owners are always checked against the API server before anything is deleted (the graph may lag
 * behind), as attemptToDeleteItem does. Events are not watched: nothing here owns them.
 *
 * Scope rules (1.32's isDangling and addDependentToOwners): a namespaced dependent may name an
 * owner of its own namespace or a cluster-scoped one (a Namespace, a Node); an owner is looked up
 * in the dependent's namespace, so a namespaced owner in another namespace is absent (the dependent
 * is collected), and when the collector knows it is there, the dependent gets the Warning event
 * OwnerRefInvalidNamespace. A cluster-scoped dependent naming a namespaced kind is never collected
 * (the reference cannot be resolved; not retried).
 */
import { isStatusError } from '../../api/errors';
import type { KubeObject, OwnerReference } from '../../api/types';
import type { ApiClient, GroupVersionResource } from '../../client/client';
import type { Informer } from '../../client/informer';
import type { Clock } from '../../clock';
import { EventRecorder } from '../../client/event-recorder';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from '../../apiserver/registry/deletion-finalizers';
import { WorkQueue } from '../work-queue';
import { DependencyGraph, type GraphNode } from './graph';
import type { KindMapper } from './kinds';

export interface WatchedKind {
  gvr: GroupVersionResource;
  informer: Informer<KubeObject>;
}

/**
 * Dependents the collector does not watch, looked up when an owner of theirs is deleted: the
 * kubelets' Leases, owned by their Node. Kubernetes' collector watches them like everything else;
 * here a graph node for every Node and Lease and an update on every renewal (every node, every
 * 10 s) cost ~1 KB a node at 5,000 nodes for the one thing it does with them: delete the Lease of
 * a Node that is gone. So `owners`' deletions make the collector look up `dependents`' objects
 * naming the owner and process them as any dependent (the owner checked against the API server).
 * They are found through an index of `dependents`' informer by owner uid (OWNER_UID), not a scan of
 * it: deleting every Node scanned every Lease once per Node.
 */
export interface OwnedUnwatched {
  owners: Informer<KubeObject>;
  dependents: WatchedKind;
}

/** `invalid`: a namespaced kind named by a cluster-scoped dependent. */
type OwnerState = 'solid' | 'dangling' | 'waiting' | 'invalid';

const NAMESPACES_GVR: GroupVersionResource = { group: '', version: 'v1', resource: 'namespaces' };

/** The index of an unwatched dependents' informer by the uids their ownerReferences name. */
export const OWNER_UID = 'owner-uid';

function ownerUids(object: KubeObject): string[] {
  const refs = object.metadata.ownerReferences;
  if (refs === undefined) return [];
  const uids: string[] = [];
  for (const ref of refs) if (ref.uid) uids.push(ref.uid);
  return uids;
}

const DELETE = 'delete:';
const FOREGROUND = 'foreground:';
const ORPHAN = 'orphan:';

export class GarbageCollector {
  readonly graph = new DependencyGraph();
  private readonly queue: WorkQueue;
  private readonly unsubscribe: (() => void)[] = [];
  /** Uids of unwatched dependents in the graph for the time their deletion is being processed. */
  private readonly unwatched = new Set<string>();
  private readonly recorder: EventRecorder;
  /** The watched kinds and the owner kinds: where an owner is looked for. */
  private readonly owning: WatchedKind[];

  /**
   * `ownerKinds`: kinds watched as owners only (Namespaces, Nodes): found as owners, and their
   * deletions reach their dependents, but nothing of theirs is collected.
   */
  constructor(
    private readonly client: ApiClient,
    clock: Clock,
    private readonly kinds: KindMapper,
    private readonly watched: WatchedKind[],
    private readonly ownedUnwatched: OwnedUnwatched[] = [],
    private readonly ownerKinds: WatchedKind[] = [],
  ) {
    this.queue = new WorkQueue(clock, (key) => this.process(key), 2);
    this.recorder = new EventRecorder(client, clock, { component: 'garbage-collector-controller' });
    this.owning = [...watched, ...ownerKinds];
    for (const { dependents } of ownedUnwatched) dependents.informer.addIndex(OWNER_UID, ownerUids);
  }

  /** Subscribes to the (already started or starting) informers. */
  start(): void {
    for (const { gvr, informer } of this.watched) {
      this.unsubscribe.push(informer.addHandlers({
        onAdd: (o) => this.observe(gvr, o),
        onUpdate: (_old, o) => this.observe(gvr, o),
        onDelete: (o) => this.forget(o),
      }));
    }
    for (const { informer } of this.ownerKinds) {
      this.unsubscribe.push(informer.addHandlers({ onDelete: (o) => this.forget(o) }));
    }
    for (const { owners, dependents } of this.ownedUnwatched) {
      this.unsubscribe.push(owners.addHandlers({ onDelete: (owner) => this.ownerOfUnwatchedGone(owner, dependents) }));
    }
  }

  /** The unwatched dependents of a deleted owner go through attemptToDelete, as a watched one's would. */
  private ownerOfUnwatchedGone(owner: KubeObject, dependents: WatchedKind): void {
    const uid = owner.metadata.uid;
    if (!uid) return;
    for (const object of dependents.informer.byIndex(OWNER_UID, uid)) {
      const dependentUid = object.metadata.uid;
      if (!dependentUid) continue;
      if (!this.graph.get(dependentUid)) this.unwatched.add(dependentUid);
      this.graph.upsert(dependents.gvr, object);
      this.queue.add(DELETE + dependentUid);
    }
  }

  stop(): void {
    for (const u of this.unsubscribe) u();
    this.queue.stop();
  }

  /** Resolves when no work is queued or running (tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private observe(gvr: GroupVersionResource, object: KubeObject): void {
    const uid = object.metadata.uid;
    if (!uid) return;
    const { node, previous } = this.graph.upsert(gvr, object);
    if (node?.deletingDependents) this.queue.add(FOREGROUND + uid);
    if (node?.orphaning) this.queue.add(ORPHAN + uid);
    // An object whose owner is unknown, in another namespace or on its way out may have to go.
    const newOwners = node !== undefined && node.owners !== previous?.owners;
    for (const ref of node?.owners ?? []) {
      const owner = this.ownerNode(ref, node!.namespace);
      const elsewhere = owner ? owner.namespace !== '' && owner.namespace !== node!.namespace : this.inOtherNamespace(ref, node!.namespace);
      // Reported when the reference is first seen, as the graph builder adds a dependent to its owners.
      if (elsewhere && newOwners) this.reportInvalidNamespace(object, ref);
      if (!owner || elsewhere || owner.deletingDependents) {
        this.queue.add(DELETE + uid);
        break;
      }
    }
    // A reference dropped from an owner deleting in the foreground may have been the last blocking one.
    for (const ref of previous?.owners ?? []) {
      if (!node?.owners.some((r) => r.uid === ref.uid) && this.graph.get(ref.uid)?.deletingDependents) this.queue.add(FOREGROUND + ref.uid);
    }
  }

  /**
   * The node of an owner named by a watched object (linked as its dependent already): the graph's,
   * or else one made from the informer that has the owner, as the graph keeps no node for an
   * object until something names it as an owner. Undefined when no informer has it (not watched,
   * not seen yet, gone, or another object under the name): the dependent's owners are then looked
   * up on the API server, as for Kubernetes' virtual nodes.
   */
  private ownerNode(ref: OwnerReference, namespace: string): GraphNode | undefined {
    const known = this.graph.get(ref.uid);
    if (known) return known;
    const kind = this.kinds.resolve(ref.apiVersion, ref.kind);
    if (!kind) return undefined;
    const watched = this.informerOf(kind.gvr);
    const owner = watched?.informer.get(kind.namespaced ? `${namespace}/${ref.name}` : ref.name);
    if (!owner || owner.metadata.uid !== ref.uid) return undefined;
    return this.graph.upsert(watched!.gvr, owner).node;
  }

  private informerOf(gvr: GroupVersionResource): WatchedKind | undefined {
    return this.owning.find((w) => w.gvr.group === gvr.group && w.gvr.resource === gvr.resource);
  }

  /**
   * Whether the collector's informers have `ref`'s owner, a namespaced object, in a namespace
   * other than the dependent's `namespace` (looked for only when it is not found in that one).
   */
  private inOtherNamespace(ref: OwnerReference, namespace: string): boolean {
    const kind = this.kinds.resolve(ref.apiVersion, ref.kind);
    if (!kind?.namespaced) return false;
    const watched = this.informerOf(kind.gvr);
    const namespaces = this.informerOf(NAMESPACES_GVR);
    if (!watched || !namespaces) return false;
    for (const other of namespaces.informer.keys()) {
      if (other !== namespace && watched.informer.get(`${other}/${ref.name}`)?.metadata.uid === ref.uid) return true;
    }
    return false;
  }

  /**
   * reportInvalidNamespaceOwnerRef: the Warning on the dependent, with the reference as the graph
   * prints an object reference, placed in the dependent's namespace. The event is about the graph
   * node's identity (kind, namespace, name, uid, apiVersion), which has no resourceVersion.
   */
  private reportInvalidNamespace(dependent: KubeObject, ref: OwnerReference): void {
    const meta = dependent.metadata;
    const namespace = meta.namespace ?? '';
    const owner = `[${ref.apiVersion}/${ref.kind}, namespace: ${namespace}, name: ${ref.name}, uid: ${ref.uid}]`;
    const identity = { kind: dependent.kind, namespace: meta.namespace, name: meta.name, uid: meta.uid, apiVersion: dependent.apiVersion };
    this.recorder.event(identity, 'Warning', 'OwnerRefInvalidNamespace', `ownerRef ${owner} does not exist in namespace ${JSON.stringify(namespace)}`);
  }

  private forget(object: KubeObject): void {
    const uid = object.metadata.uid;
    if (!uid) return;
    const node = this.graph.remove(uid);
    for (const dependent of this.graph.dependentsOf(uid)) this.queue.add(DELETE + dependent.uid);
    for (const ref of node?.owners ?? []) if (this.graph.get(ref.uid)?.deletingDependents) this.queue.add(FOREGROUND + ref.uid);
  }

  private async process(key: string): Promise<void> {
    if (key.startsWith(DELETE)) {
      const uid = key.slice(DELETE.length);
      await this.attemptToDelete(uid);
      // No informer of the collector's will tell it the object went: its node goes once done.
      if (this.unwatched.delete(uid)) this.graph.remove(uid);
      return;
    }
    if (key.startsWith(FOREGROUND)) return this.processDeletingDependents(key.slice(FOREGROUND.length));
    if (key.startsWith(ORPHAN)) return this.orphanDependents(key.slice(ORPHAN.length));
  }

  /** The live object of a node, or undefined when it is gone or another object took its name. */
  private async live(node: GraphNode): Promise<KubeObject | undefined> {
    try {
      const object = await this.client.resource(node.gvr).get(node.name, { namespace: node.namespace });
      return object.metadata.uid === node.uid ? object : undefined;
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return undefined;
      throw err;
    }
  }

  /** isDangling: the owner as the API server has it now. */
  private async ownerState(ref: OwnerReference, namespace: string): Promise<OwnerState> {
    const kind = this.kinds.resolve(ref.apiVersion, ref.kind);
    // A kind this server does not serve cannot be looked up: kept, as the real collector keeps retrying.
    if (!kind) return 'solid';
    if (kind.namespaced && !namespace) return 'invalid';
    let owner: KubeObject;
    try {
      owner = await this.client.resource(kind.gvr).get(ref.name, { namespace: kind.namespaced ? namespace : '' });
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return 'dangling';
      throw err;
    }
    if (owner.metadata.uid !== ref.uid) return 'dangling';
    if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER)) return 'waiting';
    return 'solid';
  }

  /** attemptToDeleteItem. */
  private async attemptToDelete(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    const latest = await this.live(node);
    if (!latest) return;
    const finalizers = latest.metadata.finalizers ?? [];
    if (latest.metadata.deletionTimestamp && !finalizers.includes(FOREGROUND_FINALIZER)) return;
    const owners = latest.metadata.ownerReferences ?? [];
    if (owners.length === 0) return;
    const states = await Promise.all(owners.map((ref) => this.ownerState(ref, node.namespace)));
    // A cluster-scoped object naming a namespaced owner: an error that no retry resolves, dropped.
    if (states.includes('invalid')) return;
    const solid = owners.filter((_, i) => states[i] === 'solid');
    if (solid.length > 0) {
      const gone = new Set(owners.filter((_, i) => states[i] !== 'solid').map((r) => r.uid));
      if (gone.size > 0) await this.patchOwnerReferences(node, latest, owners.filter((r) => !gone.has(r.uid)));
      return;
    }
    const waiting = states.includes('waiting');
    let policy: 'Background' | 'Foreground' | 'Orphan' = 'Background';
    if (waiting && this.graph.dependentsOf(uid).length > 0) policy = 'Foreground';
    else if (finalizers.includes(ORPHAN_FINALIZER)) policy = 'Orphan';
    else if (finalizers.includes(FOREGROUND_FINALIZER)) policy = 'Foreground';
    await this.deleteObject(node, policy);
  }

  /** processDeletingDependentsItem: an owner deleting in the foreground. */
  private async processDeletingDependents(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    const latest = await this.live(node);
    if (!latest || !latest.metadata.deletionTimestamp || !(latest.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER)) return;
    const dependents = this.graph.dependentsOf(uid);
    const blocking = dependents.filter((d) => d.owners.some((r) => r.uid === uid && r.blockOwnerDeletion === true));
    if (blocking.length === 0) {
      await this.removeFinalizer(node, latest, FOREGROUND_FINALIZER);
      return;
    }
    for (const d of dependents) if (!d.deleting || d.deletingDependents) this.queue.add(DELETE + d.uid);
  }

  /** orphanDependents, then the orphan finalizer removed. */
  private async orphanDependents(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    const latest = await this.live(node);
    if (!latest || !latest.metadata.deletionTimestamp || !(latest.metadata.finalizers ?? []).includes(ORPHAN_FINALIZER)) return;
    for (const dependent of this.graph.dependentsOf(uid)) {
      const current = await this.live(dependent);
      if (!current) continue;
      const refs = current.metadata.ownerReferences ?? [];
      if (refs.some((r) => r.uid === uid)) await this.patchOwnerReferences(dependent, current, refs.filter((r) => r.uid !== uid));
    }
    await this.removeFinalizer(node, latest, ORPHAN_FINALIZER);
  }

  private async deleteObject(node: GraphNode, policy: 'Background' | 'Foreground' | 'Orphan'): Promise<void> {
    try {
      await this.client.resource(node.gvr).delete(node.name, { namespace: node.namespace, propagationPolicy: policy, preconditions: { uid: node.uid } });
    } catch (err) {
      if (isStatusError(err, 'NotFound') || isStatusError(err, 'Conflict')) return;
      throw err;
    }
  }

  /** A merge patch conditional on the resourceVersion read: a conflict retries from a fresh read. */
  private async patchMetadata(node: GraphNode, latest: KubeObject, metadata: Record<string, unknown>): Promise<void> {
    try {
      await this.client.resource(node.gvr).patch(node.name, 'merge', { metadata: { ...metadata, uid: node.uid, resourceVersion: latest.metadata.resourceVersion } }, { namespace: node.namespace });
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return;
      throw err;
    }
  }

  private patchOwnerReferences(node: GraphNode, latest: KubeObject, remaining: OwnerReference[]): Promise<void> {
    return this.patchMetadata(node, latest, { ownerReferences: remaining.length > 0 ? remaining : null });
  }

  private removeFinalizer(node: GraphNode, latest: KubeObject, finalizer: string): Promise<void> {
    const remaining = (latest.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    return this.patchMetadata(node, latest, { finalizers: remaining.length > 0 ? remaining : null });
  }
}
