/**
 * InterPodAffinity (PreFilter, Filter, PreScore, Score; weight 2): required pod affinity (the node's
 * topology domain must already hold a matching pod), required anti-affinity (it must not), and
 * the anti-affinity of pods already running (they may refuse the newcomer). Preferred terms on
 * both sides add or subtract their weights per topology domain; an existing pod's required
 * affinity towards the newcomer counts with the hard pod affinity weight (1).
 */
import type { Node } from '../../api/types';
import type { CycleState } from '../framework/cycle-state';
import type { FilterPlugin, Handle, NodeScore, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/interface';
import { MAX_NODE_SCORE } from '../framework/interface';
import type { NodeInfo } from '../framework/node-info';
import { termMatches, type AffinityTerm, type NamespaceLabels, type PodFacts, type PodInfo, type WeightedAffinityTerm } from '../framework/pod-info';
import { Status } from '../framework/status';
import { INTER_POD_AFFINITY } from './names';

export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
export const HARD_POD_AFFINITY_WEIGHT = 1;

const pair = (key: string, value: string): string => `${key}\u0000${value}`;

/** Topology pair → number of matching terms/pods. */
export type TopologyCounts = Map<string, number>;

function bump(m: TopologyCounts, node: Node | undefined, key: string, delta: number): void {
  const v = node?.metadata.labels?.[key];
  if (v === undefined) return;
  const k = pair(key, v);
  const n = (m.get(k) ?? 0) + delta;
  if (n === 0) m.delete(k);
  else m.set(k, n);
}

export function podMatchesAllTerms(terms: readonly AffinityTerm[], pod: PodFacts, nsLabels: NamespaceLabels): boolean {
  if (terms.length === 0) return false;
  return terms.every((t) => termMatches(t, pod, nsLabels));
}

export class AffinityFilterState {
  constructor(
    readonly podInfo: PodInfo,
    readonly nsLabels: NamespaceLabels,
    /** Domains where an existing pod's required anti-affinity matches the incoming pod. */
    readonly existingAntiAffinityCounts: TopologyCounts = new Map(),
    /** Domains holding pods that match all the incoming pod's required affinity terms. */
    readonly affinityCounts: TopologyCounts = new Map(),
    /** Domains holding pods that match the incoming pod's required anti-affinity terms. */
    readonly antiAffinityCounts: TopologyCounts = new Map(),
  ) {}

  clone(): AffinityFilterState {
    return new AffinityFilterState(this.podInfo, this.nsLabels, new Map(this.existingAntiAffinityCounts), new Map(this.affinityCounts), new Map(this.antiAffinityCounts));
  }

  /** Accounts for `existing` on `node` (delta 1) or forgets it (delta -1). */
  update(existing: PodFacts, node: Node | undefined, delta: number): void {
    for (const t of existing.requiredAntiAffinityTerms) if (termMatches(t, this.podInfo, this.nsLabels)) bump(this.existingAntiAffinityCounts, node, t.topologyKey, delta);
    const affinityTerms = this.podInfo.requiredAffinityTerms;
    if (podMatchesAllTerms(affinityTerms, existing, this.nsLabels)) for (const t of affinityTerms) bump(this.affinityCounts, node, t.topologyKey, delta);
    for (const t of this.podInfo.requiredAntiAffinityTerms) if (termMatches(t, existing, this.nsLabels)) bump(this.antiAffinityCounts, node, t.topologyKey, delta);
  }
}

export function satisfyPodAffinity(s: AffinityFilterState, node: Node): boolean {
  let podsExist = true;
  for (const t of s.podInfo.requiredAffinityTerms) {
    const v = node.metadata.labels?.[t.topologyKey];
    if (v === undefined) return false;
    if ((s.affinityCounts.get(pair(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group that has affinity to itself may go anywhere with the topology labels.
  return s.affinityCounts.size === 0 && podMatchesAllTerms(s.podInfo.requiredAffinityTerms, s.podInfo, s.nsLabels);
}

export function satisfyPodAntiAffinity(s: AffinityFilterState, node: Node): boolean {
  for (const t of s.podInfo.requiredAntiAffinityTerms) {
    const v = node.metadata.labels?.[t.topologyKey];
    if (v !== undefined && (s.antiAffinityCounts.get(pair(t.topologyKey, v)) ?? 0) > 0) return false;
  }
  return true;
}

export function satisfyExistingPodsAntiAffinity(s: AffinityFilterState, node: Node): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) if ((s.existingAntiAffinityCounts.get(pair(k, v)) ?? 0) > 0) return false;
  return true;
}

const PRE_FILTER_KEY = 'PreFilter' + INTER_POD_AFFINITY;
const PRE_SCORE_KEY = 'PreScore' + INTER_POD_AFFINITY;

export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = INTER_POD_AFFINITY;

  constructor(private readonly handle: Handle) {}

  preFilter(state: CycleState, pod: PodInfo, nodes: NodeInfo[]) {
    const snapshot = this.handle.snapshot();
    const withAnti = snapshot.havePodsWithRequiredAntiAffinity();
    const hasRequired = pod.requiredAffinityTerms.length > 0 || pod.requiredAntiAffinityTerms.length > 0;
    if (!hasRequired && withAnti.length === 0) return { status: Status.skip() };
    const s = new AffinityFilterState(pod, snapshot.namespaceLabels);
    if (hasRequired) {
      for (const n of nodes) for (const p of n.pods) s.update(p, n.node, 1);
    } else {
      for (const n of withAnti) for (const p of n.podsWithRequiredAntiAffinity) for (const t of p.requiredAntiAffinityTerms) if (termMatches(t, pod, s.nsLabels)) bump(s.existingAntiAffinityCounts, n.node, t.topologyKey, 1);
    }
    state.write(PRE_FILTER_KEY, s);
    return { status: Status.success() };
  }

  addPod(state: CycleState, _pod: PodInfo, toAdd: PodFacts, node: NodeInfo): Status {
    state.read<AffinityFilterState>(PRE_FILTER_KEY)?.update(toAdd, node.node, 1);
    return Status.success();
  }

  removePod(state: CycleState, _pod: PodInfo, toRemove: PodFacts, node: NodeInfo): Status {
    state.read<AffinityFilterState>(PRE_FILTER_KEY)?.update(toRemove, node.node, -1);
    return Status.success();
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): Status {
    const s = state.read<AffinityFilterState>(PRE_FILTER_KEY);
    if (!s || !node.node) return Status.success();
    if (!satisfyPodAffinity(s, node.node)) return Status.unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
    if (!satisfyPodAntiAffinity(s, node.node)) return Status.unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
    if (!satisfyExistingPodsAntiAffinity(s, node.node)) return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
    return Status.success();
  }

  preScore(state: CycleState, pod: PodInfo): Status {
    const snapshot = this.handle.snapshot();
    const hasPreferred = pod.preferredAffinityTerms.length > 0 || pod.preferredAntiAffinityTerms.length > 0;
    const nodes = hasPreferred ? snapshot.nodes : snapshot.havePodsWithAffinity();
    if (!hasPreferred && nodes.length === 0) return Status.skip();
    const scores = new Map<string, Map<string, number>>();
    const add = (terms: readonly WeightedAffinityTerm[] | readonly AffinityTerm[], target: PodFacts, node: Node | undefined, multiplier: number, weight?: number) => {
      for (const t of terms) {
        if (!termMatches(t, target, snapshot.namespaceLabels)) continue;
        const v = node?.metadata.labels?.[t.topologyKey];
        if (v === undefined) continue;
        let m = scores.get(t.topologyKey);
        if (!m) scores.set(t.topologyKey, (m = new Map()));
        m.set(v, (m.get(v) ?? 0) + (weight ?? (t as WeightedAffinityTerm).weight) * multiplier);
      }
    };
    for (const n of nodes) {
      for (const existing of hasPreferred ? n.pods : n.podsWithAffinity) {
        add(pod.preferredAffinityTerms, existing, n.node, 1);
        add(pod.preferredAntiAffinityTerms, existing, n.node, -1);
        add(existing.requiredAffinityTerms, pod, n.node, 1, HARD_POD_AFFINITY_WEIGHT);
        add(existing.preferredAffinityTerms, pod, n.node, 1);
        add(existing.preferredAntiAffinityTerms, pod, n.node, -1);
      }
    }
    state.write(PRE_SCORE_KEY, scores);
    return Status.success();
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    const scores = state.read<Map<string, Map<string, number>>>(PRE_SCORE_KEY);
    if (!scores) return 0;
    let score = 0;
    for (const [key, values] of scores) {
      const v = node.labels[key];
      if (v !== undefined) score += values.get(v) ?? 0;
    }
    return score;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: NodeScore[]): Status {
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) { min = Math.min(min, s.score); max = Math.max(max, s.score); }
    const diff = max - min;
    for (const s of scores) s.score = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((s.score - min) / diff)) : 0;
    return Status.success();
  }
}
