/**
 * The scheduling algorithm for one pod on one snapshot (kube-scheduler's schedule_one.go
 * schedulePod): PreFilter, Filter over enough nodes, PreScore/Score/NormalizeScore, and
 * selectHost. Pure apart from the round-robin start index it keeps between pods; the Scheduler,
 * explainPlacement (dry run) and the benchmarks all call it.
 *
 * Large clusters: once `numFeasibleNodesToFind` nodes pass the filters the search stops, and the
 * next pod starts where this one stopped, so every node gets its turn.
 */
import type { CycleState } from './framework/cycle-state';
import { newDiagnosis, type Diagnosis } from './framework/fit-error';
import type { NodeInfo } from './framework/node-info';
import type { PodInfo } from './framework/pod-info';
import type { Framework, PluginScores, PreFilterOutcome } from './framework/runtime';
import type { Snapshot } from './framework/snapshot';
import { Status } from './framework/status';

/** kube-scheduler's minFeasibleNodesToFind and minFeasibleNodesPercentageToFind. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * How many feasible nodes to look for: every node below 100; else `percentage` of them (adaptive
 * when 0: 50% minus 1% per 125 nodes, at least 5%), and never fewer than 100.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentageOfNodesToScore = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage === 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * percentage) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

/** Everything one attempt learned; explanations are built from it. */
export interface ScheduleResult {
  numAllNodes: number;
  preFilter: PreFilterOutcome;
  /** Filter verdicts of the nodes that were evaluated, in evaluation order (Success included). */
  filterStatuses: FilterVerdicts;
  feasible: NodeInfo[];
  /** Per Score plugin, over `feasible` (empty when one node was feasible: no scoring needed). */
  scores: PluginScores[];
  /** Weighted totals over `feasible`. */
  totals: number[];
  /** The chosen node, or undefined with `diagnosis` filled in. */
  suggestedHost?: string;
  diagnosis: Diagnosis;
  /** Whether the pod's nominated node was tried first and fit. */
  usedNominatedNode: boolean;
}

/**
 * The nodes Filter evaluated, in order, with their verdicts. Filled for hundreds of nodes per
 * cycle but read only by explanations (of a few of them): the map is built when first read; the
 * rejections are the diagnosis' and every other evaluated node passed.
 */
export class FilterVerdicts {
  private readonly evaluated: NodeInfo[] = [];
  private map: Map<string, Status> | undefined;

  constructor(private readonly rejected: ReadonlyMap<string, Status>) {}

  add(node: NodeInfo): void {
    this.evaluated.push(node);
    this.map = undefined;
  }

  get size(): number {
    return this.evaluated.length;
  }

  get(name: string): Status | undefined {
    if (this.map) return this.map.get(name);
    // Explanations of a scheduled pod ask about three nodes: no map for that.
    const rejected = this.rejected.get(name);
    if (rejected) return rejected;
    return this.evaluated.some((n) => n.name === name) ? Status.success() : undefined;
  }

  keys(): IterableIterator<string> {
    return this.asMap().keys();
  }

  private asMap(): Map<string, Status> {
    if (!this.map) {
      this.map = new Map();
      for (const n of this.evaluated) this.map.set(n.name, this.rejected.get(n.name) ?? Status.success());
    }
    return this.map;
  }
}

export class SchedulingAlgorithm {
  nextStartNodeIndex = 0;

  constructor(
    readonly framework: Framework,
    private readonly rand: () => number = Math.random,
    readonly percentageOfNodesToScore = 0,
  ) {}

  schedulePod(state: CycleState, pod: PodInfo, snapshot: Snapshot): ScheduleResult {
    this.framework.setSnapshot(snapshot);
    const all = snapshot.nodes;
    const diagnosis = newDiagnosis();
    const result: ScheduleResult = {
      numAllNodes: all.length,
      preFilter: { status: Status.success(), plugins: new Set() },
      filterStatuses: new FilterVerdicts(diagnosis.nodeToStatus),
      feasible: [],
      scores: [],
      totals: [],
      diagnosis,
      usedNominatedNode: false,
    };
    if (all.length === 0) return result;
    this.findNodesThatFit(state, pod, snapshot, result);
    if (result.feasible.length === 0) return result;
    if (result.feasible.length === 1) {
      result.suggestedHost = result.feasible[0]!.name;
      return result;
    }
    const pre = this.framework.runPreScorePlugins(state, pod, result.feasible);
    if (!pre.isSuccess()) throw new Error(pre.message());
    result.scores = this.framework.runScorePlugins(state, pod, result.feasible);
    const totals = new Array<number>(result.feasible.length).fill(0);
    for (const s of result.scores) for (let i = 0; i < totals.length; i++) totals[i] += s.normalized[i]! * s.weight;
    result.totals = totals;
    result.suggestedHost = this.selectHost(result.feasible, result.totals);
    return result;
  }

