/** NodeName (Filter): a pod that names a node (spec.nodeName) fits only that node. */
import type { Pod } from '../../api/types';
import type { FilterPlugin } from '../framework/interface';
import type { NodeInfo } from '../framework/node-info';
import type { PodInfo } from '../framework/pod-info';
import { Status } from '../framework/status';
import { NODE_NAME } from './names';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export function podFitsNodeName(pod: Pod, nodeName: string): boolean {
  return !pod.spec.nodeName || pod.spec.nodeName === nodeName;
}

export class NodeName implements FilterPlugin {
  readonly name = NODE_NAME;

  filter(_state: unknown, pod: PodInfo, node: NodeInfo): Status {
    return podFitsNodeName(pod.pod, node.name) ? Status.success() : Status.unresolvable(ERR_REASON_NODE_NAME);
  }
}
