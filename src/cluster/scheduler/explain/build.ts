/**
 * Builds an AttemptExplanation from what one scheduling attempt learned (ScheduleResult), with
 * the per-node sample rule for large clusters:
 *
 * - a successful attempt: the selected node and the next best SCHEDULED_DETAIL_NODES − 1;
 * - otherwise, up to FULL_DETAIL_NODES evaluated nodes: every node in full;
 * - beyond: the selected node, the best-scored feasible nodes (up to SAMPLE_FEASIBLE), and for
 *   each rejection reason a few example nodes (up to SAMPLE_PER_REASON each), capped at
 *   FULL_DETAIL_NODES nodes; the reason histogram always counts every node.
 *
 * Node detail costs about 0.5 KB per node in the annotations, so 100 nodes stay well under the
 * 256 KB annotation budget while a 5,000-node attempt stays about the same size as a 100-node one.
 */
import type { Framework } from '../framework/runtime';
import type { CycleState } from '../framework/cycle-state';
import { CODE_NAMES, Status } from '../framework/status';
import type { PodInfo } from '../framework/pod-info';
import type { Snapshot } from '../framework/snapshot';
import { CPU, EPHEMERAL_STORAGE, MEMORY, PODS } from '../framework/resource';
import { NODE_RESOURCES_FIT } from '../plugins/names';
import type { ScheduleResult } from '../schedule-one';
import type { AttemptExplanation, AttemptOutcome, FilterVerdict, NodeExplanation, ReasonCount } from './types';

export const FULL_DETAIL_NODES = 100;
export const SAMPLE_FEASIBLE = 50;
export const SAMPLE_PER_REASON = 5;
/** A successful attempt keeps the selected node and the next best: "why here" needs no more. */
export const SCHEDULED_DETAIL_NODES = 3;

export interface AttemptFacts {
  attempt: number;
  time: string;
  outcome: AttemptOutcome;
  message: string;
  nominatedNode?: string;
  victims?: string[];
}

