/**
 * The simulated nodes: one Kubelet per node, created from configuration and changed at run time
 * (add, remove, cordon, uncordon, drain, stop and start a kubelet).
 *
 * All kubelets share one pod informer (a single watch instead of one per node: with 5,000 nodes
 * that is the difference between one and 5,000 watchers on every pod change) and each sees only
 * the pods bound to it, as a kubelet's `spec.nodeName=<node>` watch would show it, and that list
 * and watch are announced to the API server's audit as the kubelet's own (Informer.addReader) while
 * it runs. In a Cluster
 * that informer is the controller manager's (NodePoolOptions.podInformer), as the scheduler's is:
 * every pod costs one cache entry and one delivery a write fewer. Every write a kubelet makes is
 * still its own, as `system:node:<name>`.
 *
 * The pool is also the cluster's PodLogSource: logs live with the container runtime on the node.
 */
import { isStatusError, StatusError } from '../api/errors';
import type { Node, Pod } from '../api/types';
import { LEASES, NODES, PODS, type ApiClient } from '../client/client';
import { Informer, objectKey } from '../client/informer';
import { PODS_BY_NODE, podNodeName } from '../client/pod-indexes';
import type { Clock } from '../clock';
import type { UserInfo } from '../apiserver/types';
import { DEFAULT_BEHAVIOUR, type KubeletBehaviour } from './behaviour';
import { finishedPodLog } from './adoption';
import { Kubelet, NODE_LEASE_NAMESPACE } from './kubelet';
import type { NodeConfig } from './node-status';
import { formatLogLine, formatLogLines, waitingToStart, type ContainerLog, type PodLogSource } from './runtime/logs';
import type { RemoteProcess, ResponseStream } from '../apiserver/types';
import { notFound } from '../api/errors';
import { randomBytes } from 'node:crypto';
import { diesWithContainer, ExecCommand } from './runtime/exec';
import { TerminalSession } from './runtime/exec-shell';

/**
 * Kubelets registering at once. In process with a memory store a request never waits, so more at
 * once only keeps more half-done requests alive through young-generation GCs (200 cost a third more
 * CPU than 16 for 5,000 nodes); with a durable store each write waits for an fsync that every
 * write pending with it shares, so more at once fills each batch.
 */
export const STARTUP_CONCURRENCY = { memory: 16, durable: 128 } as const;

/**
 * How long start() and add() wait for a kubelet whose registration keeps failing with errors a
 * retry may get past (500s, 429s, timeouts), in cluster time: then they fail with the last one
 * while the kubelet goes on retrying, as the real one does. A user starting a cluster gets an error
 * to read instead of a start that never ends.
 */
export const REGISTRATION_PATIENCE_MS = 30_000;

/**
 * Refusals no retry gets past while nothing else changes: the Node is invalid (400, 422), the
 * kubelet may not create or read it (403), the request is one the API server does not take.
 * start() and add() fail at the first of these.
 */
const REFUSED_FOR_GOOD = new Set([400, 403, 405, 406, 413, 415, 422]);

