/**
 * The one-paragraph, plain-language summary of a scheduling attempt that the UI shows, e.g.
 *
 *   Pending: no node has 2 CPUs free; node-2 has 1.5, node-3 has 0.5. Lower
 *   spec.containers[0].resources.requests.cpu or add a node.
 *
 * It says what blocks the pod, on how many nodes, and what the author can change, naming the
 * manifest field. It reads only the AttemptExplanation and the pod, so the UI can also call it on
 * an explanation read back from annotations.
 */
import type { Pod } from '../../api/types';
import { CPU, EPHEMERAL_STORAGE, formatAmount, MEMORY } from '../framework/resource';
import * as names from '../plugins/names';
import type { AttemptExplanation, ReasonCount } from './types';

const nodes = (n: number): string => (n === 1 ? '1 node' : `${n} nodes`);
/** Ties are broken by node name (node-2 before node-10), so the same cluster gives the same sentence at every run. */
const byName = (x: { node: string }, y: { node: string }): number => x.node.localeCompare(y.node, 'en', { numeric: true });

export function summarize(a: AttemptExplanation, pod: Pod): string {
  switch (a.outcome) {
    case 'Scheduled': return scheduledSummary(a);
    case 'Nominated': {
      const victims = a.victims?.length ? `${a.victims.length === 1 ? 'pod' : `${a.victims.length} pods`} ${a.victims.join(', ')}` : 'lower-priority pods';
      return `Pending: no node had room, so the scheduler is preempting ${victims} on ${a.nominatedNode} (lower priority than this pod). The pod will be scheduled there once ${a.victims?.length === 1 ? 'it is' : 'they are'} gone.`;
    }
    case 'Error': return `Pending: the scheduler hit an error and will retry: ${a.message}`;
    default: return pendingSummary(a, pod);
  }
}

function scheduledSummary(a: AttemptExplanation): string {
  const node = a.selectedNode ?? '';
  if (a.numFeasible <= 1) {
    const others = a.numAllNodes - 1;
    const why = a.filterHistogram.slice(0, 2).map((h) => `${nodes(h.count)}: ${h.reason}`).join('; ');
    return others > 0 ? `Scheduled on ${node}, the only node that passed every filter${why ? ` (${why})` : ''}.` : `Scheduled on ${node}, the only node in the cluster.`;
  }
  const selected = a.nodes.find((n) => n.node === node);
  const runnerUp = a.nodes.filter((n) => n.node !== node && n.feasible && n.final !== undefined).sort((x, y) => (y.final ?? 0) - (x.final ?? 0) || byName(x, y))[0];
  let text = `Scheduled on ${node}: ${a.numFeasible} of ${a.numEvaluated} evaluated nodes could run it`;
  if (a.numEvaluated < a.numAllNodes) text += ` (the scheduler evaluates a share of large clusters, ${a.numEvaluated} of ${a.numAllNodes})`;
  if (selected?.final !== undefined && runnerUp?.final !== undefined && selected.scores && runnerUp.scores) {
    if (selected.final === runnerUp.final) return `${text}; ${node} tied with ${runnerUp.node} at ${selected.final} points and won the random tie-break.`;
    const diffs = selected.scores.map((s) => ({ plugin: s.plugin, diff: s.weighted - (runnerUp.scores!.find((r) => r.plugin === s.plugin)?.weighted ?? 0) })).sort((x, y) => y.diff - x.diff);
    const lead = diffs.filter((d) => d.diff > 0).slice(0, 2).map((d) => `${d.plugin} (${PLUGIN_MEANING[d.plugin] ?? 'preferred it'})`);
    text += `; it scored ${selected.final} against ${runnerUp.final} for ${runnerUp.node}${lead.length ? `, ahead on ${lead.join(' and ')}` : ''}.`;
    return text;
  }
  return `${text}.`;
}

const PLUGIN_MEANING: Record<string, string> = {
  [names.NODE_RESOURCES_FIT]: 'more free CPU and memory',
  [names.NODE_RESOURCES_BALANCED_ALLOCATION]: 'CPU and memory use stay balanced',
  [names.IMAGE_LOCALITY]: 'the image is already there',
  [names.TAINT_TOLERATION]: 'fewer PreferNoSchedule taints',
  [names.NODE_AFFINITY]: 'matches preferred node affinity',
  [names.POD_TOPOLOGY_SPREAD]: 'better spread',
  [names.INTER_POD_AFFINITY]: 'preferred pod affinity',
};

