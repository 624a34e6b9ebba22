/**
 * "Why is this pod here / Pending?": the scheduler's explanation of its latest attempt as tables
 * (each node × each Filter plugin's verdict; each feasible node × each Score plugin's weighted
 * score), its plain-language summary, the earlier attempts, and the pod's timeline from the audit
 * log: each step of the flow (created, bound, the kubelet's status reports, deleted) with the API
 * request that carried it. Plain Node (no vscode).
 */
import type { Pod } from '../../cluster/api/types';
import type { AuditRecord } from '../../cluster/apiserver/audit';
import { readExplanation } from '../../cluster/scheduler/explain/annotations';
import type { AttemptExplanation } from '../../cluster/scheduler/explain/types';
import { textTable } from './text-table';

const VERDICT: Record<string, string> = { passed: 'ok', rejected: 'REJECTED', skipped: 'skip', 'not-run': '·' };

export function whyDocument(pod: Pod, audit: AuditRecord[]): string {
  const name = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const out: string[] = [];
  const explanation = readExplanation(pod.metadata.annotations);
  out.push(pod.spec.nodeName ? `Why is pod ${name} on ${pod.spec.nodeName}?` : `Why is pod ${name} Pending?`, '');
  if (!explanation) {
    out.push(pod.spec.nodeName
      ? `The pod names its node in spec.nodeName (${pod.spec.nodeName}) without a scheduler's explanation: it was bound directly or scheduled before explanations were kept.`
      : 'The scheduler has not tried to place this pod yet (or its schedulerName is not the default scheduler).');
  } else {
    out.push(wrap(explanation.summary), '');
    out.push(...attempt(explanation.latest));
    if (explanation.history.length > 1) {
      out.push('', 'Attempts', textTable([['#', 'Time', 'Outcome', 'Node', 'Message'], ...explanation.history.map((h) => [String(h.attempt), h.time, h.outcome, h.selectedNode ?? '', h.message])], '  '));
    }
  }
  out.push('', 'Timeline (from the API server\'s audit log)', timeline(audit));
  return out.join('\n') + '\n';
}

/** node-2 before node-10: the tables read in the order the tree lists nodes, the same at every run. */
const byNodeName = (x: { node: string }, y: { node: string }) => x.node.localeCompare(y.node, 'en', { numeric: true });

function attempt(explanation: AttemptExplanation): string[] {
  // The scheduler evaluates nodes from a rotating start (as kube-scheduler does), so its order differs per attempt.
  const a = { ...explanation, nodes: [...explanation.nodes].sort(byNodeName) };
  const out: string[] = [];
  out.push(`Attempt ${a.attempt} at ${a.time}: ${a.outcome}${a.selectedNode ? ` on ${a.selectedNode}` : ''}`);
  out.push(`  ${a.message}`);
  out.push(`  ${a.numAllNodes} node(s) in the cluster, ${a.numEvaluated} evaluated, ${a.numFeasible} feasible${a.truncated ? ' (a sample of the nodes is listed below)' : ''}.`);
  if (a.preFilter) out.push(`  PreFilter ${a.preFilter.plugin} rejected the pod before any node was looked at: ${a.preFilter.message}`);
  if (a.nominatedNode) out.push(`  Preemption nominated ${a.nominatedNode}${a.victims?.length ? `, evicting ${a.victims.join(', ')}` : ''}.`);
  const plugins = [...new Set(a.nodes.flatMap((n) => n.filters.map((f) => f.plugin)))];
  if (a.nodes.length && plugins.length) {
    out.push('', 'Filter: can the pod run on the node? (ok = passed, REJECTED = the reason is below, · = not run after a rejection)');
    out.push(textTable([['NODE', ...plugins], ...a.nodes.map((n) => [n.node, ...plugins.map((p) => VERDICT[n.filters.find((f) => f.plugin === p)?.verdict ?? 'not-run'] ?? '?')])], '  '));
    const reasons = a.nodes.flatMap((n) => n.filters.filter((f) => f.verdict === 'rejected').map((f) => [n.node, f.plugin, f.reason ?? '']));
    if (reasons.length) out.push('', 'Reasons', textTable([['NODE', 'PLUGIN', 'REASON'], ...reasons], '  '));
    const free = a.nodes.filter((n) => n.free);
    if (free.length) out.push('', 'Free on the nodes NodeResourcesFit rejected', textTable([['NODE', 'FREE'], ...free.map((n) => [n.node, Object.entries(n.free!).map(([k, v]) => `${k}=${k === 'cpu' ? `${v}m` : v}`).join(' ')])], '  '));
  }
  if (a.filterHistogram.length) out.push('', 'Rejections by reason', textTable([['NODES', 'PLUGIN', 'REASON'], ...a.filterHistogram.map((r) => [String(r.count), r.plugin, r.reason])], '  '));
  const scored = a.nodes.filter((n) => n.scores?.length);
  if (scored.length) {
    const scorePlugins = [...new Set(scored.flatMap((n) => n.scores!.map((s) => s.plugin)))];
    out.push('', 'Score: how good is each feasible node? (normalized score × weight; the highest total wins)');
    out.push(textTable([['NODE', ...scorePlugins, 'TOTAL'], ...scored.map((n) => [n.node, ...scorePlugins.map((p) => {
      const s = n.scores!.find((x) => x.plugin === p);
      return s ? `${s.normalized}×${s.weight}=${s.weighted}` : '';
    }), String(n.final ?? '')])], '  '));
  }
  return out;
}

/** Names a pod's request in the seed's flow. */
export function stepOf(r: AuditRecord): string {
  const who = r.user;
  if (/[?&]dryRun=/.test(r.requestURI)) return `${who} validated the pod (a dry run: admitted and validated, not stored)`;
  if (r.subresource === 'binding') return `the scheduler bound the pod to its node (${who})`;
  if (r.subresource === 'status') return who.startsWith('system:node:') ? `the kubelet on ${who.slice('system:node:'.length)} reported the pod's status` : `${who} wrote the pod's status`;
  if (r.subresource === 'eviction') return `${who} evicted the pod`;
  if (r.subresource === 'log') return `${who} read the logs`;
  if (r.verb === 'create' || (r.verb === 'patch' && r.code === 201)) {
    return `${who} created the pod${r.verb === 'patch' ? ' (server-side apply)' : ''}: authenticated, authorized, admitted, validated, stored`;
  }
  if (r.verb === 'patch' || r.verb === 'update') return `${who} changed the pod`;
  if (r.verb === 'delete') return who.startsWith('system:node:') ? `the kubelet on ${who.slice('system:node:'.length)} removed the pod once its containers stopped` : `${who} deleted the pod (graceful termination starts)`;
  return `${who} ${r.verb}`;
}

export function timeline(records: AuditRecord[]): string {
  const steps = records.filter((r) => !['get', 'list', 'watch'].includes(r.verb));
  if (!steps.length) return '  (no requests recorded for this pod)';
  return textTable([['TIME', 'STEP', 'REQUEST', 'CODE'], ...steps.map((r) => [r.time.replace(/^.*T/, ''), stepOf(r), `${r.method} ${r.requestURI.split('?')[0]}`, String(r.code)])], '  ');
}

function wrap(text: string, width = 100): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + w.length + 1 > width) { lines.push(line); line = w; } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
