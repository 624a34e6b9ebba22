/**
 * Scheduler benchmarks (issue 4): pods scheduled per second at 100, 1,000 and 5,000 nodes,
 *
 * - algorithm: the scheduling cycle alone (PreFilter … selectHost + assume) over the scheduler
 *   cache, as the Scheduler runs it (percentageOfNodesToScore, round-robin start, incremental
 *   NodeInfos);
 * - naive: the same plugins with no cache and no sampling: every cycle rebuilds each node's state
 *   from the list of bound pods, runs every filter on every node and scores every feasible node.
 *   Measured in the same run, as the baseline for the algorithm's speed-up;
 * - end to end: pods created through the in-process API and bound by the real Scheduler
 *   (informers, queue, binding POSTs, events, explanation annotations), from the first create to
 *   the last pod bound.
 *
 * Targets: end to end ≥ 1,000 pods/s at 5,000 nodes; algorithm ≥ 4× naive. Each measurement runs
 * for a bounded time so the whole workload stays under about a minute.
 * SCHEDULER_BENCH_SCALE=0.2 shrinks pod counts for a quick look; SCHEDULER_BENCH_NODES=5000 (a
 * comma-separated list) measures only those cluster sizes.
 */
import type { Node, Pod } from '../../src/cluster/api/types';
import { Cluster } from '../../src/cluster/cluster';
import { ManualClock } from '../../src/cluster/clock';
import { NODES, PODS } from '../../src/cluster/client/client';
import { SchedulerCache } from '../../src/cluster/scheduler/cache/cache';
import { CycleState } from '../../src/cluster/scheduler/framework/cycle-state';
import { NodeInfo } from '../../src/cluster/scheduler/framework/node-info';
import { PodInfo } from '../../src/cluster/scheduler/framework/pod-info';
import { Framework } from '../../src/cluster/scheduler/framework/runtime';
import { Snapshot } from '../../src/cluster/scheduler/framework/snapshot';
import { defaultPlugins } from '../../src/cluster/scheduler/plugins/registry';
import { SchedulingAlgorithm, seededRandom } from '../../src/cluster/scheduler/schedule-one';
import type { BenchReport } from './report';

const SUITE = 'scheduler';
const SCALE = Number(process.env.SCHEDULER_BENCH_SCALE ?? 1);
const SIZES = (process.env.SCHEDULER_BENCH_NODES ?? '100,1000,5000').split(',').map(Number);
const ZONES = ['zone-a', 'zone-b', 'zone-c'];

function benchNode(i: number): Node {
  const name = `node-${i + 1}`;
  const allocatable = { cpu: '64', memory: '256Gi', pods: '250', 'ephemeral-storage': '500Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': ZONES[i % ZONES.length]! } },
    spec: {},
    status: { capacity: allocatable, allocatable, images: [{ names: ['docker.io/library/nginx:1.27', 'nginx:1.27'], sizeBytes: 70 * 2 ** 20 }] },
  };
}

/** A typical workload pod: requests, a label, owned by a ReplicaSet (so the default spread applies). */
function benchPod(i: number): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `bench-${i}`, namespace: 'default', uid: `uid-${i}`, labels: { app: `web-${i % 10}` }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `web-${i % 10}`, uid: `rs-${i % 10}`, controller: true }] },
    spec: { schedulerName: 'default-scheduler', containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
  };
}

/**
 * benchPod as a client creates it: no uid, and the spread its ReplicaSet would give it declared
 * (the system default constraints over its labels) instead of an owner reference. The bench's
 * ReplicaSets do not exist, and the garbage collector deletes a pod whose owner is gone, as
 * kube-controller-manager's does: with the references, all but the first ~20 pods were deleted
 * before they were scheduled and the figure read 2 pods/s.
 */
