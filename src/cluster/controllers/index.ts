/** kube-controller-manager's controllers that the cluster runs, started together. */
import type { Node } from '../api/types';
import type { ApiClient } from '../client/client';
import type { Informer } from '../client/informer';
import type { Clock } from '../clock';
import { allResources } from '../apiserver/registry/kinds';
import { GarbageCollector } from './garbage-collector/collector';
import { KindMapper } from './garbage-collector/kinds';
import { WorkloadInformers } from './workload-informers';
import { ReplicaSetController } from './replicaset/controller';
import { DeploymentController } from './deployment/controller';
import { NodeLifecycleController } from './node-lifecycle';
import { RootCACertPublisher } from './root-ca-publisher';
import { TaintEvictionController } from './taint-eviction';

export class ControllerManager {
  private readonly nodeLifecycle: NodeLifecycleController;
  private taintEviction: TaintEvictionController | undefined;
  private readonly rootCA: RootCACertPublisher;
  /** The informers the workload controllers and the garbage collector share. */
  readonly workloads: WorkloadInformers;
  readonly garbageCollector: GarbageCollector;
  readonly replicaSets: ReplicaSetController;
  readonly deployments: DeploymentController;

  /** `caCertPem`: the cluster CA that kube-root-ca.crt publishes ('' for a cluster without HTTPS). */
  constructor(private readonly client: ApiClient, private readonly clock: Clock, caCertPem = '') {
    this.nodeLifecycle = new NodeLifecycleController(client, clock);
    this.rootCA = new RootCACertPublisher(client, clock, caCertPem);
    this.workloads = new WorkloadInformers(client, clock);
    this.garbageCollector = new GarbageCollector(client, clock, new KindMapper(allResources), this.workloads.watched);
    this.replicaSets = new ReplicaSetController(client, clock, this.workloads.pods, this.workloads.replicaSets);
    this.deployments = new DeploymentController(client, clock, this.workloads.deployments, this.workloads.replicaSets, this.workloads.pods);
  }

  async start(): Promise<void> {
    await this.rootCA.start();
    await this.nodeLifecycle.start();
    this.taintEviction = new TaintEvictionController(this.client, this.clock, this.nodeLifecycle.nodeInformer, this.nodeLifecycle.podInformer);
    this.taintEviction.start();
    this.garbageCollector.start();
    this.replicaSets.start();
    this.deployments.start();
    await this.workloads.start();
  }

  /** The nodes as the controllers see them (shared with the simulated nodes' fault label). */
  get nodeInformer(): Informer<Node> {
    return this.nodeLifecycle.nodeInformer;
  }

  stop(): void {
    this.garbageCollector.stop();
    this.replicaSets.stop();
    this.deployments.stop();
    this.workloads.stop();
    this.rootCA.stop();
    this.taintEviction?.stop();
    this.nodeLifecycle.stop();
  }
}
