/**
 * The node lifecycle controller of kube-controller-manager (1.32 defaults):
 *
 * - every 5 s (--node-monitor-period) it checks each node's last heartbeat: a Lease renewal or a
 *   change of the Ready condition's lastHeartbeatTime, timed by when the controller saw it;
 * - after 50 s (--node-monitor-grace-period) without one, every condition becomes Unknown with
 *   reason NodeStatusUnknown, "Kubelet stopped posting node status." (lastHeartbeatTime kept,
 *   lastTransitionTime now), the node gets the unreachable NoSchedule and NoExecute taints with
 *   timeAdded, its pods' Ready condition turns False, and a NodeNotReady event is recorded;
 * - Ready=False gives the not-ready taints instead; Ready=True removes them;
 * - a new node gets a RegisteredNode event, a deleted one a RemovingNode event.
 *
 * Evicting the pods of a tainted node is the taint eviction controller's job (taint-eviction.ts).
 */
import type { KubeObject, Node, NodeCondition, Pod, Taint } from '../api/types';
import { LEASES, NODES, PODS, type ApiClient } from '../client/client';
import { EventRecorder, rfc3339 } from '../client/event-recorder';
import { Informer } from '../client/informer';
import { PODS_BY_NODE } from '../client/pod-indexes';
import type { Clock, Timer } from '../clock';
import { TAINT_NOT_READY, TAINT_UNREACHABLE } from './taints';

export const NODE_MONITOR_PERIOD_MS = 5_000;
export const NODE_MONITOR_GRACE_PERIOD_MS = 50_000;

interface Health {
  /** When the controller last saw the node heartbeat (virtual ms). */
  probeTimestamp: number;
  renewTime?: string;
  heartbeat?: string;
}

export class NodeLifecycleController {
  private readonly nodes: Informer<Node>;
  private readonly leases: Informer<KubeObject>;
  private readonly health = new Map<string, Health>();
  private readonly recorder: EventRecorder;
  private timer: Timer | undefined;
  private stopped = false;

  /**
   * `pods`: the controller manager's shared pod informer, indexed by PODS_BY_NODE; its owner starts
   * and stops it, `start` waits for it to sync.
   */
  constructor(private readonly client: ApiClient, private readonly clock: Clock, private readonly pods: Informer<Pod>) {
    this.nodes = new Informer<Node>(client.resource<Node>(NODES), {}, clock);
    this.leases = new Informer(client.resource(LEASES), { namespace: 'kube-node-lease' }, clock);
    this.recorder = new EventRecorder(client, clock, { component: 'node-controller' });
  }

  get nodeInformer(): Informer<Node> {
    return this.nodes;
  }

  /** The node leases (kube-node-lease) as this controller watches them. */
  get leaseInformer(): Informer<KubeObject> {
    return this.leases;
  }

  async start(): Promise<void> {
    this.nodes.addHandlers({
      onAdd: (node) => {
        this.observe(node.metadata.name ?? '', undefined, readyCondition(node)?.lastHeartbeatTime);
        this.recorder.event(nodeRef(node), 'Normal', 'RegisteredNode', `Node ${node.metadata.name} event: Registered Node ${node.metadata.name} in Controller`);
      },
      onUpdate: (old, node) => {
        this.observe(node.metadata.name ?? '', undefined, readyCondition(node)?.lastHeartbeatTime);
        // Heartbeats change nodes every few seconds; taints follow the Ready condition (and a user's edits).
        if (readyCondition(old)?.status !== readyCondition(node)?.status || JSON.stringify(old.spec?.taints) !== JSON.stringify(node.spec?.taints)) void this.reconcileTaints(node);
      },
      onDelete: (node) => {
        this.health.delete(node.metadata.name ?? '');
        this.recorder.event(nodeRef(node), 'Normal', 'RemovingNode', `Node ${node.metadata.name} event: Removing Node ${node.metadata.name} from Controller`);
      },
    });
    this.leases.addHandlers({
      onAdd: (lease) => this.observe(lease.metadata.name ?? '', renewTime(lease), undefined),
      onUpdate: (_old, lease) => this.observe(lease.metadata.name ?? '', renewTime(lease), undefined),
    });
    this.nodes.start();
    this.leases.start();
    await Promise.all([this.nodes.waitForSync(), this.leases.waitForSync(), this.pods.waitForSync()]);
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.nodes.stop();
    this.leases.stop();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimer(NODE_MONITOR_PERIOD_MS, () => {
      void this.monitor().finally(() => this.schedule());
    });
  }

