/**
 * The default profile (default-scheduler): the 1.32 MultiPoint plugin set Kube Sim simulates, in
 * kube-scheduler's order, with its score weights. Volume plugins are left out: Kube Sim has no
 * volumes to bind.
 */
import type { ApiClient } from '../../client/client';
import type { Handle, PluginSet } from '../framework/interface';
import { DefaultBinder } from './default-binder';
import { DefaultPreemption } from './default-preemption';
import { ImageLocality } from './image-locality';
import { InterPodAffinity } from './inter-pod-affinity';
import { NodeAffinity } from './node-affinity';
import { NodeName } from './node-name';
import { NodePorts } from './node-ports';
import { NodeResourcesBalancedAllocation } from './node-resources-balanced-allocation';
import { NodeResourcesFit } from './node-resources-fit';
import { NodeUnschedulable } from './node-unschedulable';
import { PodTopologySpread } from './pod-topology-spread';
import { PrioritySort } from './priority-sort';
import { SchedulingGates } from './scheduling-gates';
import { TaintToleration } from './taint-toleration';

export interface RegistryOptions {
  /** The API client the binder uses; without one, Bind fails (algorithm-only use). */
  client?: ApiClient;
  rand?: () => number;
}

export function defaultPlugins(handle: Handle, options: RegistryOptions = {}): PluginSet {
  const taint = new TaintToleration();
  const nodeAffinity = new NodeAffinity();
  const ports = new NodePorts();
  const fit = new NodeResourcesFit();
  const spread = new PodTopologySpread(handle);
  const interPod = new InterPodAffinity(handle);
  const balanced = new NodeResourcesBalancedAllocation();
  const image = new ImageLocality(handle);
  return {
    preEnqueue: [new SchedulingGates()],
    queueSort: new PrioritySort(),
    preFilter: [nodeAffinity, ports, fit, spread, interPod],
    filter: [new NodeUnschedulable(), new NodeName(), taint, nodeAffinity, ports, fit, spread, interPod],
    postFilter: [new DefaultPreemption(handle, options.rand)],
    preScore: [taint, nodeAffinity, spread, interPod],
    score: [
      { plugin: taint, weight: 3 },
      { plugin: nodeAffinity, weight: 2 },
      { plugin: fit, weight: 1 },
      { plugin: spread, weight: 2 },
      { plugin: interPod, weight: 2 },
      { plugin: balanced, weight: 1 },
      { plugin: image, weight: 1 },
    ],
    reserve: [],
    permit: [],
    bind: options.client ? [new DefaultBinder(options.client)] : [],
  };
}
