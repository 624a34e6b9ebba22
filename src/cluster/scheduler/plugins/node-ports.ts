/**
 * NodePorts (PreFilter, Filter): the pod's host ports must be free on the node (a port bound on
 * 0.0.0.0 conflicts with the same port on any address).
 */
import type { CycleState } from '../framework/cycle-state';
import type { FilterPlugin, PreFilterPlugin } from '../framework/interface';
import type { NodeInfo } from '../framework/node-info';
import type { PodInfo } from '../framework/pod-info';
import { Status } from '../framework/status';
import { NODE_PORTS } from './names';

export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";

export function fitsPorts(pod: PodInfo, node: NodeInfo): boolean {
  return !node.portsConflict(pod.hostPorts);
}

export class NodePorts implements PreFilterPlugin, FilterPlugin {
  readonly name = NODE_PORTS;

  preFilter(_state: CycleState, pod: PodInfo) {
    return { status: pod.hostPorts.length === 0 ? Status.skip() : Status.success() };
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    return fitsPorts(pod, node) ? Status.success() : Status.unschedulable(ERR_REASON_PORTS);
  }
}
