/**
 * Explanations as pod annotations under `scheduler.kube-sim.io/`, shaped like
 * kube-scheduler-simulator's so that `kubectl get pod -o yaml` shows them and the editor can read
 * them back:
 *
 *   filter-result       {"node-1": {"NodeUnschedulable": "passed", "TaintToleration": "node(s) had …"}, …}
 *   score-result        {"node-1": {"NodeResourcesFit": 75, …}, …}          raw Score values
 *   finalscore-result   {"node-1": {"NodeResourcesFit": 75, …, "total": 310}, …}  normalized × weight
 *   selected-node       node-1
 *   filter-histogram    [{"plugin": "NodeResourcesFit", "reason": "Insufficient cpu", "count": 2}, …]
 *   result-history      [{"attempt": 1, "time": …, "outcome": "Unschedulable", "message": …}, …]  (last 10)
 *   explanation         the latest AttemptExplanation as JSON (what the UI renders)
 *   summary             one paragraph in plain language
 *
 * Size rule: the per-node maps hold the nodes the explanation kept (every node up to 100 evaluated
 * nodes; a sample beyond, see build.ts). A successful attempt keeps only the selected node and the
 * next best SCHEDULED_DETAIL_NODES − 1, since the question then is "why here", not "why not there";
 * the histogram and counts always cover every node.
 */
import { SCHEDULED_DETAIL_NODES } from './build';
import type { AttemptExplanation, NodeExplanation, PodSchedulingExplanation } from './types';

export const ANNOTATION_PREFIX = 'scheduler.kube-sim.io/';
export const FILTER_RESULT = ANNOTATION_PREFIX + 'filter-result';
export const SCORE_RESULT = ANNOTATION_PREFIX + 'score-result';
export const FINAL_SCORE_RESULT = ANNOTATION_PREFIX + 'finalscore-result';
export const SELECTED_NODE = ANNOTATION_PREFIX + 'selected-node';
export const FILTER_HISTOGRAM = ANNOTATION_PREFIX + 'filter-histogram';
export const RESULT_HISTORY = ANNOTATION_PREFIX + 'result-history';
export const EXPLANATION = ANNOTATION_PREFIX + 'explanation';
export const SUMMARY = ANNOTATION_PREFIX + 'summary';

export { SCHEDULED_DETAIL_NODES };
export const MAX_HISTORY = 10;

/** Trims a successful attempt's node detail to the selected node and the best few others. */
export function trimForAnnotation(a: AttemptExplanation): AttemptExplanation {
  if (a.outcome !== 'Scheduled' || a.nodes.length <= SCHEDULED_DETAIL_NODES) return a;
  const selected = a.nodes.filter((n) => n.node === a.selectedNode);
  const others = a.nodes.filter((n) => n.node !== a.selectedNode && n.feasible).sort((x, y) => (y.final ?? 0) - (x.final ?? 0) || x.node.localeCompare(y.node, 'en', { numeric: true }));
  return { ...a, nodes: [...selected, ...others].slice(0, SCHEDULED_DETAIL_NODES), truncated: true };
}

export function explanationAnnotations(explanation: PodSchedulingExplanation): Record<string, string> {
  const a = trimForAnnotation(explanation.latest);
  // The maps keyed by node name are written as JSON text directly: objects with thousands of
  // different node names as keys would each get their own hidden class.
  const filter: string[] = [];
  const score: string[] = [];
  const final: string[] = [];
  for (const n of a.nodes) {
    const key = jsonString(n.node);
    filter.push(`${key}:${JSON.stringify(filterMap(n))}`);
    if (n.scores) {
      const raw: Record<string, number> = {};
      const weighted: Record<string, number> = {};
      for (const s of n.scores) { raw[s.plugin] = s.raw; weighted[s.plugin] = s.weighted; }
      weighted.total = n.final ?? 0;
      score.push(`${key}:${JSON.stringify(raw)}`);
      final.push(`${key}:${JSON.stringify(weighted)}`);
    }
  }
  const out: Record<string, string> = {
    [FILTER_RESULT]: `{${filter.join(',')}}`,
    [SCORE_RESULT]: `{${score.join(',')}}`,
    [FINAL_SCORE_RESULT]: `{${final.join(',')}}`,
    [SELECTED_NODE]: a.selectedNode ?? '',
    [FILTER_HISTOGRAM]: JSON.stringify(a.filterHistogram),
    [RESULT_HISTORY]: JSON.stringify(explanation.history.slice(-MAX_HISTORY)),
    [EXPLANATION]: JSON.stringify(a),
    [SUMMARY]: explanation.summary,
  };
  return out;
}

/** A node name as a JSON string: names are DNS subdomains, which need no escaping (checked). */
function jsonString(name: string): string {
  return PLAIN_NAME.test(name) ? `"${name}"` : JSON.stringify(name);
}

const PLAIN_NAME = /^[a-z0-9.-]*$/;

function filterMap(n: NodeExplanation): Record<string, string> {
  const m: Record<string, string> = {};
  for (const f of n.filters) {
    if (f.verdict === 'passed') m[f.plugin] = 'passed';
    else if (f.verdict === 'rejected') m[f.plugin] = f.reason ?? 'rejected';
  }
  return m;
}

/**
 * Whether `next` tells what the pod's annotations already tell: the same summary, per-plugin
 * rejection counts and selected node. The attempt number and time do not count.
 */
export function sameOutcome(current: Record<string, string> | undefined, next: Record<string, string>): boolean {
  if (!current) return false;
  return [SUMMARY, FILTER_HISTOGRAM, SELECTED_NODE].every((key) => current[key] === next[key]);
}

/** Reads an explanation back from a pod's annotations (what the UI does); undefined if none. */
export function readExplanation(annotations: Record<string, string> | undefined): PodSchedulingExplanation | undefined {
  const raw = annotations?.[EXPLANATION];
  if (!raw) return undefined;
  try {
    return {
      latest: JSON.parse(raw) as AttemptExplanation,
      history: JSON.parse(annotations![RESULT_HISTORY] ?? '[]') as PodSchedulingExplanation['history'],
      summary: annotations![SUMMARY] ?? '',
    };
  } catch {
    return undefined;
  }
}

/** Previous history from the pod's annotations, for appending the next attempt. */
export function historyOf(annotations: Record<string, string> | undefined): PodSchedulingExplanation['history'] {
  try {
    const h = JSON.parse(annotations?.[RESULT_HISTORY] ?? '[]') as unknown;
    return Array.isArray(h) ? (h as PodSchedulingExplanation['history']) : [];
  } catch {
    return [];
  }
}