  private observe(name: string, renew: string | undefined, heartbeat: string | undefined): void {
    const now = this.clock.now();
    const h = this.health.get(name);
    if (!h) {
      this.health.set(name, { probeTimestamp: now, ...(renew ? { renewTime: renew } : {}), ...(heartbeat ? { heartbeat } : {}) });
      return;
    }
    if (renew !== undefined && renew !== h.renewTime) { h.renewTime = renew; h.probeTimestamp = now; }
    if (heartbeat !== undefined && heartbeat !== h.heartbeat) { h.heartbeat = heartbeat; h.probeTimestamp = now; }
  }

  /** One pass of monitorNodeHealth. */
  private async monitor(): Promise<void> {
    const now = this.clock.now();
    for (const node of this.nodes.list()) {
      const name = node.metadata.name ?? '';
      const h = this.health.get(name);
      if (!h) continue;
      const ready = readyCondition(node);
      if (now - h.probeTimestamp <= NODE_MONITOR_GRACE_PERIOD_MS || ready?.status === 'Unknown') continue;
      await this.markUnknown(node, now);
    }
  }

  private async markUnknown(node: Node, now: number): Promise<void> {
    const name = node.metadata.name ?? '';
    const time = rfc3339(now);
    const types = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'];
    const existing = node.status?.conditions ?? [];
    const never = existing.length === 0;
    const conditions: NodeCondition[] = types.map((type) => {
      const old = existing.find((c) => c.type === type);
      const c: NodeCondition = { type, status: 'Unknown', lastTransitionTime: time, reason: 'NodeStatusUnknown', message: never ? 'Kubelet never posted node status.' : 'Kubelet stopped posting node status.' };
      c.lastHeartbeatTime = old?.lastHeartbeatTime ?? time;
      return c;
    });
    const others = existing.filter((c) => !types.includes(c.type));
    try {
      await this.client.resource<Node>(NODES).patch(name, 'merge', { status: { conditions: [...others, ...conditions] } }, { subresource: 'status' });
    } catch {
      return;
    }
    this.recorder.event(nodeRef(node), 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    for (const pod of this.pods.byIndex(PODS_BY_NODE, name)) await this.markPodNotReady(pod, now);
  }

  /** MarkPodsNotReady: the pod's Ready condition turns False; the kubelet is not there to say otherwise. */
  private async markPodNotReady(pod: Pod, now: number): Promise<void> {
    const conditions = (pod.status?.conditions ?? []).map((c) => c.type === 'Ready' && c.status !== 'False' ? { ...c, status: 'False' as const, lastTransitionTime: rfc3339(now) } : c);
    if (!conditions.some((c) => c.type === 'Ready')) return;
    try {
      await this.client.resource(PODS).patch(pod.metadata.name ?? '', 'merge', { status: { conditions } }, { namespace: pod.metadata.namespace, subresource: 'status' });
      this.recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
    } catch {
      // Gone or changed; the next pass sees it again only if the node recovers and fails anew.
    }
  }

  /** Keeps the not-ready/unreachable taints in line with the Ready condition. */
  private async reconcileTaints(node: Node): Promise<void> {
    const ready = readyCondition(node);
    const taints = node.spec?.taints ?? [];
    const wantKey = ready?.status === 'Unknown' ? TAINT_UNREACHABLE : ready?.status === 'False' ? TAINT_NOT_READY : undefined;
    const managed = (t: Taint) => (t.key === TAINT_UNREACHABLE || t.key === TAINT_NOT_READY) && (t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    const current = taints.filter(managed);
    const kept = taints.filter((t) => !managed(t));
    const wanted: Taint[] = wantKey
      ? (['NoSchedule', 'NoExecute'] as const).map((effect) => current.find((t) => t.key === wantKey && t.effect === effect) ?? { key: wantKey, effect, timeAdded: rfc3339(this.clock.now()) })
      : [];
    const same = wanted.length === current.length && wanted.every((w) => current.some((c) => c.key === w.key && c.effect === w.effect));
    if (same) return;
    const next = [...kept, ...wanted];
    try {
      await this.client.resource<Node>(NODES).patch(node.metadata.name ?? '', 'merge', { spec: { taints: next.length ? next : null } });
    } catch {
      // The next update of the node retries.
    }
  }
}

function readyCondition(node: Node): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}

function renewTime(lease: KubeObject): string | undefined {
  return (lease.spec as { renewTime?: string } | undefined)?.renewTime;
}

function nodeRef(node: Node): { kind: string; name: string; uid: string; apiVersion: string } {
  return { kind: 'Node', name: node.metadata.name ?? '', uid: node.metadata.uid ?? '', apiVersion: 'v1' };
}
