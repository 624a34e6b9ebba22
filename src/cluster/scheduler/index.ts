/**
 * What the rest of Kube Sim uses from the scheduler: the Scheduler (started by Cluster.start, at
 * `cluster.scheduler`), its dry-run `explainPlacement(pod)`, and the explanation format the UI
 * renders — read from a pod's annotations with `readExplanation`, described in explain/types.ts
 * and explain/annotations.ts.
 */
export { Scheduler, DEFAULT_SCHEDULER_NAME, PRIORITY_CLASSES, type SchedulerOptions, type SchedulerStats } from './scheduler';
export { withPlacementExplanations, EXPLAIN_PLACEMENT_ANNOTATION, EXPLAIN_PLACEMENT_HEADER } from './explain-placement';
export {
  ANNOTATION_PREFIX, EXPLANATION, FILTER_HISTOGRAM, FILTER_RESULT, FINAL_SCORE_RESULT, RESULT_HISTORY, SCORE_RESULT, SELECTED_NODE, SUMMARY,
  explanationAnnotations, readExplanation,
} from './explain/annotations';
export { summarize } from './explain/summary';
export type { AttemptExplanation, AttemptOutcome, FilterVerdict, NodeExplanation, PluginScore, PodSchedulingExplanation, ReasonCount, Verdict } from './explain/types';
