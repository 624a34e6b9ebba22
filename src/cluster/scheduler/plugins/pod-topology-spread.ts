/**
 * PodTopologySpread (PreFilter, Filter, PreScore, Score; weight 2): spreads matching pods across
 * topology domains (zones, nodes …) as spec.topologySpreadConstraints ask. DoNotSchedule
 * constraints filter: placing the pod must not make a domain exceed the least-loaded domain by
 * more than maxSkew. ScheduleAnyway constraints score. Pods without constraints that belong to a
 * workload get the system defaults (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway).
 *
 * Kube Sim derives the default selector from the pod's own labels when it has a controller
 * owner (ReplicaSet, StatefulSet, ReplicationController); kube-scheduler merges the selectors of
 * the owners and of the Services that select the pod, which for typical workloads is the same set.
 */
import type { Pod } from '../../api/types';
import type { LabelSelector, TopologySpreadConstraint } from '../framework/api';
import type { CycleState } from '../framework/cycle-state';
import type { FilterPlugin, Handle, NodeScore, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/interface';
import { MAX_NODE_SCORE } from '../framework/interface';
import { memoKey, type NodeInfo } from '../framework/node-info';
import type { PodFacts, PodInfo } from '../framework/pod-info';
import { compileLabelSelector, type LabelPredicate } from '../framework/selectors';
import type { Snapshot } from '../framework/snapshot';
import { Status } from '../framework/status';
import { POD_TOPOLOGY_SPREAD } from './names';
import { matchesRequiredNodeAffinity, requiredNodeAffinityOf } from './node-affinity';
import { FILTER_EFFECTS, findUntoleratedTaint } from './taint-toleration';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + ' (missing required label)';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ZONE = 'topology.kubernetes.io/zone';

/** The system default constraints (config v1 PodTopologySpread defaultingType System). */
export const SYSTEM_DEFAULT_CONSTRAINTS: Pick<TopologySpreadConstraint, 'topologyKey' | 'maxSkew' | 'whenUnsatisfiable'>[] = [
  { topologyKey: LABEL_HOSTNAME, maxSkew: 3, whenUnsatisfiable: 'ScheduleAnyway' },
  { topologyKey: LABEL_ZONE, maxSkew: 5, whenUnsatisfiable: 'ScheduleAnyway' },
];

const WORKLOAD_KINDS = new Set(['ReplicaSet', 'StatefulSet', 'ReplicationController']);

export interface Constraint {
  /** Identifies the selector (and namespace) for memoized per-node counts (see memoKey). */
  key: number;
  maxSkew: number;
  topologyKey: string;
  selector: LabelPredicate;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
}

export function compileConstraint(c: TopologySpreadConstraint, pod: Pod): Constraint {
  let selector: LabelSelector | undefined = c.labelSelector;
  // matchLabelKeys (beta, on in 1.32): the pod's own values for those keys join the selector.
  if (selector && c.matchLabelKeys?.length) {
    const extra = c.matchLabelKeys.filter((k) => pod.metadata.labels?.[k] !== undefined).map((k) => ({ key: k, operator: 'In' as const, values: [pod.metadata.labels![k]!] }));
    selector = { ...selector, matchExpressions: [...(selector.matchExpressions ?? []), ...extra] };
  }
  return {
    key: memoKey(`spread\u0000${pod.metadata.namespace ?? 'default'}\u0000${JSON.stringify(selector ?? null)}`),
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector: compileLabelSelector(selector),
    minDomains: c.minDomains ?? 1,
    honorNodeAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
    honorNodeTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
  };
}

/** The constraints of one kind, with the system defaults for workload pods that declare none. */
export function constraintsOf(pod: Pod, when: 'DoNotSchedule' | 'ScheduleAnyway'): { constraints: Constraint[]; systemDefaulted: boolean } {
  const declared = (pod.spec.topologySpreadConstraints as TopologySpreadConstraint[] | undefined) ?? [];
  if (declared.length > 0) return { constraints: declared.filter((c) => c.whenUnsatisfiable === when).map((c) => compileConstraint(c, pod)), systemDefaulted: false };
  if (when === 'DoNotSchedule') return { constraints: [], systemDefaulted: false };
  const owned = (pod.metadata.ownerReferences ?? []).some((o) => o.controller && WORKLOAD_KINDS.has(o.kind));
  const labels = pod.metadata.labels ?? {};
  if (!owned || Object.keys(labels).length === 0) return { constraints: [], systemDefaulted: false };
  // Every replica of a workload has the same defaulted constraints: compile them once.
  const cacheKey = `${pod.metadata.namespace ?? 'default'}\u0000${JSON.stringify(labels)}`;
  let constraints = systemDefaulted.get(cacheKey);
  if (!constraints) {
    const selector: LabelSelector = { matchLabels: labels };
    constraints = SYSTEM_DEFAULT_CONSTRAINTS.map((c) => compileConstraint({ ...c, labelSelector: selector }, pod));
    if (systemDefaulted.size >= 1024) systemDefaulted.delete(systemDefaulted.keys().next().value!);
    systemDefaulted.set(cacheKey, constraints);
  }
  return { constraints, systemDefaulted: true };
}

/** Compiled system-default constraints by namespace and pod labels (read-only once built). */
const systemDefaulted = new Map<string, Constraint[]>();

/** countPodsMatchSelector for the constraint on one node, memoized until the node changes. */
function countOnNode(node: NodeInfo, c: Constraint, namespace: string): number {
  // Asked for every scored node of every cycle: no closure unless the memo misses, and no memo
  // for the many empty nodes of a large cluster.
  if (node.podCount === 0) return 0;
  const hit = node.memoValue(c.key);
  return hit !== undefined ? hit : countAndMemoize(node, c, namespace);
}

function countAndMemoize(node: NodeInfo, c: Constraint, namespace: string): number {
  return node.memoized(c.key, () => countPodsMatchSelector(node.pods, c.selector, namespace));
}

/** Pods in the namespace that match the selector and are not terminating. */
export function countPodsMatchSelector(pods: readonly PodFacts[], selector: LabelPredicate, namespace: string): number {
  let n = 0;
  for (const p of pods) {
    if (p.terminating || p.namespace !== namespace) continue;
    if (selector(p.labels)) n++;
  }
  return n;
}

function nodeCountsFor(c: Constraint, pod: Pod, node: NodeInfo, required: ReturnType<typeof requiredNodeAffinityOf>): boolean {
  if (!node.node) return false;
  if (c.honorNodeAffinity && !matchesRequiredNodeAffinity(required, node.node)) return false;
  if (c.honorNodeTaints && findUntoleratedTaint(node.node.spec?.taints ?? [], pod.spec.tolerations ?? [], FILTER_EFFECTS)) return false;
  return true;
}

function hasAllKeys(node: NodeInfo, constraints: Constraint[]): boolean {
  const labels = node.labels;
  return constraints.every((c) => labels[c.topologyKey] !== undefined);
}

/** PreFilter state: matching pods per domain for each DoNotSchedule constraint. */
export class SpreadFilterState {
  /** Per constraint: domain value → matching pods. */
  constructor(readonly constraints: Constraint[], readonly counts: Map<string, number>[]) {}

  clone(): SpreadFilterState {
    return new SpreadFilterState(this.constraints, this.counts.map((m) => new Map(m)));
  }

  minMatch(i: number): number {
    const m = this.counts[i]!;
    if (m.size < this.constraints[i]!.minDomains) return 0;
    let min = Infinity;
    for (const v of m.values()) if (v < min) min = v;
    return min === Infinity ? 0 : min;
  }

  update(pod: PodFacts, other: PodFacts, node: NodeInfo, delta: 1 | -1): void {
    if (!hasAllKeys(node, this.constraints)) return;
    if (other.namespace !== pod.namespace) return;
    this.constraints.forEach((c, i) => {
      if (!c.selector(other.labels)) return;
      const v = node.labels[c.topologyKey]!;
      const m = this.counts[i]!;
      if (m.has(v)) m.set(v, m.get(v)! + delta);
    });
  }
}

/** Whether placing the pod on the node keeps every DoNotSchedule constraint within maxSkew. */
export function spreadFilter(state: SpreadFilterState, pod: Pod, node: NodeInfo): Status {
  const labels = node.labels;
  for (let i = 0; i < state.constraints.length; i++) {
    const c = state.constraints[i]!;
    const value = labels[c.topologyKey];
    if (value === undefined) return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
    const selfMatch = c.selector(pod.metadata.labels) ? 1 : 0;
    const matchNum = state.counts[i]!.get(value) ?? 0;
    const skew = matchNum + selfMatch - state.minMatch(i);
    if (skew > c.maxSkew) return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
  }
  return Status.success();
}

interface SpreadScoreState {
  constraints: Constraint[];
  ignoredNodes: Set<string>;
  /** Per constraint: domain value → matching pods (not used for the hostname key). */
  counts: Map<string, number>[];
  /**
   * Per constraint, the counter kept across cycles when there is one: it knows each node's domain
   * and own count in arrays, cheaper to read for every scored node than the node's labels.
   */
  counters: (DomainCounter | undefined)[];
  weights: number[];
}

/**
 * Matching pods per domain of one topology key for one selector, over every node of the snapshot,
 * kept across cycles: each cycle re-counts only the nodes whose generation moved (usually the one
 * node the previous pod was assumed onto) instead of every pod in the cluster, and finds them in
 * the snapshot's change journal when it has one instead of visiting every node.
 */
class DomainCounter {
  private readonly generation: Int32Array;
  private readonly value: Float64Array;
  private readonly domain: (string | undefined)[];
  /** Matching pods per domain; not kept for the hostname key, where a domain is one node. */
  readonly totals = new Map<string, number>();
  private readonly keepTotals: boolean;
  /** How far into the snapshot's change journal this counter has looked (-1: visit every node). */
  private position = -1;

  constructor(readonly snapshot: Snapshot, private readonly c: Constraint, private readonly namespace: string, private readonly requireAll: Constraint[] | undefined) {
    const n = snapshot.nodes.length;
    this.keepTotals = c.topologyKey !== LABEL_HOSTNAME;
    this.generation = new Int32Array(n).fill(-1);
    this.value = new Float64Array(n);
    this.domain = new Array(n);
  }

  get nodes(): NodeInfo[] {
    return this.snapshot.nodes;
  }

  /** The node's position in the counter's arrays, or -1 for a node outside its snapshot. */
  slot(node: NodeInfo): number {
    return this.snapshot.indexOf(node) ?? -1;
  }

  /** The node's domain as counted (undefined: not counted), as of the last refresh. */
  domainAt(slot: number): string | undefined {
    return this.domain[slot];
  }

  /** The node's own count, as of the last refresh. */
  valueAt(slot: number): number {
    return this.value[slot]!;
  }

  refresh(): Map<string, number> {
    const journal = this.snapshot.changes;
    const changed = journal && this.position >= 0 ? journal.since(this.position) : undefined;
    if (journal) this.position = journal.position;
    if (changed) {
      for (const n of changed) {
        const i = this.snapshot.indexOf(n);
        if (i !== undefined) this.recount(i, n);
      }
      return this.totals;
    }
    const nodes = this.nodes;
    for (let i = 0; i < nodes.length; i++) this.recount(i, nodes[i]!);
    return this.totals;
  }

  private recount(i: number, n: NodeInfo): void {
    if (this.generation[i] === n.generation) return;
    const old = this.domain[i];
    if (old !== undefined && this.keepTotals) this.totals.set(old, this.totals.get(old)! - this.value[i]!);
    const domain = this.requireAll && !hasAllKeys(n, this.requireAll) ? undefined : n.labels[this.c.topologyKey];
    const value = domain === undefined ? 0 : countPodsMatchSelector(n.pods, this.c.selector, this.namespace);
    if (domain !== undefined && this.keepTotals) this.totals.set(domain, (this.totals.get(domain) ?? 0) + value);
    this.domain[i] = domain;
    this.value[i] = value;
    this.generation[i] = n.generation;
  }
}

const PRE_FILTER_KEY = 'PreFilter' + POD_TOPOLOGY_SPREAD;
const PRE_SCORE_KEY = 'PreScore' + POD_TOPOLOGY_SPREAD;

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = POD_TOPOLOGY_SPREAD;

  private readonly counters = new Map<string, DomainCounter>();

  constructor(private readonly handle: Handle) {}

  /** The incremental counter of a constraint over the whole snapshot, refreshed. */
  private domainCounter(c: Constraint, namespace: string, requireAll: Constraint[] | undefined): DomainCounter {
    const snapshot = this.handle.snapshot();
    const key = `${c.key}\u0000${c.topologyKey}\u0000${requireAll ? requireAll.map((r) => r.topologyKey).join(',') : ''}`;
    let counter = this.counters.get(key);
    if (!counter || counter.nodes !== snapshot.nodes) {
      if (this.counters.size > 256) this.counters.clear();
      counter = new DomainCounter(snapshot, c, namespace, requireAll);
      this.counters.set(key, counter);
    }
    counter.refresh();
    return counter;
  }

  preFilter(state: CycleState, pod: PodInfo, nodes: NodeInfo[]) {
    const { constraints } = constraintsOf(pod.pod, 'DoNotSchedule');
    if (constraints.length === 0) return { status: Status.skip() };
    const required = requiredNodeAffinityOf(pod.pod);
    const ns = pod.pod.metadata.namespace ?? 'default';
    const counts = constraints.map(() => new Map<string, number>());
    for (const node of nodes) {
      if (!hasAllKeys(node, constraints)) continue;
      constraints.forEach((c, i) => {
        if (!nodeCountsFor(c, pod.pod, node, required)) return;
        const v = node.labels[c.topologyKey]!;
        counts[i]!.set(v, (counts[i]!.get(v) ?? 0) + countOnNode(node, c, ns));
      });
    }
    state.write(PRE_FILTER_KEY, new SpreadFilterState(constraints, counts));
    return { status: Status.success() };
  }

  addPod(state: CycleState, pod: PodInfo, toAdd: PodFacts, node: NodeInfo): Status {
    state.read<SpreadFilterState>(PRE_FILTER_KEY)?.update(pod, toAdd, node, 1);
    return Status.success();
  }

  removePod(state: CycleState, pod: PodInfo, toRemove: PodFacts, node: NodeInfo): Status {
    state.read<SpreadFilterState>(PRE_FILTER_KEY)?.update(pod, toRemove, node, -1);
    return Status.success();
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const s = state.read<SpreadFilterState>(PRE_FILTER_KEY);
    return s ? spreadFilter(s, pod.pod, node) : Status.success();
  }

  preScore(state: CycleState, pod: PodInfo, filtered: NodeInfo[]): Status {
    const { constraints, systemDefaulted } = constraintsOf(pod.pod, 'ScheduleAnyway');
    if (constraints.length === 0) return Status.skip();
    const requireAll = !systemDefaulted;
    const requiredKeys = requireAll ? constraints : undefined;
    const required = requiredNodeAffinityOf(pod.pod);
    const hasRequired = required.nodeSelector !== undefined || required.terms !== undefined;
    const ns = pod.pod.metadata.namespace ?? 'default';
    // Counts that depend on the incoming pod (its node affinity, tolerations) cannot be shared;
    // the others come from counters kept across cycles. A node's own count (hostname) is never
    // filtered by the pod's affinity or tolerations.
    const counters = constraints.map((c) => (c.topologyKey !== LABEL_HOSTNAME && ((c.honorNodeAffinity && hasRequired) || c.honorNodeTaints)) ? undefined : this.domainCounter(c, ns, requiredKeys));
    const domainConstraints = constraints.flatMap((c, i) => (c.topologyKey === LABEL_HOSTNAME ? [] : [i]));
    const ignoredNodes = new Set<string>();
    const counts = constraints.map(() => new Map<string, number>());
    // The domains of the filtered nodes (only those are counted). Without required keys no node
    // is ignored, so the walk can stop once every domain the counters know of has turned up.
    const canStop = !requireAll && domainConstraints.every((i) => counters[i] !== undefined);
    let unseen = canStop ? domainConstraints.filter((i) => counters[i]!.totals.size > 0).length : 1;
    for (const n of filtered) {
      if (canStop && unseen === 0) break;
      if (requireAll && !hasAllKeys(n, constraints)) { ignoredNodes.add(n.name); continue; }
      const labels = n.labels;
      for (const i of domainConstraints) {
        const v = labels[constraints[i]!.topologyKey];
        if (v === undefined || counts[i]!.has(v)) continue;
        counts[i]!.set(v, 0);
        if (canStop && counts[i]!.size === counters[i]!.totals.size) unseen--;
      }
    }
    const weights = constraints.map((c, i) => Math.log((c.topologyKey === LABEL_HOSTNAME ? filtered.length - ignoredNodes.size : counts[i]!.size) + 2));
    const slow: number[] = [];
    for (const i of domainConstraints) {
      const counter = counters[i];
      if (!counter) { slow.push(i); continue; }
      for (const v of counts[i]!.keys()) counts[i]!.set(v, counter.totals.get(v) ?? 0);
    }
    if (slow.length > 0) {
      for (const n of this.handle.snapshot().nodes) {
        if (requireAll && !hasAllKeys(n, constraints)) continue;
        for (const i of slow) {
          const c = constraints[i]!;
          const v = n.labels[c.topologyKey];
          if (v === undefined || !counts[i]!.has(v) || !nodeCountsFor(c, pod.pod, n, required)) continue;
          counts[i]!.set(v, counts[i]!.get(v)! + countOnNode(n, c, ns));
        }
      }
    }
    state.write(PRE_SCORE_KEY, { constraints, ignoredNodes, counts, counters, weights } satisfies SpreadScoreState);
    return Status.success();
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const s = state.read<SpreadScoreState>(PRE_SCORE_KEY);
    if (!s || (s.ignoredNodes.size > 0 && s.ignoredNodes.has(node.name))) return 0;
    let score = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const counter = s.counters[i];
      const slot = counter ? counter.slot(node) : -1;
      // A node's domain as its counter saw it; the counter leaves out only nodes that are
      // ignored here anyway (without a required key).
      const v = slot >= 0 ? counter!.domainAt(slot) : node.labels[c.topologyKey];
      if (v === undefined) continue;
      let cnt: number;
      if (c.topologyKey === LABEL_HOSTNAME) cnt = slot >= 0 ? counter!.valueAt(slot) : countOnNode(node, c, pod.pod.metadata.namespace ?? 'default');
      else cnt = s.counts[i]!.get(v) ?? 0;
      score += cnt * s.weights[i]! + (c.maxSkew - 1);
    }
    return Math.round(score);
  }

  normalizeScore(state: CycleState, _pod: PodInfo, scores: NodeScore[]): Status {
    const s = state.read<SpreadScoreState>(PRE_SCORE_KEY);
    if (!s) return Status.success();
    let min = Infinity;
    let max = 0;
    for (const x of scores) {
      if (s.ignoredNodes.has(x.name)) continue;
      min = Math.min(min, x.score);
      max = Math.max(max, x.score);
    }
    for (const x of scores) {
      if (s.ignoredNodes.has(x.name)) { x.score = 0; continue; }
      x.score = max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - x.score)) / max);
    }
    return Status.success();
  }
}
