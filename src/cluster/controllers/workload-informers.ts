/**
 * The informers kube-controller-manager's workload controllers and garbage collector share (its
 * shared informer factory): pods, ReplicaSets and Deployments, and the other kinds an
 * ownerReference commonly ties together. Events, leases and nodes are not watched: nothing in the
 * cluster owns events, and watching the kubelets' lease renewals would cost every node a little
 * for nothing the collector does with them.
 */
import type { KubeObject } from '../api/types';
import { CONFIGMAPS, PODS, SECRETS, SERVICEACCOUNTS, SERVICES, type ApiClient, type GroupVersionResource } from '../client/client';
import { Informer } from '../client/informer';
import type { Clock } from '../clock';
import type { WatchedKind } from './garbage-collector/collector';

export const REPLICASETS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'replicasets' };
export const DEPLOYMENTS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'deployments' };

export class WorkloadInformers {
  readonly pods: Informer<KubeObject>;
  readonly replicaSets: Informer<KubeObject>;
  readonly deployments: Informer<KubeObject>;
  /** Every informer with its resource, for the garbage collector. */
  readonly watched: WatchedKind[];

  constructor(client: ApiClient, clock: Clock) {
    const informer = (gvr: GroupVersionResource) => ({ gvr, informer: new Informer<KubeObject>(client.resource(gvr), {}, clock) });
    const pods = informer(PODS);
    const replicaSets = informer(REPLICASETS);
    const deployments = informer(DEPLOYMENTS);
    this.pods = pods.informer;
    this.replicaSets = replicaSets.informer;
    this.deployments = deployments.informer;
    this.watched = [pods, replicaSets, deployments, informer(CONFIGMAPS), informer(SECRETS), informer(SERVICES), informer(SERVICEACCOUNTS)];
  }

  async start(): Promise<void> {
    for (const w of this.watched) w.informer.start();
    await Promise.all(this.watched.map((w) => w.informer.waitForSync()));
  }

  stop(): void {
    for (const w of this.watched) w.informer.stop();
  }
}