function pendingSummary(a: AttemptExplanation, pod: Pod): string {
  if (a.numAllNodes === 0) return 'Pending: the cluster has no nodes. Add a node.';
  if (a.preFilter) return `Pending: ${a.preFilter.message} (${a.preFilter.plugin}, every node).`;
  const sentences: string[] = [];
  const seen = new Set<string>();
  for (const h of a.filterHistogram) {
    const key = `${h.plugin}:${h.reason.startsWith('Insufficient ') ? h.reason : h.plugin}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const s = sentenceFor(h, a, pod);
    if (s) sentences.push(s);
    if (sentences.length >= 3) break;
  }
  let text = `Pending: ${sentences.length ? sentences.join(' ') : a.message}`;
  if (/No preemption victims found/.test(a.message)) text += ' Preempting other pods would not help: none has a lower priority.';
  else if (/not eligible due to preemptionPolicy=Never/.test(a.message)) text += ' The pod may not preempt others (preemptionPolicy: Never).';
  return text;
}

function sentenceFor(h: ReasonCount, a: AttemptExplanation, pod: Pod): string {
  const r = h.reason;
  if (r.startsWith('Insufficient ')) return insufficient(r.slice('Insufficient '.length), a, pod);
  if (r === 'Too many pods') return `${nodes(h.count)} already run${h.count === 1 ? 's' : ''} as many pods as ${h.count === 1 ? 'it' : 'they'} can (status.allocatable.pods). Add a node.`;
  const taint = /^node\(s\) had untolerated taint \{(.*): (.*)\}$/.exec(r);
  if (taint) {
    const example = a.nodes.find((n) => n.filters.some((f) => f.reason === r))?.node ?? 'the node';
    const spec = taint[2] ? `${taint[1]}=${taint[2]}` : taint[1];
    return `${nodes(h.count)} ${h.count === 1 ? 'has' : 'have'} the taint ${spec} that the pod does not tolerate. Add a toleration for it to spec.tolerations, or remove it (kubectl taint node ${example} ${taint[1]}-).`;
  }
  switch (h.plugin) {
    case names.NODE_UNSCHEDULABLE: return `${nodes(h.count)} ${h.count === 1 ? 'is' : 'are'} cordoned (spec.unschedulable). Uncordon with kubectl uncordon <node>.`;
    case names.NODE_NAME: return `spec.nodeName asks for another node, so ${nodes(h.count)} cannot take it.`;
    case names.NODE_AFFINITY: {
      const field = pod.spec.nodeSelector ? `spec.nodeSelector (${Object.entries(pod.spec.nodeSelector).map(([k, v]) => `${k}=${v}`).join(', ')})` : 'spec.affinity.nodeAffinity';
      return `${nodes(h.count)} ${h.count === 1 ? "doesn't" : "don't"} match ${field}. Label a node to match (kubectl label node <node> key=value) or relax the selector.`;
    }
    case names.NODE_PORTS: return `${nodes(h.count)} already use${h.count === 1 ? 's' : ''} a host port the pod asks for (spec.containers[*].ports[*].hostPort). Remove hostPort or free the port.`;
    case names.POD_TOPOLOGY_SPREAD:
      return r.includes('missing required label')
        ? `${nodes(h.count)} lack${h.count === 1 ? 's' : ''} the topology label named in spec.topologySpreadConstraints[*].topologyKey.`
        : `placing it on ${nodes(h.count)} would make the spread uneven beyond maxSkew (spec.topologySpreadConstraints). Raise maxSkew, use whenUnsatisfiable: ScheduleAnyway, or add nodes in the emptier domains.`;
    case names.INTER_POD_AFFINITY:
      if (r.includes("didn't match pod affinity")) return `${nodes(h.count)} ${h.count === 1 ? 'has' : 'have'} no pod that spec.affinity.podAffinity asks to run beside.`;
      if (r.includes('existing pods anti-affinity')) return `pods already running on ${nodes(h.count)} refuse it with their own podAntiAffinity.`;
      return `${nodes(h.count)} already run${h.count === 1 ? 's' : ''} a pod that spec.affinity.podAntiAffinity keeps it away from.`;
    default: return `${nodes(h.count)}: ${r}.`;
  }
}

function insufficient(resource: string, a: AttemptExplanation, pod: Pod): string {
  const want = a.podRequests[resource] ?? 0;
  const free = a.nodes.filter((n) => n.free?.[resource] !== undefined).map((n) => ({ node: n.node, free: Math.max(0, n.free![resource]!) })).sort((x, y) => y.free - x.free || byName(x, y));
  const amount = (v: number) => (resource === CPU ? formatAmount(CPU, v) : formatAmount(resource, v));
  const unit = resource === CPU ? (want === 1000 ? ' CPU' : ' CPUs') : resource === MEMORY || resource === EPHEMERAL_STORAGE ? ` of ${resource}` : ` ${resource}`;
  let text = `no node has ${amount(want)}${unit} free`;
  if (free.length) text += `; ${free.slice(0, 3).map((f) => `${f.node} has ${amount(f.free)}`).join(', ')}`;
  const i = (pod.spec.containers ?? []).findIndex((c) => c.resources?.requests?.[resource] !== undefined || c.resources?.limits?.[resource] !== undefined);
  const field = `spec.containers[${i < 0 ? 0 : i}].resources.requests.${resource}`;
  return `${text}. Lower ${field} or add a node.`;
}
