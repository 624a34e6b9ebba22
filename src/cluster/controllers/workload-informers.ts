/**
 * The informers kube-controller-manager's controllers share (its shared informer factory): pods,
 * ReplicaSets and Deployments, and the other kinds an ownerReference commonly ties together. The
 * one pod informer serves the node lifecycle and taint eviction controllers (by node), the
 * ReplicaSet controller (by controller) and the garbage collector: every pod costs the controller
 * manager one cache entry, and every pod write one delivery.
 *
 * Events are not watched: nothing in the cluster owns them. Nodes and their leases are watched by
 * the node lifecycle controller; the garbage collector looks up a deleted Node's Lease there.
 * Namespaces are watched for the garbage collector only, as owners (see GarbageCollector's
 * `ownerKinds`): a namespaced object may name its Namespace's or another one's.
 */
import type { KubeObject, Pod } from '../api/types';
import { CONFIGMAPS, NAMESPACES, PODS, SECRETS, SERVICEACCOUNTS, SERVICES, type ApiClient, type GroupVersionResource } from '../client/client';
import { Informer } from '../client/informer';
import { PODS_BY_NODE, podNodeName } from '../client/pod-indexes';
import type { Clock } from '../clock';
import type { WatchedKind } from './garbage-collector/collector';
import { controllerRefOf } from './pods';

export const REPLICASETS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'replicasets' };
export const DEPLOYMENTS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'deployments' };

/**
 * The pods informer's index by controller: the uid of a pod's controller reference, or for a pod
 * without one `orphansIn(namespace)`, as the pods a ReplicaSet may adopt. So a controller reads its
 * own pods and its namespace's orphans, never every pod.
 */
export const PODS_BY_CONTROLLER = 'controller';

/** The index value of a namespace's pods that have no controller (a uid never has a space). */
export const orphansIn = (namespace: string | undefined): string => `orphan ${namespace ?? ''}`;

function podController(pod: KubeObject): string[] {
  return [controllerRefOf(pod)?.uid ?? orphansIn(pod.metadata.namespace)];
}

export class WorkloadInformers {
  /** Indexed by PODS_BY_CONTROLLER and PODS_BY_NODE. */
  readonly pods: Informer<KubeObject>;
  readonly replicaSets: Informer<KubeObject>;
  readonly deployments: Informer<KubeObject>;
  /** Every informer with its resource, for the garbage collector. */
  readonly watched: WatchedKind[];
  /** Namespaces, which the garbage collector watches as owners only. */
  readonly namespaces: WatchedKind;

  constructor(client: ApiClient, clock: Clock) {
    const informer = (gvr: GroupVersionResource) => ({ gvr, informer: new Informer<KubeObject>(client.resource(gvr), {}, clock) });
    const pods = informer(PODS);
    const replicaSets = informer(REPLICASETS);
    const deployments = informer(DEPLOYMENTS);
    this.pods = pods.informer;
    this.pods.addIndex(PODS_BY_CONTROLLER, podController);
    this.pods.addIndex(PODS_BY_NODE, (pod) => podNodeName(pod as Pod));
    this.replicaSets = replicaSets.informer;
    this.deployments = deployments.informer;
    this.watched = [pods, replicaSets, deployments, informer(CONFIGMAPS), informer(SECRETS), informer(SERVICES), informer(SERVICEACCOUNTS)];
    this.namespaces = informer(NAMESPACES);
  }

  /** `pods`, typed for the controllers that read pod fields. */
  get podInformer(): Informer<Pod> {
    return this.pods as unknown as Informer<Pod>;
  }

  /** Starts every informer; resolves once all have synced. */
  async start(): Promise<void> {
    const all = [...this.watched, this.namespaces];
    for (const w of all) w.informer.start();
    await Promise.all(all.map((w) => w.informer.waitForSync()));
  }

  stop(): void {
    for (const w of this.watched) w.informer.stop();
    this.namespaces.informer.stop();
  }
}
