/**
 * What the editor knows about the cluster: Nodes and Pods as informers keep them (list, then watch,
 * through the in-process client, like any Kubernetes client). The UI reads this model, never the
 * store. Plain Node (no vscode): the tree and the commands adapt it.
 *
 * Pods are indexed by node (model/pod-index.ts) so that a tree of 5,000 nodes and 50,000 pods reads
 * each node's pods by lookup. Listeners hear about every informer change, unbatched; the tree
 * coalesces them into repaints.
 */
import type { Node, Pod } from '../cluster/api/types';
import { NODES, PODS, type ApiClient } from '../cluster/client/client';
import { Informer } from '../cluster/client/informer';
import { naturalCompare, PENDING, PodIndex, type NodeLoad } from './model/pod-index';

export { naturalCompare } from './model/pod-index';

interface PodWaiter {
  namespace: string;
  name: string;
  uid: string | undefined;
  ready(pod: Pod): boolean;
  resolve(pod: Pod): void;
}

export class ClusterModel {
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  readonly index = new PodIndex();
  private readonly listeners = new Set<() => void>();
  private podWaiters: PodWaiter[] = [];
  private sortedNodes: Node[] | undefined;

  constructor(client: ApiClient) {
    this.nodes = new Informer<Node>(client.resource<Node>(NODES));
    this.pods = new Informer<Pod>(client.resource<Pod>(PODS));
    const nodesChanged = () => { this.sortedNodes = undefined; this.changed(); };
    this.nodes.addHandlers({ onAdd: nodesChanged, onUpdate: nodesChanged, onDelete: nodesChanged });
    this.pods.addHandlers({
      onAdd: (pod) => { this.index.upsert(pod); this.changed(); },
      onUpdate: (_old, pod) => { this.index.upsert(pod); this.changed(); },
      onDelete: (pod) => { this.index.delete(pod); this.changed(); },
    });
  }

  start(): void {
    this.nodes.start();
    this.pods.start();
  }

  stop(): void {
    this.nodes.stop();
    this.pods.stop();
    this.listeners.clear();
    this.podWaiters = [];
  }

  /** Resolves once both informers have delivered their first list. */
  async waitForSync(): Promise<void> {
    await Promise.all([this.nodes.waitForSync(), this.pods.waitForSync()]);
  }

  get hasSynced(): boolean {
    return this.nodes.hasSynced && this.pods.hasSynced;
  }

  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Nodes by name, in natural order (node-2 before node-10); sorted once per change of the node set. */
  nodeList(): readonly Node[] {
    this.sortedNodes ??= this.nodes.list().sort((a, b) => naturalCompare(a.metadata.name ?? '', b.metadata.name ?? ''));
    return this.sortedNodes;
  }

  node(name: string): Node | undefined {
    return this.nodes.get(name);
  }

  /** Pods bound to `nodeName`, by namespace then name. */
  podsOn(nodeName: string): readonly Pod[] {
    return this.index.podsOn(nodeName);
  }

  podCountOn(nodeName: string): number {
    return this.index.count(nodeName);
  }

  /** What the non-terminated pods on a node request. */
  loadOn(nodeName: string): NodeLoad {
    return this.index.load(nodeName);
  }

  /** Pods no scheduler has bound yet (no spec.nodeName). */
  pendingPods(): readonly Pod[] {
    return this.index.podsOn(PENDING);
  }

  pendingCount(): number {
    return this.index.count(PENDING);
  }

  pod(namespace: string, name: string): Pod | undefined {
    return this.pods.get(`${namespace}/${name}`);
  }

  allPods(): Pod[] {
    return this.pods.list();
  }

  /**
   * Resolves when the pod informer holds `namespace/name` (with `uid`, when given: the very object a
   * write returned, not an older one of the same name) and `ready(pod)` holds, if given.
   */
  whenPodSeen(namespace: string, name: string, uid?: string, ready: (pod: Pod) => boolean = () => true): Promise<Pod> {
    const cached = this.pod(namespace, name);
    if (cached && (uid === undefined || cached.metadata.uid === uid) && ready(cached)) return Promise.resolve(cached);
    return new Promise((resolve) => this.podWaiters.push({ namespace, name, uid, ready, resolve }));
  }

  private changed(): void {
    if (this.podWaiters.length) {
      this.podWaiters = this.podWaiters.filter((waiter) => {
        const pod = this.pod(waiter.namespace, waiter.name);
        if (!pod || (waiter.uid !== undefined && pod.metadata.uid !== waiter.uid) || !waiter.ready(pod)) return true;
        waiter.resolve(pod);
        return false;
      });
    }
    for (const listener of [...this.listeners]) listener();
  }
}
