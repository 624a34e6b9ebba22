/**
 * What the editor knows about the cluster: Nodes and Pods as informers keep them (list, then watch,
 * through the in-process client, like any Kubernetes client). The UI reads this model, never the
 * store. Plain Node (no vscode): the tree and the commands adapt it.
 *
 * Listeners hear about every informer change, unbatched; the tree coalesces them into repaints.
 */
import type { Node, Pod } from '../cluster/api/types';
import { NODES, PODS, type ApiClient } from '../cluster/client/client';
import { Informer } from '../cluster/client/informer';

interface PodWaiter {
  namespace: string;
  name: string;
  uid: string | undefined;
  resolve(pod: Pod): void;
}

export class ClusterModel {
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  private readonly listeners = new Set<() => void>();
  private podWaiters: PodWaiter[] = [];

  constructor(client: ApiClient) {
    this.nodes = new Informer<Node>(client.resource<Node>(NODES));
    this.pods = new Informer<Pod>(client.resource<Pod>(PODS));
    const changed = () => this.changed();
    this.nodes.addHandlers({ onAdd: changed, onUpdate: changed, onDelete: changed });
    this.pods.addHandlers({ onAdd: changed, onUpdate: changed, onDelete: changed });
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

  /** Nodes by name, in natural order (node-2 before node-10). */
  nodeList(): Node[] {
    return this.nodes.list().sort((a, b) => naturalCompare(a.metadata.name ?? '', b.metadata.name ?? ''));
  }

  node(name: string): Node | undefined {
    return this.nodes.get(name);
  }

  /** Pods bound to `nodeName`, by namespace then name. */
  podsOn(nodeName: string): Pod[] {
    return this.sortedPods((pod) => pod.spec?.nodeName === nodeName);
  }

  /** Pods no scheduler has bound yet (no spec.nodeName). */
  pendingPods(): Pod[] {
    return this.sortedPods((pod) => !pod.spec?.nodeName);
  }

  pod(namespace: string, name: string): Pod | undefined {
    return this.pods.get(`${namespace}/${name}`);
  }

  /**
   * Resolves when the pod informer holds `namespace/name` (with `uid`, when given: the very object a
   * write returned, not an older one of the same name).
   */
  whenPodSeen(namespace: string, name: string, uid?: string): Promise<Pod> {
    const cached = this.pod(namespace, name);
    if (cached && (uid === undefined || cached.metadata.uid === uid)) return Promise.resolve(cached);
    return new Promise((resolve) => this.podWaiters.push({ namespace, name, uid, resolve }));
  }

  private sortedPods(filter: (pod: Pod) => boolean): Pod[] {
    return this.pods
      .list()
      .filter(filter)
      .sort((a, b) =>
        naturalCompare(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
        naturalCompare(a.metadata.name ?? '', b.metadata.name ?? ''));
  }

  private changed(): void {
    if (this.podWaiters.length) {
      this.podWaiters = this.podWaiters.filter((waiter) => {
        const pod = this.pod(waiter.namespace, waiter.name);
        if (!pod || (waiter.uid !== undefined && pod.metadata.uid !== waiter.uid)) return true;
        waiter.resolve(pod);
        return false;
      });
    }
    for (const listener of [...this.listeners]) listener();
  }
}

const collator = new Intl.Collator('en', { numeric: true });

export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b);
}