function apiPod(i: number): Pod {
  const pod = benchPod(i);
  const { uid: _uid, ownerReferences: _owners, ...metadata } = pod.metadata;
  const labelSelector = { matchLabels: metadata.labels };
  const topologySpreadConstraints = [
    { topologyKey: 'kubernetes.io/hostname', maxSkew: 3, whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
    { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 5, whenUnsatisfiable: 'ScheduleAnyway', labelSelector },
  ];
  return { ...pod, metadata, spec: { ...pod.spec, topologySpreadConstraints } };
}

const framework = () => new Framework((handle) => defaultPlugins(handle, { rand: seededRandom(1) }));

interface Rate {
  perSecond: number;
  pods: number;
  /** Pods per second of this process's CPU time: steadier than wall time on a shared machine. */
  perCpuSecond: number;
}

/** Runs `one(i)` until `count` pods or `budgetMs` of wall time; returns pods per second. */
function rate(count: number, budgetMs: number, one: (i: number) => void): Rate {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let i = 0;
  for (; i < count; i++) {
    one(i);
    if ((i & 15) === 15 && performance.now() - started > budgetMs) { i++; break; }
  }
  const used = process.cpuUsage(cpu);
  return { perSecond: (i / (performance.now() - started)) * 1000, pods: i, perCpuSecond: i / ((used.user + used.system) / 1e6) };
}

function algorithmRate(nodes: number, pods: number, budgetMs: number): Rate {
  const cache = new SchedulerCache(new ManualClock());
  for (let i = 0; i < nodes; i++) cache.addNode(benchNode(i));
  const fwk = framework();
  const algorithm = new SchedulingAlgorithm(fwk, seededRandom(2));
  return rate(pods, budgetMs, (i) => {
    const info = new PodInfo(benchPod(i));
    const result = algorithm.schedulePod(new CycleState(), info, cache.snapshot());
    if (!result.suggestedHost) throw new Error(`bench pod ${i} did not fit`);
    cache.assumePod(info, result.suggestedHost);
  });
}

/** No cache, no sampling: node state rebuilt from the bound pods each cycle; every node filtered and scored. */
function naiveRate(nodes: number, pods: number, budgetMs: number): Rate {
  const nodeObjects = Array.from({ length: nodes }, (_, i) => benchNode(i));
  const bound: Pod[] = [];
  const fwk = framework();
  return rate(pods, budgetMs, (i) => {
    const infos = new Map(nodeObjects.map((n) => [n.metadata.name!, new NodeInfo(n)]));
    for (const p of bound) infos.get(p.spec.nodeName!)!.addPod(new PodInfo(p));
    const list = [...infos.values()];
    Snapshot.countImages(list);
    fwk.setSnapshot(new Snapshot(list));
    const pod = new PodInfo(benchPod(i));
    const state = new CycleState();
    const pre = fwk.runPreFilterPlugins(state, pod, list);
    if (!pre.status.isSuccess()) throw new Error(pre.status.message());
    const feasible = list.filter((n) => fwk.runFilterPlugins(state, pod, n).isSuccess());
    fwk.runPreScorePlugins(state, pod, feasible);
    const scores = fwk.runScorePlugins(state, pod, feasible);
    let best = 0;
    let bestScore = -1;
    feasible.forEach((_, j) => { const total = scores.reduce((s, p) => s + p.normalized[j]! * p.weight, 0); if (total > bestScore) { bestScore = total; best = j; } });
    bound.push({ ...pod.pod, spec: { ...pod.pod.spec, nodeName: feasible[best]!.name } });
  });
}

/**
 * With `schedule` false the scheduler is stopped first and the figure is how fast the API server
 * alone accepts the same pod creates: the ceiling end-to-end scheduling works under.
 */
async function endToEndRate(nodes: number, pods: number, budgetMs: number, schedule = true): Promise<Rate & { setupMs: number; created: number }> {
  const setupStarted = performance.now();
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 0 });
  try {
    const admin = cluster.client();
    for (let i = 0; i < nodes; i += 250) {
      await Promise.all(Array.from({ length: Math.min(250, nodes - i) }, (_, j) => admin.resource<Node>(NODES).create(benchNode(i + j))));
    }
    while (cluster.scheduler.cache.nodeCount < nodes) await new Promise((r) => setTimeout(r, 5));
    const setupMs = performance.now() - setupStarted;
    if (!schedule) await cluster.scheduler.stop();
    const podsClient = admin.resource<Pod>(PODS);
    const before = cluster.scheduler.stats.scheduled;
    const started = performance.now();
    const cpu = process.cpuUsage();
    const perCpuSecond = (n: number) => { const used = process.cpuUsage(cpu); return n / ((used.user + used.system) / 1e6); };
    let created = 0;
    const inFlight = 200;
    const create = async (): Promise<void> => {
      while (created < pods && performance.now() - started < budgetMs) {
        await podsClient.create(apiPod(created++));
      }
    };
    await Promise.all(Array.from({ length: inFlight }, create));
    if (!schedule) return { perSecond: (created / (performance.now() - started)) * 1000, pods: created, perCpuSecond: perCpuSecond(created), setupMs, created };
    while (cluster.scheduler.stats.scheduled - before < created && performance.now() - started < budgetMs * 2) await new Promise((r) => setTimeout(r, 2));
    const bound = cluster.scheduler.stats.scheduled - before;
    return { perSecond: (bound / (performance.now() - started)) * 1000, pods: bound, perCpuSecond: perCpuSecond(bound), setupMs, created };
  } finally {
    await cluster.stop();
  }
}

export async function run(report: BenchReport): Promise<void> {
  const pods = (n: number) => Math.max(50, Math.round(n * SCALE));
  for (const nodes of SIZES) {
    const algo = algorithmRate(nodes, pods(5000), 2500);
    const naive = naiveRate(nodes, pods(2000), 2500);
    report.add({ suite: SUITE, name: `algorithm, ${nodes} nodes`, value: algo.perSecond, unit: 'pods/s', ratio: algo.perSecond / naive.perSecond, target: naive.perSecond * 4, note: `${algo.pods} pods, ${Math.round(algo.perCpuSecond)} per CPU-second; ratio = × naive` });
    report.add({ suite: SUITE, name: `naive (no cache, all nodes), ${nodes} nodes`, value: naive.perSecond, unit: 'pods/s', note: `${naive.pods} pods, ${naive.perCpuSecond.toFixed(1)} per CPU-second` });
  }
  for (const nodes of SIZES) {
    const e2e = await endToEndRate(nodes, pods(nodes === 5000 ? 5000 : 3000), 5000);
    report.add({ suite: SUITE, name: `end to end (in-process API), ${nodes} nodes`, value: e2e.perSecond, unit: 'pods/s', ...(nodes === 5000 ? { target: 1000 } : {}), note: `${e2e.pods} pods bound${e2e.pods < e2e.created ? ` of ${e2e.created} created` : ''}, ${Math.round(e2e.perCpuSecond)} per CPU-second; ${Math.round(e2e.setupMs)} ms to create the nodes` });
  }
  const ceiling = await endToEndRate(Math.max(...SIZES), pods(5000), 3000, false);
  report.add({ suite: SUITE, name: `API server alone: pod creates, ${Math.max(...SIZES)} nodes, no scheduler`, value: ceiling.perSecond, unit: 'pods/s', note: `${ceiling.pods} creates, ${Math.round(ceiling.perCpuSecond)} per CPU-second; context for the end-to-end figure (each scheduled pod also costs a binding and an event write)` });
}