export function buildExplanation(fwk: Framework, state: CycleState, pod: PodInfo, snapshot: Snapshot, result: ScheduleResult, facts: AttemptFacts): AttemptExplanation {
  const filterPlugins = fwk.plugins.filter.map((p) => p.name);
  const scheduled = facts.outcome === 'Scheduled';
  // A successful attempt explains three nodes of perhaps hundreds: do not index them all.
  const evaluated = scheduled ? [] : [...result.filterStatuses.keys()];
  const histogram = new Map<string, ReasonCount>();
  for (const [, s] of result.diagnosis.nodeToStatus) {
    for (const reason of s.reasons) {
      const k = `${s.plugin}\u0000${reason}`;
      const h = histogram.get(k) ?? { plugin: s.plugin, reason, count: 0 };
      h.count++;
      histogram.set(k, h);
    }
  }
  const feasibleIndex = new Map<string, number>();
  let chosen: string[];
  if (scheduled) {
    const sample = scheduledSample(result);
    chosen = sample.map((c) => c.name);
    for (const c of sample) if (c.index >= 0) feasibleIndex.set(c.name, c.index);
  } else {
    chosen = sampleNodes(evaluated, result, facts.nominatedNode);
    const wanted = new Set(chosen);
    result.feasible.forEach((n, i) => { if (wanted.has(n.name)) feasibleIndex.set(n.name, i); });
  }
  const nodes: NodeExplanation[] = [];
  for (const name of chosen) {
    // A feasible node passed every filter it ran.
    const status = feasibleIndex.has(name) ? Status.success() : result.filterStatuses.get(name) ?? result.diagnosis.nodeToStatus.get(name);
    const filters: FilterVerdict[] = [];
    let rejected = false;
    for (const plugin of filterPlugins) {
      if (state.skipFilterPlugins.has(plugin)) { filters.push({ plugin, verdict: 'skipped' }); continue; }
      if (rejected) { filters.push({ plugin, verdict: 'not-run' }); continue; }
      if (status && !status.isSuccess() && status.plugin === plugin) {
        filters.push({ plugin, verdict: 'rejected', reason: status.message(), code: CODE_NAMES[status.code] });
        rejected = true;
      } else if (result.preFilter.status.isSuccess() || !status) filters.push({ plugin, verdict: 'passed' });
      else filters.push({ plugin, verdict: 'not-run' });
    }
    const n: NodeExplanation = { node: name, feasible: feasibleIndex.has(name), filters };
    const i = feasibleIndex.get(name);
    if (i !== undefined && result.scores.length > 0) {
      n.scores = result.scores.map((s) => ({ plugin: s.plugin, raw: s.raw[i]!, normalized: s.normalized[i]!, weight: s.weight, weighted: s.normalized[i]! * s.weight }));
      n.final = result.totals[i]!;
    }
    if (status?.plugin === NODE_RESOURCES_FIT) {
      const info = snapshot.get(name);
      if (info) {
        n.free = {};
        for (const r of status.reasons) {
          const resource = r === 'Too many pods' ? PODS : r.replace(/^Insufficient /, '');
          n.free[resource] = resource === PODS ? info.allocatable.allowedPodNumber - info.pods.length : info.allocatable.get(resource) - info.requested.get(resource);
        }
      }
    }
    nodes.push(n);
  }
  const requests: Record<string, number> = { [CPU]: pod.requests.milliCPU, [MEMORY]: pod.requests.memory };
  if (pod.requests.ephemeralStorage) requests[EPHEMERAL_STORAGE] = pod.requests.ephemeralStorage;
  for (const [k, v] of pod.requests.scalar) requests[k] = v;
  const out: AttemptExplanation = {
    attempt: facts.attempt,
    time: facts.time,
    outcome: facts.outcome,
    message: facts.message,
    numAllNodes: result.numAllNodes,
    numEvaluated: result.filterStatuses.size,
    numFeasible: result.feasible.length,
    skippedFilters: filterPlugins.filter((p) => state.skipFilterPlugins.has(p)),
    skippedScores: fwk.plugins.score.map((s) => s.plugin.name).filter((p) => state.skipScorePlugins.has(p)),
    filterHistogram: [...histogram.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    nodes,
    truncated: nodes.length < Math.max(scheduled ? result.feasible.length : evaluated.length, result.preFilter.status.isSuccess() ? 0 : result.numAllNodes),
    podRequests: requests,
  };
  if (result.suggestedHost) out.selectedNode = result.suggestedHost;
  if (facts.nominatedNode) out.nominatedNode = facts.nominatedNode;
  if (facts.victims) out.victims = facts.victims;
  if (!result.preFilter.status.isSuccess()) out.preFilter = { plugin: result.preFilter.status.plugin, message: result.preFilter.status.message() };
  return out;
}

/** The selected node and the next best, with their positions in `feasible`. */
function scheduledSample(result: ScheduleResult): { name: string; index: number }[] {
  const host = result.suggestedHost!;
  const feasible = result.feasible;
  const hostIndex = feasible.findIndex((n) => n.name === host);
  const selected = [{ name: host, index: hostIndex }];
  if (feasible.length <= SCHEDULED_DETAIL_NODES) {
    return [...selected, ...feasible.map((n, index) => ({ name: n.name, index })).filter((n) => n.index !== hostIndex)];
  }
  const top: { name: string; index: number; total: number }[] = [];
  for (let i = 0; i < feasible.length; i++) {
    if (i === hostIndex) continue;
    const total = result.totals[i] ?? 0;
    if (top.length < SCHEDULED_DETAIL_NODES - 1 || total > top[top.length - 1]!.total) {
      top.push({ name: feasible[i]!.name, index: i, total });
      top.sort((a, b) => b.total - a.total);
      if (top.length > SCHEDULED_DETAIL_NODES - 1) top.pop();
    }
  }
  return [...selected, ...top.map(({ name, index }) => ({ name, index }))];
}

function sampleNodes(evaluated: string[], result: ScheduleResult, nominated: string | undefined): string[] {
  const all = evaluated.length > 0 ? evaluated : [...result.diagnosis.nodeToStatus.keys()];
  if (all.length <= FULL_DETAIL_NODES) return all;
  const picked = new Set<string>();
  if (result.suggestedHost) picked.add(result.suggestedHost);
  if (nominated) picked.add(nominated);
  const byScore = result.feasible.map((n, i) => ({ name: n.name, total: result.totals[i] ?? 0 })).sort((a, b) => b.total - a.total);
  for (const { name } of byScore) { if (picked.size >= SAMPLE_FEASIBLE) break; picked.add(name); }
  const perReason = new Map<string, number>();
  for (const [name, s] of result.diagnosis.nodeToStatus) {
    if (picked.size >= FULL_DETAIL_NODES) break;
    const k = `${s.plugin}:${s.message()}`;
    const n = perReason.get(k) ?? 0;
    if (n >= SAMPLE_PER_REASON) continue;
    perReason.set(k, n + 1);
    picked.add(name);
  }
  return [...picked];
}
