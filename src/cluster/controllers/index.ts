/** kube-controller-manager's controllers that the cluster runs, started together. */
import type { KubeObject, Node } from '../api/types';
import { LEASES, NODES, type ApiClient } from '../client/client';
import type { Informer } from '../client/informer';
import type { Clock } from '../clock';
import { allResources } from '../apiserver/registry/kinds';
import { GarbageCollector } from './garbage-collector/collector';
import { KindMapper } from './garbage-collector/kinds';
import { WorkloadInformers } from './workload-informers';
import { ReplicaSetController } from './replicaset/controller';
import { DeploymentController } from './deployment/controller';
import { NodeIpamController } from './node-ipam';
import { NodeLifecycleController } from './node-lifecycle';
import { PodGarbageCollector } from './pod-gc';
import { RootCACertPublisher } from './root-ca-publisher';
import { TaintEvictionController } from './taint-eviction';

export interface ControllerManagerOptions {
  /** --terminated-pod-gc-threshold (default 12,500; 0 keeps every finished pod). */
  terminatedPodGCThreshold?: number;
  /** The pod CIDR of a simulated node (see NodeIpamController); none by default. */
  podCIDR?: (nodeName: string) => string | undefined;
}

export class ControllerManager {
  private readonly nodeLifecycle: NodeLifecycleController;
  private readonly nodeIpam: NodeIpamController;
  private readonly taintEviction: TaintEvictionController;
  private readonly podGC: PodGarbageCollector;
  private readonly rootCA: RootCACertPublisher;
  /** The informers the controllers share (one pod informer for all). */
  readonly informers: WorkloadInformers;
  readonly garbageCollector: GarbageCollector;
  readonly replicaSets: ReplicaSetController;
  readonly deployments: DeploymentController;

  /** `caCertPem`: the cluster CA that kube-root-ca.crt publishes ('' for a cluster without HTTPS). */
  constructor(client: ApiClient, clock: Clock, caCertPem = '', options: ControllerManagerOptions = {}) {
    this.informers = new WorkloadInformers(client, clock);
    this.nodeLifecycle = new NodeLifecycleController(client, clock, this.informers.podInformer);
    this.nodeIpam = new NodeIpamController(client, this.nodeLifecycle.nodeInformer, options.podCIDR ?? (() => undefined));
    this.taintEviction = new TaintEvictionController(client, clock, this.nodeLifecycle.nodeInformer, this.informers.podInformer);
    this.podGC = new PodGarbageCollector(client, clock, this.nodeLifecycle.nodeInformer, this.informers.podInformer, options.terminatedPodGCThreshold);
    this.rootCA = new RootCACertPublisher(client, clock, caCertPem);
    // A deleted Node's Lease (owned by the Node) is collected, found through the node lifecycle's
    // informers (see OwnedUnwatched).
    const leases = { owners: this.nodeLifecycle.nodeInformer as Informer<KubeObject>, dependents: { gvr: LEASES, informer: this.nodeLifecycle.leaseInformer } };
    // Namespaces and Nodes are owners only: a namespaced object may name one (cluster-scoped owners
    // of namespaced dependents are valid), and its deletion must reach the dependents.
    const ownerKinds = [this.informers.namespaces, { gvr: NODES, informer: this.nodeLifecycle.nodeInformer as Informer<KubeObject> }];
    this.garbageCollector = new GarbageCollector(client, clock, new KindMapper(allResources), this.informers.watched, [leases], ownerKinds);
    this.replicaSets = new ReplicaSetController(client, clock, this.informers.pods, this.informers.replicaSets);
    this.deployments = new DeploymentController(client, clock, this.informers.deployments, this.informers.replicaSets, this.informers.pods);
  }

  /**
   * As kube-controller-manager: the controllers subscribe to the shared informers, then the
   * informers start, and each controller waits for the caches it reads.
   */
  async start(): Promise<void> {
    await this.rootCA.start();
    this.nodeIpam.start();
    this.taintEviction.start();
    this.podGC.start();
    this.garbageCollector.start();
    this.replicaSets.start();
    this.deployments.start();
    await Promise.all([this.informers.start(), this.nodeLifecycle.start()]);
  }

  /** The nodes as the controllers see them (shared with the simulated nodes' fault label). */
  get nodeInformer(): Informer<Node> {
    return this.nodeLifecycle.nodeInformer;
  }

  stop(): void {
    this.garbageCollector.stop();
    this.replicaSets.stop();
    this.deployments.stop();
    this.taintEviction.stop();
    this.podGC.stop();
    this.informers.stop();
    this.rootCA.stop();
    this.nodeLifecycle.stop();
  }
}
