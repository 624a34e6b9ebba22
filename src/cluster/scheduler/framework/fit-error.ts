/**
 * FitError: why a pod fits no node, worded exactly as kube-scheduler 1.32's FitError.Error():
 *
 *   0/<all> nodes are available: <PreFilter message>. <histogram>. <PostFilter message>.
 *
 * - With a PreFilter rejection only its message is printed (every node carries the same status,
 *   so a histogram would repeat it).
 * - Otherwise the histogram counts each reason over every node's status ("<count> <reason>"),
 *   sorted as strings and joined by ", ". Nodes that were never evaluated count with the
 *   diagnosis' absent-node status.
 * - The PostFilter message (preemption) follows, e.g. "preemption: 0/3 nodes are available: …",
 *   with one final period (builds before the fix printed "..").
 */
import type { NodeToStatus } from './interface';
import type { Status } from './status';

export interface Diagnosis {
  nodeToStatus: NodeToStatus;
  /** The status of nodes absent from nodeToStatus (never evaluated); undefined adds nothing. */
  absentNodesStatus?: Status;
  /** Plugins that rejected the pod in this attempt. */
  unschedulablePlugins: Set<string>;
  preFilterMsg: string;
  postFilterMsg: string;
}

export function newDiagnosis(): Diagnosis {
  return { nodeToStatus: new Map(), unschedulablePlugins: new Set(), preFilterMsg: '', postFilterMsg: '' };
}

export const NO_NODE_AVAILABLE = (n: number): string => `0/${n} nodes are available`;

/** The histogram entries ("2 Insufficient cpu"), sorted as strings. */
export function reasonHistogram(nodeToStatus: NodeToStatus, numAllNodes: number, absent?: Status): string[] {
  const counts = new Map<string, number>();
  for (const status of nodeToStatus.values()) for (const r of status.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  if (absent && nodeToStatus.size < numAllNodes) {
    for (const r of absent.reasons) counts.set(r, (counts.get(r) ?? 0) + numAllNodes - nodeToStatus.size);
  }
  return [...counts].map(([r, n]) => `${n} ${r}`).sort();
}

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `${NO_NODE_AVAILABLE(numAllNodes)}:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const histogram = reasonHistogram(d.nodeToStatus, numAllNodes, d.absentNodesStatus);
    if (histogram.length > 0) msg += ` ${histogram.join(', ')}.`;
  }
  // Preemption's message is itself a sentence ending in '.'; 1.32 no longer doubles the period.
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}${d.postFilterMsg.endsWith('.') ? '' : '.'}`;
  return msg;
}
