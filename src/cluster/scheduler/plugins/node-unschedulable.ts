/**
 * NodeUnschedulable (Filter): a cordoned node (spec.unschedulable) takes only pods that tolerate
 * the node.kubernetes.io/unschedulable:NoSchedule taint.
 */
import type { Node, Pod } from '../../api/types';
import type { FilterPlugin } from '../framework/interface';
import type { NodeInfo } from '../framework/node-info';
import type { PodInfo } from '../framework/pod-info';
import { Status } from '../framework/status';
import { NODE_UNSCHEDULABLE } from './names';
import { toleratesTaint } from './taint-toleration';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
export const ERR_REASON_UNKNOWN_CONDITION = 'node(s) had unknown conditions';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export function podFitsUnschedulableNode(pod: Pod, node: Node): boolean {
  if (!node.spec?.unschedulable) return true;
  const taint = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' as const };
  return (pod.spec.tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

export class NodeUnschedulable implements FilterPlugin {
  readonly name = NODE_UNSCHEDULABLE;

  filter(_state: unknown, pod: PodInfo, node: NodeInfo): Status {
    if (!node.node) return Status.unresolvable(ERR_REASON_UNKNOWN_CONDITION);
    if (!node.unschedulable) return Status.success();
    return podFitsUnschedulableNode(pod.pod, node.node) ? Status.success() : Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
  }
}