  private findNodesThatFit(state: CycleState, pod: PodInfo, snapshot: Snapshot, result: ScheduleResult): void {
    const all = snapshot.nodes;
    const d = result.diagnosis;
    const pre = this.framework.runPreFilterPlugins(state, pod, all);
    result.preFilter = pre;
    if (!pre.status.isSuccess()) {
      if (!pre.status.isRejected()) throw new Error(pre.status.message());
      d.preFilterMsg = pre.status.message();
      for (const n of all) d.nodeToStatus.set(n.name, pre.status);
      for (const p of pre.plugins) d.unschedulablePlugins.add(p);
      return;
    }
    // A nominated node (from an earlier preemption) is tried first; if it fits, it wins.
    const nominated = pod.pod.status?.nominatedNodeName;
    if (nominated) {
      const node = snapshot.get(nominated);
      if (node && (!pre.nodeNames || pre.nodeNames.has(nominated))) {
        const s = this.framework.runFilterPluginsWithNominatedPods(state, pod, node);
        if (s.isSuccess()) {
          result.filterStatuses.add(node);
          result.feasible.push(node);
          result.usedNominatedNode = true;
          return;
        }
      }
    }
    let nodes = all;
    if (pre.nodeNames) {
      nodes = all.filter((n) => pre.nodeNames!.has(n.name));
      d.absentNodesStatus = Status.unresolvable(`node(s) didn't satisfy plugin(s) [${[...pre.plugins].sort().join(' ')}]`);
    }
    if (nodes.length === 0) return;
    const want = numFeasibleNodesToFind(nodes.length, this.percentageOfNodesToScore);
    const start = this.nextStartNodeIndex % nodes.length;
    let processed = 0;
    for (let i = 0; i < nodes.length && result.feasible.length < want; i++) {
      const node = nodes[(start + i) % nodes.length]!;
      processed++;
      const s = this.framework.runFilterPluginsWithNominatedPods(state, pod, node);
      result.filterStatuses.add(node);
      if (s.isSuccess()) result.feasible.push(node);
      else {
        if (!s.isRejected()) throw new Error(s.message());
        d.nodeToStatus.set(node.name, s);
        d.unschedulablePlugins.add(s.plugin);
      }
    }
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % nodes.length;
  }

  /** The highest total; ties broken uniformly at random (reservoir sampling, as kube-scheduler). */
  private selectHost(nodes: NodeInfo[], totals: number[]): string {
    let best = 0;
    let ties = 1;
    for (let i = 1; i < nodes.length; i++) {
      if (totals[i]! > totals[best]!) { best = i; ties = 1; }
      else if (totals[i] === totals[best]) {
        ties++;
        if (Math.floor(this.rand() * ties) === 0) best = i;
      }
    }
    return nodes[best]!.name;
  }
}

/**
 * The node statuses PostFilter sees: every node of the snapshot, those Filter never evaluated
 * (a PreFilter narrowed the set) with the diagnosis' absent-node status, as kube-scheduler's
 * NodeToStatus reader returns them.
 */
export function statusesForPostFilter(result: ScheduleResult, snapshot: Snapshot): Map<string, Status> {
  const absent = result.diagnosis.absentNodesStatus;
  if (!absent) return result.diagnosis.nodeToStatus;
  const all = new Map(result.diagnosis.nodeToStatus);
  for (const n of snapshot.nodes) if (!all.has(n.name)) all.set(n.name, absent);
  return all;
}

/** A small deterministic PRNG (mulberry32) so that a seeded scheduler makes repeatable choices. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
