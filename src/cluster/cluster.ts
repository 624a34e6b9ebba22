/**
 * The embedded cluster: configuration and wiring of the store, the API server (HTTPS and
 * in-process transports), and the components, which are API clients like any other.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, SERVICEACCOUNTS } from './client/client';
import { Informer } from './client/informer';
import type { KubeObject } from './api/types';
import { VirtualClock } from './clock';
import { AuditLog } from './apiserver/audit';
import { ADMIN, APISERVER, CONTROLLER_MANAGER, SCHEDULER } from './apiserver/auth/identities';
import { loadOrCreateTokens, TokenAuthenticator } from './apiserver/auth/tokens';
import { ServiceAccountTokens } from './apiserver/auth/service-account-tokens';
import { clockStart, keepClockMark } from './clock-mark';
import { ServiceAccountController } from './apiserver/bootstrap/service-account-controller';
import { NamespaceController } from './apiserver/bootstrap/namespace-controller';
import { seedCluster } from './apiserver/bootstrap/seed';
import { loadOrCreatePki } from './apiserver/certs';
import { writeKubeconfig } from './apiserver/kubeconfig';
import { allResources } from './apiserver/registry/kinds';
import { ApiServer } from './apiserver/server';
import { HttpsTransport } from './apiserver/transport/https';
import { inProcessTransport } from './apiserver/transport/in-process';
import { servedTransport } from './apiserver/transport/served';
import type { Transport, UserInfo } from './apiserver/types';
import { ControllerManager } from './controllers';
import { NodePool, STARTUP_CONCURRENCY, workerNodes } from './kubelet/nodes';
import { KUBELET_VERSION, type NodeConfig } from './kubelet/node-status';
import { DEFAULT_BEHAVIOUR, type KubeletBehaviour } from './kubelet/behaviour';
import { Compactor, DEFAULT_COMPACTION_INTERVAL_MS } from './store/compactor';
import { EventTtl } from './apiserver/event-ttl';
import { Scheduler } from './scheduler/scheduler';
import { withPlacementExplanations } from './scheduler/explain-placement';
import { openStore, type KVStore } from './store';

export interface ClusterOptions {
  /** undefined: in-memory store (tests); else durable store + certs + kubeconfig there. */
  dataDir?: string;
  /** 0 = a free port; undefined = no HTTPS listener (in-process only). */
  port?: number;
  /** Worker nodes node-1 … node-N (default 3). */
  nodes?: number;
  /** Nodes with sizes, labels, taints and zones; replaces `nodes` when given. */
  nodeConfigs?: NodeConfig[];
  /** Kubelet timings and their jitter seed (src/cluster/kubelet/behaviour.ts); merged over the defaults. */
  kubeletBehaviour?: Partial<KubeletBehaviour>;
  /** kube-controller-manager's --terminated-pod-gc-threshold: finished pods kept (default 12,500; 0: all). */
  terminatedPodGCThreshold?: number;
  /** Clock speed (default 1). */
  speed?: number;
  /** Tests pass a ManualClock. */
  clock?: VirtualClock;
  /** Default <dataDir>/kubeconfig. */
  kubeconfigPath?: string;
  log?: (line: string) => void;
}

/**
 * The User-Agent a 1.32 component's client sends (client-go's default: binary/version (os/arch)
 * kubernetes/commit). kube-apiserver names the field manager of a write without ?fieldManager after
 * it, up to the first `/`: the kubelet's writes are `kubelet`'s, the controllers' (and the events
 * they record) `kube-controller-manager`'s, the objects kube-apiserver seeds `kube-apiserver`'s.
 */
function componentAgent(binary: string): string {
  return `${binary}/${KUBELET_VERSION} (linux/amd64) kubernetes/kube-sim`;
}

const CONTROLLER_MANAGER_AGENT = componentAgent('kube-controller-manager');

export class Cluster {
  private readonly stoppers: (() => void | Promise<void>)[] = [];
  private stopped = false;
  /** The simulated nodes and their kubelets (add, remove, cordon, drain, stop/start); also the pods/log source. */
  nodes!: NodePool;
  /** The default scheduler (kube-scheduler's default profile), an API client like the kubelets. */
  scheduler!: Scheduler;

  private constructor(
    readonly clock: VirtualClock,
    readonly server: ApiServer,
    readonly store: KVStore,
    private readonly transport: Transport,
    readonly url: string | undefined,
    readonly kubeconfigPath: string | undefined,
  ) {}

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const ownsClock = options.clock === undefined;
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const clock = options.clock ?? new VirtualClock({ speed: options.speed ?? 1, start: clockStart(options.dataDir) });
    const log = options.log ?? (() => undefined);
    const store: KVStore = await openStore(options.dataDir ? { dataDir: join(options.dataDir, 'store') } : {});
    const compactor = new Compactor(store, clock, DEFAULT_COMPACTION_INTERVAL_MS, log);

    let serverAddress = '127.0.0.1:443';
    const audit = new AuditLog();
    const serviceAccountTokens = new ServiceAccountTokens(clock, options.dataDir);
    const server = new ApiServer({ kv: store, clock, resources: allResources, audit, serverAddress: () => serverAddress, serviceAccountTokens });
    // Dry-run pod creates that ask for it come back with the scheduler's placement explanation.
    let scheduler: Scheduler | undefined;
    const transport = withPlacementExplanations(inProcessTransport(server), () => scheduler);

