/**
 * Explanations of scheduling attempts: what the UI renders and what the annotations carry.
 * Everything here is plain JSON data (no classes), so it survives the trip through an annotation.
 */

export type Verdict = 'passed' | 'rejected' | 'skipped' | 'not-run';

/** One Filter plugin's verdict on one node. */
export interface FilterVerdict {
  plugin: string;
  verdict: Verdict;
  /** The plugin's reasons, for `rejected`. */
  reason?: string;
  /** Status code name: Unschedulable or UnschedulableAndUnresolvable (preemption can or cannot help). */
  code?: string;
}

/** One Score plugin's score on one node. */
export interface PluginScore {
  plugin: string;
  /** What Score returned. */
  raw: number;
  /** After NormalizeScore, 0..100. */
  normalized: number;
  weight: number;
  /** normalized × weight: what goes into the final score. */
  weighted: number;
}

export interface NodeExplanation {
  node: string;
  feasible: boolean;
  /** In Filter order; plugins after the first rejection are `not-run`. */
  filters: FilterVerdict[];
  /** Feasible nodes only, when scoring ran. */
  scores?: PluginScore[];
  final?: number;
  /** For nodes NodeResourcesFit rejected: what the node has free of each insufficient resource. */
  free?: Record<string, number>;
}

/** Reason histogram entry: how many nodes a plugin rejected with a reason. */
export interface ReasonCount {
  plugin: string;
  reason: string;
  count: number;
}

export type AttemptOutcome = 'Scheduled' | 'Unschedulable' | 'Nominated' | 'Error';

export interface AttemptExplanation {
  /** 1 for the first attempt. */
  attempt: number;
  /** RFC 3339, cluster clock. */
  time: string;
  outcome: AttemptOutcome;
  selectedNode?: string;
  /** Preemption result: the node nominated and the pods deleted to make room. */
  nominatedNode?: string;
  victims?: string[];
  /** The FailedScheduling message (or the Scheduled event's). */
  message: string;
  numAllNodes: number;
  /** How many nodes Filter looked at (percentageOfNodesToScore may stop early). */
  numEvaluated: number;
  numFeasible: number;
  /** A PreFilter plugin that rejected the pod outright. */
  preFilter?: { plugin: string; message: string };
  /** Plugins whose PreFilter/PreScore said Skip (nothing to check for this pod). */
  skippedFilters: string[];
  skippedScores: string[];
  filterHistogram: ReasonCount[];
  /** Per-node detail; for large clusters a sample (see annotations.ts for the rule). */
  nodes: NodeExplanation[];
  /** True when `nodes` does not list every evaluated node. */
  truncated: boolean;
  /** What the pod asked for (cpu in millicores, memory in bytes …), for summaries. */
  podRequests: Record<string, number>;
}

/** What the UI shows for a pod: the latest attempt in full, earlier ones as one-liners. */
export interface PodSchedulingExplanation {
  latest: AttemptExplanation;
  history: { attempt: number; time: string; outcome: AttemptOutcome; selectedNode?: string; message: string }[];
  summary: string;
}
