/**
 * One run of the embedded cluster as the editor sees it: the Cluster itself (in this extension host's
 * process), the admin client the UI acts through, the informer-fed model, and the facts the tree
 * shows about it. Plain Node (no vscode).
 */
import { Cluster } from '../cluster/cluster';
import type { ApiClient } from '../cluster/client/client';
import { workerNodes } from '../cluster/kubelet/nodes';
import { nodeConfig, type NodeSettings } from '../cluster/kubelet/node-spec';
import { ClusterModel } from './cluster-model';

export interface SessionOptions {
  port: number;
  nodes: number;
  /** More nodes with their own size, zone, labels and taints (`kubeSim.extraNodes`). */
  extraNodes?: NodeSettings[];
  speed: number;
  /** Where the cluster keeps its store, certificates and kubeconfig. */
  dataDir: string;
  log?: (line: string) => void;
}

export interface ClusterInfo {
  /** The kubeconfig context and cluster name. */
  name: string;
  /** `/version` gitVersion, e.g. `v1.32.0-kube-sim`. */
  version: string;
  /** https://127.0.0.1:PORT, or undefined when the cluster serves in-process only. */
  endpoint: string | undefined;
  kubeconfigPath: string | undefined;
}

export const CLUSTER_NAME = 'kube-sim';

export class ClusterSession {
  private constructor(
    readonly cluster: Cluster,
    readonly client: ApiClient,
    readonly model: ClusterModel,
    readonly info: ClusterInfo,
  ) {}

  static async start(options: SessionOptions): Promise<ClusterSession> {
    const clusterOptions: Parameters<typeof Cluster.start>[0] = {
      port: options.port,
      // A node the user described wrongly stops the start with a sentence naming it (NodeSpecError).
      nodeConfigs: [...workerNodes(options.nodes), ...(options.extraNodes ?? []).map(nodeConfig)],
      speed: options.speed,
      dataDir: options.dataDir,
    };
    if (options.log) clusterOptions.log = options.log;
    const cluster = await Cluster.start(clusterOptions);
    try {
      const client = cluster.client();
      const version = await client.request<{ gitVersion?: string }>('GET', '/version');
      const info: ClusterInfo = {
        name: CLUSTER_NAME,
        version: version.object.gitVersion ?? 'unknown',
        endpoint: cluster.url,
        kubeconfigPath: cluster.kubeconfigPath,
      };
      const model = new ClusterModel(client);
      model.start();
      return new ClusterSession(cluster, client, model, info);
    } catch (err) {
      await cluster.stop().catch(() => undefined);
      throw err;
    }
  }

  /** Stops the informers, then the cluster (which flushes its store). */
  async stop(): Promise<void> {
    this.model.stop();
    await this.cluster.stop();
  }
}