/** A kubelet that did not register: the node, and the API server's refusal (`cause`, a StatusError when it answered). */
export class NodeRegistrationError extends Error {
  constructor(readonly node: string, cause: unknown) {
    super(`node "${node}" could not register with the API server: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'NodeRegistrationError';
  }
}

/**
 * Stopping a kubelet from the API, for users of the standalone server (the extension has a command):
 * `kubectl label node NAME fault.kube-sim.io/kubelet=stopped` kills the node's kubelet as if the
 * machine died (no lease, no status; the node lifecycle controller marks it NotReady, the taint
 * eviction controller evicts its pods), and removing the label starts it again. Kubernetes has no
 * such switch; like the pod annotations in faults.ts it is Kube Sim's fault injection. The pool
 * follows a node informer it is given (the controller manager's: a watch of its own would cost a
 * cache entry per node for a label almost no node carries).
 */
export const KUBELET_FAULT_LABEL = 'fault.kube-sim.io/kubelet';

export interface NodePoolOptions {
  clock: Clock;
  /** An API client acting as `user` (the cluster's in-process transport). */
  client(user: UserInfo): ApiClient;
  behaviour?: KubeletBehaviour;
  /** Registrations in flight during start(); default STARTUP_CONCURRENCY.memory. */
  startupConcurrency?: number;
  /**
   * A pod informer of all pods, indexed by PODS_BY_NODE, that another component starts and stops
   * (the controller manager's), read instead of a watch of the pool's own (of the bound pods): at
   * 150,000 pods its cache table and node index cost ~60 bytes a pod. The pool only reads it and
   * routes each bound pod to its node's kubelet; a pod not bound yet goes to no kubelet, as the
   * pool's own watch (`spec.nodeName!=`) would not show it. Kubelets added before it has synced
   * get their pods when it lists them.
   */
  podInformer?: Informer<Pod>;
}

export function kubeletUser(nodeName: string): UserInfo {
  return { name: `system:node:${nodeName}`, groups: ['system:nodes', 'system:authenticated'] };
}

/** `--nodes N`: node-1 … node-N, untainted workers. */
export function workerNodes(count: number): NodeConfig[] {
  return Array.from({ length: count }, (_, i) => ({ name: `node-${i + 1}` }));
}

export class NodePool implements PodLogSource {
  private readonly kubelets = new Map<string, Kubelet>();
  private readonly indexes = new Set<number>();
  private informer: Informer<Pod> | undefined;
  /** Takes the pool's handlers off a shared informer (NodePoolOptions.podInformer). */
  private removeHandlers: (() => void) | undefined;
  /** Nodes whose kubelet the fault label stopped (removing the label starts only these again). */
  private readonly stoppedByLabel = new Set<string>();
  /**
   * What each node's kubelet is streaming (`logs -f`, exec sessions): the kubelet proxies these
   * streams, so when it stops they break; each entry cuts one.
   */
  private readonly streams = new Map<string, Set<() => void>>();
  private readonly admin: ApiClient;

  constructor(private readonly options: NodePoolOptions) {
    this.admin = options.client({ name: 'system:kube-sim-nodes', groups: ['system:nodes', 'system:authenticated'] });
  }

  get nodes(): Kubelet[] {
    return [...this.kubelets.values()];
  }

  /** The pod informer's pod of this namespace/name (what the kubelets' pod workers read). */
  private readonly cachedPod = (key: string): Pod | undefined => this.informer?.get(key);

  /** The informer's pods bound to node `name` (only those are read). */
  private podsOf(name: string): Pod[] {
    return this.informer?.byIndex(PODS_BY_NODE, name) ?? [];
  }

  kubelet(name: string): Kubelet | undefined {
    return this.kubelets.get(name);
  }

  /**
   * Starts the shared pod informer and one kubelet per node; resolves when every node has
   * registered. Rejects (NodeRegistrationError) when a node's registration is refused for good or
   * keeps failing for REGISTRATION_PATIENCE_MS; its kubelet goes on retrying.
   */
  async start(nodes: NodeConfig[]): Promise<void> {
    const shared = this.options.podInformer;
    const informer = (this.informer = shared ?? new Informer<Pod>(this.admin.resource<Pod>(PODS), { fieldSelector: 'spec.nodeName!=' }, this.options.clock));
    if (!shared) informer.addIndex(PODS_BY_NODE, podNodeName);
    this.removeHandlers = informer.addHandlers({
      onAdd: (pod) => this.route(pod),
      onUpdate: (_old, pod) => this.route(pod),
      onDelete: (pod) => this.kubelets.get(pod.spec.nodeName ?? '')?.removePod(pod),
    });
    if (!shared) {
      informer.start();
      await informer.waitForSync();
    }
    const queue = [...nodes];
    const worker = async () => {
      for (let config = queue.shift(); config; config = queue.shift()) {
        try {
          await this.add(config);
        } catch (err) {
          // The start fails: the nodes not begun are not added.
          queue.length = 0;
          throw err;
        }
      }
    };
    const concurrency = this.options.startupConcurrency ?? STARTUP_CONCURRENCY.memory;
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  }

  /** Stops and starts kubelets as the nodes' fault label says (KUBELET_FAULT_LABEL); returns the unsubscribe. */
  followFaultLabel(nodes: Informer<Node>): () => void {
    return nodes.addHandlers({
      onAdd: (node) => this.applyFault(node),
      onUpdate: (_old, node) => this.applyFault(node),
    });
  }

  private applyFault(node: Node): void {
    const stop = node.metadata.labels?.[KUBELET_FAULT_LABEL] === 'stopped';
    if (!stop && this.stoppedByLabel.size === 0) return;
    const name = node.metadata.name ?? '';
    const kubelet = this.kubelets.get(name);
    if (!kubelet) return;
    if (stop && kubelet.isAlive) {
      this.stoppedByLabel.add(name);
      this.stopKubelet(name);
    } else if (!stop && this.stoppedByLabel.delete(name)) {
      this.startKubelet(name).catch(() => undefined);
    }
  }

  stop(): void {
    if (this.options.podInformer) this.removeHandlers?.();
    else this.informer?.stop();
    for (const kubelet of this.kubelets.values()) {
      this.informer?.removeReader(kubelet.pods);
      kubelet.stop();
    }
  }

  /** Adds a node and starts its kubelet; fails as start() does when it cannot register (the kubelet stays, retrying). */
  async add(config: NodeConfig): Promise<Kubelet> {
    if (this.kubelets.has(config.name)) throw new Error(`node "${config.name}" already exists`);
    let index = Number(/^node-(\d+)$/.exec(config.name)?.[1] ?? 0);
    if (!index || this.indexes.has(index)) {
      index = 1;
      while (this.indexes.has(index)) index++;
    }
    this.indexes.add(index);
    const kubelet = new Kubelet({ config, index, client: this.options.client(kubeletUser(config.name)), clock: this.options.clock, behaviour: this.options.behaviour ?? DEFAULT_BEHAVIOUR, pods: this.cachedPod });
    this.kubelets.set(config.name, kubelet);
    await this.startAndSync(kubelet, config.name);
    return kubelet;
  }

  /**
   * Starts `kubelet` and gives it the pods bound to its node once it has registered. Resolves then;
   * rejects with a NodeRegistrationError at a refusal no retry gets past, or once registration has
   * failed for REGISTRATION_PATIENCE_MS of cluster time. The kubelet keeps retrying either way, and
   * still gets its pods when it registers.
   */
  private startAndSync(kubelet: Kubelet, name: string): Promise<void> {
    const clock = this.options.clock;
    const since = clock.now();
    // The kubelet's pod watch begins as it starts (before its Node registers, as the real one's does).
    this.informer?.addReader(kubelet.pods, `spec.nodeName=${name}`);
    return new Promise((resolve, reject) => {
      const refused = (err: unknown) => {
        const forGood = err instanceof StatusError && REFUSED_FOR_GOOD.has(err.code);
        if (forGood || clock.now() - since >= REGISTRATION_PATIENCE_MS) reject(new NodeRegistrationError(name, err));
      };
      kubelet.start(refused).then(() => {
        for (const pod of this.podsOf(name)) kubelet.syncPod(pod);
        resolve();
      }, reject);
    });
  }

  /** Removes a node: its kubelet stops, its Node and Lease are deleted, its pods are deleted (as the pod GC does). */
  async remove(name: string): Promise<void> {
    const kubelet = this.kubelets.get(name);
    if (!kubelet) throw new Error(`node "${name}" not found`);
    this.informer?.removeReader(kubelet.pods);
    kubelet.destroy();
    this.cutStreams(name);
    this.kubelets.delete(name);
    this.indexes.delete(Number(/^node-(\d+)$/.exec(name)?.[1] ?? -1));
    const ignoreMissing = (err: unknown) => { if (!isStatusError(err, 'NotFound')) throw err; };
    await this.admin.resource(NODES).delete(name).catch(ignoreMissing);
    await this.admin.resource(LEASES).delete(name, { namespace: NODE_LEASE_NAMESPACE }).catch(ignoreMissing);
    for (const pod of this.podsOf(name)) {
      await this.admin.resource(PODS).delete(pod.metadata.name ?? '', { namespace: pod.metadata.namespace, gracePeriodSeconds: 0 }).catch(ignoreMissing);
    }
  }

  /** `kubectl cordon`: spec.unschedulable = true. */
  async cordon(name: string, unschedulable = true): Promise<void> {
    await this.admin.resource<Node>(NODES).patch(name, 'merge', { spec: { unschedulable: unschedulable ? true : null } });
  }

  async uncordon(name: string): Promise<void> {
    await this.cordon(name, false);
  }

  /**
   * `kubectl drain`: cordon, evict every pod on the node (DaemonSet and mirror pods excepted), then
   * wait, as kubectl drain does, until those pods are gone: a graceful eviction ends only when the
   * kubelet has stopped the containers, so this waits on the cluster clock. `progress` hears how
   * many are still terminating; an aborted `signal` stops the wait (the evictions stand).
   */
  async drain(name: string, options: { progress?: (terminating: number) => void; signal?: AbortSignal } = {}): Promise<void> {
    await this.cordon(name);
    const evicted = new Map<string, string>();
    for (const pod of this.podsOf(name)) {
      if (pod.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet')) continue;
      if (pod.metadata.annotations?.['kubernetes.io/config.mirror']) continue;
      evicted.set(objectKey(pod), pod.metadata.uid ?? '');
      if (pod.metadata.deletionTimestamp) continue;
      const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace } };
      try {
        await this.admin.resource(PODS).createSubresource(pod.metadata.name ?? '', 'eviction', eviction, { namespace: pod.metadata.namespace });
      } catch (err) {
        // No eviction subresource yet: a plain graceful delete is what an eviction does without PDBs.
        if (isStatusError(err, 'NotFound') || isStatusError(err, 'MethodNotAllowed')) {
          await this.admin.resource(PODS).delete(pod.metadata.name ?? '', { namespace: pod.metadata.namespace }).catch(() => undefined);
        } else throw err;
      }
    }
    await this.untilGone(evicted, options.progress, options.signal);
  }

  /** Resolves once none of `pods` (namespace/name → uid) is in the informer any more, or on abort. */
  private untilGone(pods: Map<string, string>, progress?: (terminating: number) => void, signal?: AbortSignal): Promise<void> {
    const informer = this.informer;
    if (!informer) return Promise.resolve();
    const terminating = () => [...pods].filter(([key, uid]) => informer.get(key)?.metadata.uid === uid).length;
    return new Promise((resolve) => {
      let reported = -1;
      let done = false;
      const check = () => {
        if (done) return;
        const left = terminating();
        if (left !== reported) { reported = left; progress?.(left); }
        if (left > 0 && !signal?.aborted) return;
        done = true;
        // Not while the informer is still calling its handlers: removing one then would skip the next.
        queueMicrotask(unsubscribe);
        signal?.removeEventListener('abort', check);
        resolve();
      };
      const unsubscribe = informer.addHandlers({ onDelete: check });
      signal?.addEventListener('abort', check);
      check();
    });
  }

  /** The kubelet dies (node stops heartbeating); its containers keep running unseen. */
  stopKubelet(name: string): void {
    const kubelet = this.kubelets.get(name);
    if (!kubelet) throw new Error(`node "${name}" not found`);
    this.informer?.removeReader(kubelet.pods);
    kubelet.stop();
    this.cutStreams(name);
  }

  /** Follows a stream the node's kubelet serves; returns the untrack (idempotent). */
  private trackStream(nodeName: string, cut: () => void): () => void {
    let cuts = this.streams.get(nodeName);
    if (!cuts) this.streams.set(nodeName, (cuts = new Set()));
    const set = cuts;
    set.add(cut);
    return () => {
      set.delete(cut);
      if (set.size === 0 && this.streams.get(nodeName) === set) this.streams.delete(nodeName);
    };
  }

  /** The node's kubelet went away: the streams it carried break. */
  private cutStreams(nodeName: string): void {
    const cuts = this.streams.get(nodeName);
    if (!cuts) return;
    this.streams.delete(nodeName);
    for (const cut of cuts) cut();
  }

  /** The kubelet comes back: it reports Ready again and catches up with its pods. */
  async startKubelet(name: string): Promise<void> {
    const kubelet = this.kubelets.get(name);
    if (!kubelet) throw new Error(`node "${name}" not found`);
    await this.startAndSync(kubelet, name);
  }

  open(namespace: string, podName: string, container: string, options: { previous?: boolean }): ContainerLog {
    const pod = this.informer?.get(`${namespace}/${podName}`);
    if (!pod) throw notFound({ group: '', resource: 'pods' }, podName);
    const worker = this.kubelets.get(pod.spec.nodeName ?? '')?.worker(namespace, podName);
    if (!worker) throw waitingToStart(container, podName, 'ContainerCreating');
    return worker.log(container, !!options.previous);
  }

  /**
   * `open`, and for a pod that had finished before this process started (it has no worker), the
   * log its containers left, replayed (adoption.ts).
   */
  private async openOrReplay(pod: Pod, container: string, previous: boolean): Promise<ContainerLog> {
    try {
      return this.open(pod.metadata.namespace ?? 'default', pod.metadata.name ?? '', container, { previous });
    } catch (err) {
      const kubelet = this.kubelets.get(pod.spec.nodeName ?? '');
      const phase = pod.status?.phase;
      if (!kubelet || (phase !== 'Succeeded' && phase !== 'Failed') || kubelet.worker(pod.metadata.namespace ?? 'default', pod.metadata.name ?? '')) throw err;
      const replayed = await finishedPodLog(pod, container, previous, kubelet.config);
      if (!replayed) throw err;
      return replayed;
    }
  }

  /**
   * The API server's pods/log provider (`setLogProvider`): the text of the log, or for `follow` a
   * stream that carries what is there, then each new line, and ends when the container exits.
   */
  readonly serveLog = async (
    pod: Pod,
    options: { container: string; follow: boolean; previous: boolean; timestamps: boolean; tailLines?: number; sinceSeconds?: number; limitBytes?: number },
    signal?: AbortSignal,
  ): Promise<string | ResponseStream> => {
    const log = await this.openOrReplay(pod, options.container, options.previous);
    const format: Parameters<typeof formatLogLines>[1] = { timestamps: options.timestamps };
    if (options.tailLines !== undefined) format.tailLines = options.tailLines;
    if (options.sinceSeconds !== undefined) format.sinceTime = this.options.clock.now() - options.sinceSeconds * 1000;
    if (options.limitBytes !== undefined) format.limitBytes = options.limitBytes;
    const text = formatLogLines(log.lines(), format);
    if (!options.follow || options.previous) return text;
    let unsubscribe: (() => void) | undefined;
    let untrack = () => {};
    let closed = false;
    const stop = () => { closed = true; unsubscribe?.(); untrack(); };
    return {
      start: (write, end) => {
        if (text) write(text);
        unsubscribe = log.follow((line) => { if (!closed) write(formatLogLine(line, options.timestamps)); }, () => { if (!closed) { stop(); end(); } });
        // The kubelet stopping ends the stream as the container's end does: kube-apiserver copies
        // the kubelet's response until it breaks, then ends its own.
        if (!closed) untrack = this.trackStream(pod.spec.nodeName ?? '', () => { if (!closed) { stop(); end(); } });
        signal?.addEventListener('abort', stop);
      },
      close: stop,
    };
  };

  /** The API server's view of a node's kubelet server: it listens while the kubelet runs. */
  readonly kubeletListening = (nodeName: string): boolean => this.kubelets.get(nodeName)?.isAlive ?? false;

  /**
   * The API server's pods/exec provider: a process in the running container, or the kubelet's
   * refusal as its HTTP answer (plain text, as the kubelet's streaming server writes errors).
   */
  readonly serveExec = (pod: Pod, options: { container: string; command: string[]; stdin: boolean; tty: boolean }): RemoteProcess | { status: number; message: string } => {
    const namespace = pod.metadata.namespace ?? 'default';
    const worker = this.kubelets.get(pod.spec.nodeName ?? '')?.worker(namespace, pod.metadata.name ?? '');
    if (!worker) return { status: 404, message: 'pod does not exist' };
    const container = worker.runningContainer(options.container);
    if (!container) return { status: 500, message: `container not found (${JSON.stringify(options.container)})` };
    const execId = randomBytes(32).toString('hex');
    const clock = this.options.clock;
    const process = diesWithContainer(clock, () => container.running, options.tty && options.stdin
      ? new TerminalSession(clock, container.context, options.command, execId)
      : new ExecCommand(clock, container.context, options.command, execId, options.stdin));
    // The kubelet stopping breaks the stream it proxies; the process goes with its stdin.
    const nodeName = pod.spec.nodeName ?? '';
    let untrack = () => {};
    return {
      start: (output) => {
        untrack = this.trackStream(nodeName, () => { process.kill(); output.disconnected?.(); });
        const done = () => untrack();
        process.start({ ...output, exit: (code) => { done(); output.exit(code); }, failed: (message) => { done(); output.failed(message); } });
      },
      stdin: (data) => process.stdin(data),
      closeStdin: () => process.closeStdin(),
      resize: (width, height) => process.resize(width, height),
      kill: () => { untrack(); process.kill(); },
    };
  };

  private route(pod: Pod): void {
    const node = pod.spec.nodeName;
    if (node) this.kubelets.get(node)?.syncPod(pod);
  }
}
