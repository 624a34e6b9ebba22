/** kube-controller-manager's controllers that the cluster runs, started together. */
import type { ApiClient } from '../client/client';
import type { Clock } from '../clock';
import { NodeLifecycleController } from './node-lifecycle';
import { TaintEvictionController } from './taint-eviction';

export class ControllerManager {
  private readonly nodeLifecycle: NodeLifecycleController;
  private taintEviction: TaintEvictionController | undefined;

  constructor(private readonly client: ApiClient, private readonly clock: Clock) {
    this.nodeLifecycle = new NodeLifecycleController(client, clock);
  }

  async start(): Promise<void> {
    await this.nodeLifecycle.start();
    this.taintEviction = new TaintEvictionController(this.client, this.clock, this.nodeLifecycle.nodeInformer, this.nodeLifecycle.podInformer);
    this.taintEviction.start();
  }

  stop(): void {
    this.taintEviction?.stop();
    this.nodeLifecycle.stop();
  }
}
