/**
 * A cluster for scheduler scenarios: Cluster.start with a ManualClock and no kubelet nodes (each
 * scenario creates the plain Node objects it needs), so the scheduler runs exactly as wired.
 */
import { Cluster } from '../../../../../src/cluster/cluster';
import { ManualClock } from '../../../../../src/cluster/clock';
import { EVENTS_V1, NODES, PODS, type ApiClient } from '../../../../../src/cluster/client/client';
import type { KubeObject, Node, Pod, PodCondition } from '../../../../../src/cluster/api/types';
import { Scheduler } from '../../../../../src/cluster/scheduler/scheduler';
import { readExplanation } from '../../../../../src/cluster/scheduler/explain/annotations';
import type { PodSchedulingExplanation } from '../../../../../src/cluster/scheduler/explain/types';
import { node, pod, type NodeSpec, type PodSpecLite } from '../fixtures';

export interface Harness {
  cluster: Cluster;
  clock: ManualClock;
  client: ApiClient;
  scheduler: Scheduler;
  addNode(name: string, spec?: NodeSpec): Promise<Node>;
  addPod(name: string, spec?: PodSpecLite): Promise<Pod>;
  getPod(name: string): Promise<Pod>;
  /** Lets the scheduler and the API server finish what they are doing (no clock movement). */
  settle(): Promise<void>;
  /** Moves the cluster clock (back-offs, the unschedulable pool) and settles. */
  advance(ms: number): Promise<void>;
  events(podName: string): Promise<{ reason: string; note: string; type: string; action: string; reportingController: string }[]>;
  condition(p: Pod): PodCondition | undefined;
  explanation(p: Pod): PodSchedulingExplanation;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 0 });
  const client = cluster.client();
  const scheduler = cluster.scheduler;
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      await clock.advance(0);
      await scheduler.idle();
    }
  };
  const h: Harness = {
    cluster, clock, client, scheduler, settle,
    async addNode(name, spec) { const n = await client.resource<Node>(NODES).create(node(name, spec)); await settle(); return n; },
    async addPod(name, spec) {
      const p = pod(name, spec);
      delete (p.metadata as { uid?: string }).uid;
      delete (p.metadata as { creationTimestamp?: string }).creationTimestamp;
      delete p.status;
      const created = await client.resource<Pod>(PODS).create(p);
      await settle();
      return created;
    },
    getPod: (name) => client.resource<Pod>(PODS).get(name, { namespace: 'default' }),
    async advance(ms) { await clock.advance(ms); await settle(); },
    async events(podName) {
      const list = await client.resource<KubeObject>(EVENTS_V1).list({ namespace: 'default' });
      return list.items
        .filter((e) => (e.regarding as { name?: string } | undefined)?.name === podName)
        .map((e) => ({ reason: String(e.reason), note: String(e.note), type: String(e.type), action: String(e.action), reportingController: String(e.reportingController) }));
    },
    condition: (p) => p.status?.conditions?.find((c) => c.type === 'PodScheduled'),
    explanation(p) {
      const e = readExplanation(p.metadata.annotations);
      if (!e) throw new Error(`pod ${p.metadata.name} has no explanation annotations`);
      return e;
    },
    async stop() { await cluster.stop(); },
  };
  return h;
}
