/**
 * Plugin interfaces, one per extension point, as kube-scheduler's framework/interface.go.
 *
 * The scheduling cycle (PreFilter … Reserve, Permit) is synchronous: it reads the snapshot and
 * nothing can change it underneath. Bind is asynchronous (the binding cycle), and so is the work
 * a PostFilter result asks for (deleting preemption victims), which the scheduler carries out.
 *
 * Plugins return Status values, never throw for a pod that does not fit; the framework stamps the
 * plugin name on every status it returns.
 */
import type { Pod } from '../../api/types';
import type { CycleState } from './cycle-state';
import type { NodeInfo } from './node-info';
import type { PodFacts, PodInfo } from './pod-info';
import type { Snapshot } from './snapshot';
import type { Status } from './status';

/** Scores are 0..100 after normalization (framework.MaxNodeScore). */
export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

export interface Plugin {
  readonly name: string;
}

/** What plugins may ask of the framework. */
export interface Handle {
  snapshot(): Snapshot;
  /** Runs every Filter plugin on one node (preemption dry runs). */
  runFilterPlugins(state: CycleState, pod: PodInfo, node: NodeInfo): Status;
  /** Runs every Filter plugin on the node with the nominated pods of equal or higher priority added. */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodInfo, node: NodeInfo): Status;
  /** Tells the PreFilter extensions that a pod was added to / removed from a node in a dry run. */
  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, toAdd: PodFacts, node: NodeInfo): Status;
  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, toRemove: PodFacts, node: NodeInfo): Status;
  /** Pods nominated to a node (status.nominatedNodeName) that are not yet bound. */
  nominatedPodsForNode(nodeName: string): PodInfo[];
}

/** A pod as the queue holds it. */
export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** When the pod was first added to the queue (cluster clock, ms). */
  initialAttemptTimestamp: number;
  /** When the pod was last (re-)added to the queue; PrioritySort's tie-breaker. */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** Plugins that rejected the pod in its last attempt (decides which cluster events move it). */
  unschedulablePlugins: Set<string>;
  /** Set when PreEnqueue rejected the pod (scheduling gates). */
  gated: boolean;
}

export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: Pod): Status;
}

export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

export interface PreFilterResult {
  /** When set, only these nodes are evaluated by Filter. */
  nodeNames?: Set<string>;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): { status: Status; result?: PreFilterResult };
  /** AddPod/RemovePod keep the plugin's cycle state right when preemption adds or removes pods. */
  addPod?(state: CycleState, pod: PodInfo, toAdd: PodFacts, node: NodeInfo): Status;
  removePod?(state: CycleState, pod: PodInfo, toRemove: PodFacts, node: NodeInfo): Status;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status;
}

/** What a PostFilter plugin (preemption) achieved. */
export interface PostFilterResult {
  nominatedNodeName: string;
  /**
   * Pods to delete so that the pod fits on the nominated node, as the scheduler cache knows them
   * (the scheduler reads each from its pod informer to write to it).
   */
  victims: PodFacts[];
  /** Lower-priority pods nominated to that node whose nomination must be cleared. */
  clearNominations: PodInfo[];
}

export type NodeToStatus = Map<string, Status>;

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, filteredNodeStatus: NodeToStatus): { status: Status; result?: PostFilterResult };
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodInfo, nodes: NodeInfo[]): Status;
}

export interface NodeScore {
  name: string;
  score: number;
}

export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  /** Rescales the raw scores of every feasible node in place to 0..100. */
  normalizeScore?(state: CycleState, pod: PodInfo, scores: NodeScore[]): Status;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): Status;
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  /** Success, a rejection, or Wait with how long to wait (ms) before the pod is rejected. */
  permit(state: CycleState, pod: PodInfo, nodeName: string): { status: Status; timeoutMs?: number };
}

export interface BindPlugin extends Plugin {
  /** Skip means "not mine", so the next Bind plugin runs. */
  bind(state: CycleState, pod: Pod, nodeName: string): Promise<Status>;
}

export interface WeightedScorePlugin {
  plugin: ScorePlugin;
  weight: number;
}

/** A profile's plugins per extension point, in the order they run. */
export interface PluginSet {
  preEnqueue: PreEnqueuePlugin[];
  queueSort: QueueSortPlugin;
  preFilter: PreFilterPlugin[];
  filter: FilterPlugin[];
  postFilter: PostFilterPlugin[];
  preScore: PreScorePlugin[];
  score: WeightedScorePlugin[];
  reserve: ReservePlugin[];
  permit: PermitPlugin[];
  bind: BindPlugin[];
}