    let https: HttpsTransport | undefined;
    let url: string | undefined;
    let kubeconfigPath: string | undefined;
    let caCertPem = '';
    if (options.port !== undefined) {
      const pki = loadOrCreatePki(options.dataDir);
      caCertPem = pki.ca.cert;
      const tokens = loadOrCreateTokens(options.dataDir);
      https = new HttpsTransport({ handle: withPlacementExplanations(servedTransport(server), () => scheduler), tokens: new TokenAuthenticator(tokens, serviceAccountTokens), cert: pki.serving.cert, key: pki.serving.key, ca: pki.ca.cert, log });
      const port = await https.listen(options.port);
      serverAddress = `127.0.0.1:${port}`;
      url = `https://127.0.0.1:${port}`;
      kubeconfigPath = options.kubeconfigPath ?? (options.dataDir ? join(options.dataDir, 'kubeconfig') : undefined);
      if (kubeconfigPath) writeKubeconfig(kubeconfigPath, { server: url, caCertPem: pki.ca.cert, adminToken: tokens.admin, viewerToken: tokens.viewer });
    }

    const cluster = new Cluster(clock, server, store, transport, url, kubeconfigPath);
    if (https) cluster.stoppers.push(() => https!.close());
    // kube-apiserver compacts etcd every 5 minutes and lets events expire after an hour; without
    // them the store's history and events grow for as long as the cluster runs.
    compactor.start();
    cluster.stoppers.push(() => compactor.stop());
    const eventTtl = new EventTtl(store, clock, undefined, log);
    cluster.stoppers.push(() => eventTtl.stop());
    // The clock does not move past writes still waiting for the disk (see clock.ts).
    if (store.pendingWrites) {
      clock.setPendingWork(() => store.pendingWrites?.());
      cluster.stoppers.push(() => clock.setPendingWork(undefined));
    }
    cluster.stoppers.push(() => server.stop());
    cluster.stoppers.push(() => store.close());
    if (ownsClock) cluster.stoppers.push(() => clock.dispose());
    if (ownsClock && options.dataDir) cluster.stoppers.push(keepClockMark(options.dataDir, clock));

    try {
      await eventTtl.start();
      await seedCluster(cluster.client(APISERVER, componentAgent('kube-apiserver')));
      const serviceAccounts = new ServiceAccountController(cluster.client(CONTROLLER_MANAGER, CONTROLLER_MANAGER_AGENT), clock);
      cluster.stoppers.unshift(() => serviceAccounts.stop());
      await serviceAccounts.start();
      if (https) {
        // Service account tokens live as long as their accounts (see service-account-tokens.ts).
        const accounts = new Informer<KubeObject>(cluster.client(APISERVER).resource(SERVICEACCOUNTS), {}, clock);
        cluster.stoppers.unshift(() => accounts.stop());
        accounts.start();
        await accounts.waitForSync();
        serviceAccountTokens.followAccounts((namespace, name) => accounts.get(`${namespace}/${name}`)?.metadata.uid);
      }
      const namespaceContent = allResources
        // events.k8s.io events are the core events, stored once.
        .filter((def) => def.namespaced && def.verbs.includes('list') && def.verbs.includes('delete') && def.group !== 'events.k8s.io')
        .map((def) => ({ group: def.group, version: def.version, resource: def.resource }));
      const namespaceController = new NamespaceController(cluster.client(CONTROLLER_MANAGER, CONTROLLER_MANAGER_AGENT), clock, namespaceContent);
      cluster.stoppers.unshift(() => namespaceController.stop());
      await namespaceController.start();
      // The kubelets and the scheduler read the controller manager's pod informer (one watch of every
      // pod, not three): that informer starts with the controllers, so the scheduler starts after
      // them, and the kubelets get their pods once it has listed them.
      const controllers = new ControllerManager(cluster.client(CONTROLLER_MANAGER, CONTROLLER_MANAGER_AGENT), clock, caCertPem, { terminatedPodGCThreshold: options.terminatedPodGCThreshold, podCIDR: (name) => cluster.nodes.kubelet(name)?.podCIDR });
      cluster.nodes = new NodePool({
        clock,
        client: (user) => cluster.client(user, componentAgent('kubelet')),
        behaviour: { ...DEFAULT_BEHAVIOUR, ...options.kubeletBehaviour },
        startupConcurrency: options.dataDir ? STARTUP_CONCURRENCY.durable : STARTUP_CONCURRENCY.memory,
        podInformer: controllers.informers.podInformer,
      });
      cluster.stoppers.unshift(() => cluster.nodes.stop());
      server.parts.logProvider = cluster.nodes.serveLog;
      server.parts.execProvider = cluster.nodes.serveExec;
      server.parts.kubeletListening = cluster.nodes.kubeletListening;
      cluster.stoppers.unshift(() => { delete server.parts.logProvider; delete server.parts.execProvider; delete server.parts.kubeletListening; });
      await cluster.nodes.start(options.nodeConfigs ?? workerNodes(options.nodes ?? 3));
      scheduler = new Scheduler(cluster.client(SCHEDULER, componentAgent('kube-scheduler')), clock, { log, podInformer: controllers.informers.podInformer });
      cluster.scheduler = scheduler;
      cluster.stoppers.unshift(() => scheduler!.stop());
      cluster.stoppers.unshift(() => controllers.stop());
      await controllers.start();
      await scheduler.start();
      cluster.stoppers.unshift(cluster.nodes.followFaultLabel(controllers.nodeInformer));
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** An API client through the in-process transport; by default the cluster admin. */
  client(user: UserInfo = ADMIN, userAgent = 'kube-sim'): ApiClient {
    return new ApiClient(this.transport, user, userAgent);
  }

  get audit(): AuditLog {
    return this.server.audit;
  }

  /** Stops the components, closes HTTPS (ending watches) and flushes the store. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const stop of this.stoppers) {
      try {
        await stop();
      } catch {
        // Keep stopping the rest.
      }
    }
  }
}
