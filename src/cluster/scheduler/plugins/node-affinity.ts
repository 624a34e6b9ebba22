/**
 * NodeAffinity (PreFilter, Filter, PreScore, Score; weight 2): spec.nodeSelector and the required
 * node affinity terms must match the node's labels; matching preferred terms add their weights.
 */
import type { Node, Pod } from '../../api/types';
import type { Affinity, NodeSelectorTerm } from '../framework/api';
import type { CycleState } from '../framework/cycle-state';
import type { FilterPlugin, NodeScore, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../framework/interface';
import { MAX_NODE_SCORE } from '../framework/interface';
import type { NodeInfo } from '../framework/node-info';
import type { PodInfo } from '../framework/pod-info';
import { nodeSelectorTermMatches, nodeSelectorTermsMatch } from '../framework/selectors';
import { Status } from '../framework/status';
import { defaultNormalizeScore } from './helper';
import { NODE_AFFINITY } from './names';

export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

export interface RequiredNodeAffinity {
  nodeSelector?: Record<string, string>;
  terms?: NodeSelectorTerm[];
}

export function requiredNodeAffinityOf(pod: Pod): RequiredNodeAffinity {
  const r: RequiredNodeAffinity = {};
  if (pod.spec.nodeSelector && Object.keys(pod.spec.nodeSelector).length > 0) r.nodeSelector = pod.spec.nodeSelector;
  const terms = (pod.spec.affinity as Affinity | undefined)?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms) r.terms = terms;
  return r;
}

/** Whether the node satisfies the pod's nodeSelector and required node affinity. */
export function matchesRequiredNodeAffinity(required: RequiredNodeAffinity, node: Node): boolean {
  const labels = node.metadata.labels;
  if (required.nodeSelector) {
    for (const [k, v] of Object.entries(required.nodeSelector)) if (labels?.[k] !== v) return false;
  }
  if (required.terms) return nodeSelectorTermsMatch(required.terms, { name: node.metadata.name ?? '', labels });
  return true;
}

/** The sum of the weights of the preferred terms the node matches. */
export function preferredNodeAffinityScore(pod: Pod, node: Node): number {
  const preferred = (pod.spec.affinity as Affinity | undefined)?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  let score = 0;
  for (const p of preferred) {
    if (p.weight !== 0 && nodeSelectorTermMatches(p.preference, { name: node.metadata.name ?? '', labels: node.metadata.labels })) score += p.weight;
  }
  return score;
}

const PRE_FILTER_KEY = 'PreFilter' + NODE_AFFINITY;

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NODE_AFFINITY;

  preFilter(state: CycleState, pod: PodInfo) {
    const required = requiredNodeAffinityOf(pod.pod);
    if (!required.nodeSelector && !required.terms) return { status: Status.skip() };
    state.write(PRE_FILTER_KEY, required);
    // Terms that pin metadata.name narrow the nodes Filter has to look at.
    const names = nodeNamesFromTerms(required.terms);
    if (names) {
      if (names.size === 0) return { status: Status.unresolvable(ERR_REASON_POD) };
      return { status: Status.success(), result: { nodeNames: names } };
    }
    return { status: Status.success() };
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    if (!node.node) return Status.unresolvable(ERR_REASON_POD);
    const required = state.read<RequiredNodeAffinity>(PRE_FILTER_KEY) ?? requiredNodeAffinityOf(pod.pod);
    return matchesRequiredNodeAffinity(required, node.node) ? Status.success() : Status.unresolvable(ERR_REASON_POD);
  }

  preScore(_state: CycleState, pod: PodInfo): Status {
    const preferred = (pod.pod.spec.affinity as Affinity | undefined)?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    return preferred.length === 0 ? Status.skip() : Status.success();
  }

  score(_state: CycleState, pod: PodInfo, node: NodeInfo): number {
    return node.node ? preferredNodeAffinityScore(pod.pod, node.node) : 0;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: NodeScore[]): Status {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
    return Status.success();
  }
}

/**
 * When every term has a `metadata.name In (...)` field requirement, the union of those names;
 * otherwise undefined (any node may match).
 */
function nodeNamesFromTerms(terms: NodeSelectorTerm[] | undefined): Set<string> | undefined {
  if (!terms || terms.length === 0) return undefined;
  const names = new Set<string>();
  for (const t of terms) {
    const field = (t.matchFields ?? []).find((f) => f.key === 'metadata.name' && f.operator === 'In');
    if (!field) return undefined;
    for (const v of field.values ?? []) names.add(v);
  }
  return names;
}
