/** A PodWorkerHost that records events and status writes, for golden tests of pod lifecycles. */
import type { KubeObject, Pod, PodStatus } from '../../../../src/cluster/api/types';
import { ManualClock } from '../../../../src/cluster/clock';
import type { ObjectReference } from '../../../../src/cluster/client/event-recorder';
import { BackOff } from '../../../../src/cluster/kubelet/backoff';
import { DEFAULT_BEHAVIOUR, Random, type KubeletBehaviour } from '../../../../src/cluster/kubelet/behaviour';
import { ContainerIds } from '../../../../src/cluster/kubelet/runtime/container-ids';
import { ImageManager } from '../../../../src/cluster/kubelet/images';
import { compactIP, ipText, type CompactIP } from '../../../../src/cluster/kubelet/pod-ip';
import { PodWorker, type PodWorkerHost } from '../../../../src/cluster/kubelet/pod-worker';

export interface Recorded {
  /** `+12s Normal Pulling: Pulling image "nginx:1.27"` */
  events: string[];
  statuses: PodStatus[];
  deleted: boolean;
  /** The uid the delete was for (its precondition). */
  deletedUid?: string | undefined;
}

/** Timings without jitter, so tests read exact times. */
export const EXACT: KubeletBehaviour = {
  ...DEFAULT_BEHAVIOUR,
  sandboxStart: { ms: 1000 },
  pullLatency: { ms: 500 },
  pullBytesPerSecond: 50 * 1024 * 1024,
  containerStart: { ms: 100 },
  relist: { ms: 1000 },
  sigtermExit: { ms: 200 },
  oomKill: { ms: 1000 },
};

export function makePod(spec: Partial<Pod['spec']> & { containers: Pod['spec']['containers'] }, meta: Partial<Pod['metadata']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: '7c9e6679-7425-40de-944b-e07fc1f90ae7', ...meta },
    spec: { nodeName: 'node-1', restartPolicy: 'Always', terminationGracePeriodSeconds: 30, ...spec },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' }], qosClass: 'BestEffort' },
  };
}

export class FakeHost implements PodWorkerHost {
  readonly clock: ManualClock;
  readonly random: Random;
  readonly containerIds = new ContainerIds(7, 1);
  readonly nodeName = 'node-1';
  readonly hostIP = '172.18.0.2';
  readonly images: ImageManager;
  readonly crashBackOff: BackOff;
  readonly pullBackOff: BackOff;
  readonly recorded: Recorded = { events: [], statuses: [], deleted: false };
  readonly objects = new Map<string, KubeObject>();
  readonly start: number;
  readonly config = {
    configMap: async (ns: string, name: string) => this.objects.get(`configmap/${ns}/${name}`),
    secret: async (ns: string, name: string) => this.objects.get(`secret/${ns}/${name}`),
  };

  constructor(readonly behaviour: KubeletBehaviour = EXACT) {
    this.clock = new ManualClock();
    this.start = this.clock.now();
    this.random = new Random(7);
    this.images = new ImageManager(this.clock, this.random, behaviour);
    this.crashBackOff = new BackOff(behaviour.crashLoopBackOff, () => this.clock.now());
    this.pullBackOff = new BackOff(behaviour.imagePullBackOff, () => this.clock.now());
  }

  private at(): string {
    return `+${(this.clock.now() - this.start) / 1000}s`;
  }

  allocatePodIP(): CompactIP { return compactIP('10.244.1.5'); }
  /** The pod IPs given back, in order. */
  readonly released: string[] = [];
  releasePodIP(ip: CompactIP): void { this.released.push(ipText(ip)); }
  /** The references of the pod events, in order (as the recorder would make the event's involvedObject). */
  readonly involved: ObjectReference[] = [];
  podEvent(involved: ObjectReference, type: string, reason: string, message: string): void {
    this.involved.push(involved);
    this.recorded.events.push(`${this.at()} ${type} ${reason}: ${message}`);
  }
  nodeEvent(type: string, reason: string, message: string): void {
    this.recorded.events.push(`${this.at()} node ${type} ${reason}: ${message}`);
  }
  writeStatus(_pod: Pod, status: PodStatus): void {
    const last = this.recorded.statuses.at(-1);
    if (!last || JSON.stringify(last) !== JSON.stringify(status)) this.recorded.statuses.push(JSON.parse(JSON.stringify(status)));
  }
  deletePod(pod: Pod): void {
    this.recorded.deleted = true;
    this.recorded.deletedUid = pod.metadata.uid;
  }
  /**
   * Pods by namespace/name as a pod informer would hold them: only with `informer` on (the tests of
   * a worker that keeps no pod of its own); otherwise none, and every worker holds its pod.
   */
  readonly pods = new Map<string, Pod>();
  informer = false;
  cachedPod(namespace: string, name: string): Pod | undefined {
    return this.informer ? this.pods.get(`${namespace}/${name}`) : undefined;
  }

  worker(pod: Pod): PodWorker {
    const worker = new PodWorker(pod, this);
    worker.start();
    return worker;
  }

  get status(): PodStatus {
    return this.recorded.statuses.at(-1)!;
  }
}

/** kubectl's STATUS column for a pod (printers.printPod, the parts these tests reach). */
export function kubectlStatus(status: PodStatus, deleting = false): string {
  let reason: string = status.reason ?? status.phase ?? '';
  const inits = status.initContainerStatuses ?? [];
  let initializing = false;
  inits.forEach((c, i) => {
    if (initializing) return;
    if (c.state?.terminated && c.state.terminated.exitCode === 0) return;
    if (c.started && c.state?.running) return;
    if (c.state?.terminated) reason = c.state.terminated.reason ? `Init:${c.state.terminated.reason}` : `Init:ExitCode:${c.state.terminated.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${inits.length}`;
    initializing = true;
  });
  if (!initializing) {
    let hasRunning = false;
    for (const c of [...(status.containerStatuses ?? [])].reverse()) {
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.running && c.ready) hasRunning = true;
      else if (c.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (deleting) reason = 'Terminating';
  return reason;
}

/** The distinct STATUS values in order, as `kubectl get pods -w` shows them. */
export function statusSequence(statuses: PodStatus[]): string[] {
  const out: string[] = [];
  for (const s of statuses) {
    const text = `${kubectlStatus(s)} ${readyColumn(s)} ${restarts(s)}`;
    if (out.at(-1) !== text) out.push(text);
  }
  return out;
}

function readyColumn(s: PodStatus): string {
  const cs = s.containerStatuses ?? [];
  return `${cs.filter((c) => c.ready).length}/${cs.length}`;
}

function restarts(s: PodStatus): number {
  return (s.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);
}
