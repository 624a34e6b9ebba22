/**
 * DefaultPreemption (PostFilter): when a pod fits no node, look for a node where deleting pods of
 * lower priority would make room, choose the node whose victims matter least, and nominate it.
 * The scheduler then deletes the victims (gracefully, with a Preempted event) and records the
 * nomination in status.nominatedNodeName; the pod is retried when they are gone.
 *
 * Messages, as kube-scheduler 1.32 words them, become the FitError's "preemption: …" part:
 * nodes rejected as UnschedulableAndUnresolvable are "Preemption is not helpful for scheduling";
 * nodes without lower-priority pods "No preemption victims found for incoming pod"; nodes where
 * even removing all of them does not help keep the filter's own reason.
 */
import type { CycleState } from '../framework/cycle-state';
import { fitErrorMessage, newDiagnosis } from '../framework/fit-error';
import type { Handle, NodeToStatus, PostFilterPlugin, PostFilterResult } from '../framework/interface';
import type { NodeInfo } from '../framework/node-info';
import { PREEMPTION_REASON, type PodFacts, type PodInfo } from '../framework/pod-info';
import { Code, Status } from '../framework/status';
import { DEFAULT_PREEMPTION } from './names';

export const MSG_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const MSG_NO_VICTIMS = 'No preemption victims found for incoming pod';
export const MSG_POLICY_NEVER = 'not eligible due to preemptionPolicy=Never.';
export const MSG_TERMINATING_ON_NOMINATED = 'not eligible due to a terminating pod on the nominated node.';
/** DisruptionTarget condition written on victims. */
export { PREEMPTION_REASON };
export const preemptionMessage = (schedulerName: string): string => `${schedulerName}: preempting to accommodate a higher priority pod`;

/** DefaultPreemptionArgs defaults. */
export const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
export const MIN_CANDIDATE_NODES_ABSOLUTE = 100;

export interface Candidate {
  nodeName: string;
  victims: PodFacts[];
}

export function calculateNumCandidates(numNodes: number): number {
  let n = Math.trunc((numNodes * MIN_CANDIDATE_NODES_PERCENTAGE) / 100);
  if (n < MIN_CANDIDATE_NODES_ABSOLUTE) n = MIN_CANDIDATE_NODES_ABSOLUTE;
  return Math.min(n, numNodes);
}

/** MoreImportantPod: higher priority, then the one that started earlier. */
function moreImportant(a: PodFacts, b: PodFacts): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return a.startTime - b.startTime;
}

/**
 * The fewest, least important lower-priority pods on `node` whose removal lets the pod fit:
 * remove them all, check, then give back ("reprieve") the most important ones that still fit.
 */
export function selectVictimsOnNode(handle: Handle, state: CycleState, pod: PodInfo, node: NodeInfo): { victims?: PodFacts[]; status: Status } {
  const lower = node.pods.filter((p) => p.priority < pod.priority);
  if (lower.length === 0) return { status: Status.unresolvable(MSG_NO_VICTIMS) };
  const trial = node.clone();
  for (const p of lower) {
    trial.removePod(p.uid);
    handle.runPreFilterExtensionRemovePod(state, pod, p, trial);
  }
  const fits = handle.runFilterPluginsWithNominatedPods(state, pod, trial);
  if (!fits.isSuccess()) return { status: fits };
  const victims: PodFacts[] = [];
  for (const p of [...lower].sort(moreImportant)) {
    trial.addPod(p);
    handle.runPreFilterExtensionAddPod(state, pod, p, trial);
    if (!handle.runFilterPluginsWithNominatedPods(state, pod, trial).isSuccess()) {
      trial.removePod(p.uid);
      handle.runPreFilterExtensionRemovePod(state, pod, p, trial);
      victims.push(p);
    }
  }
  return { victims, status: Status.success() };
}

/** pickOneNodeForPreemption without PDBs: lowest top victim priority, lowest sum, fewest, latest start. */
export function pickOneCandidate(candidates: Candidate[]): Candidate | undefined {
  const sumOffset = 2 ** 31;
  const key = (c: Candidate) => {
    const top = c.victims.length ? Math.max(...c.victims.map((v) => v.priority)) : -Infinity;
    const sum = c.victims.reduce((s, v) => s + v.priority + sumOffset, 0);
    const topStart = Math.max(0, ...c.victims.filter((v) => v.priority === top).map((v) => v.startTime));
    return [top, sum, c.victims.length, -topStart];
  };
  let best: Candidate | undefined;
  let bestKey: number[] = [];
  for (const c of candidates) {
    const k = key(c);
    if (!best || lexLess(k, bestKey)) { best = c; bestKey = k; }
  }
  return best;
}

function lexLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

export class DefaultPreemption implements PostFilterPlugin {
  readonly name = DEFAULT_PREEMPTION;

  constructor(private readonly handle: Handle, private readonly rand: () => number = Math.random) {}

  postFilter(state: CycleState, pod: PodInfo, filtered: NodeToStatus): { status: Status; result?: PostFilterResult } {
    const eligible = this.eligible(pod, filtered);
    if (eligible) return { status: Status.unschedulable(eligible) };
    const all = this.handle.snapshot().nodes;
    const statuses: NodeToStatus = new Map();
    const potential: NodeInfo[] = [];
    for (const n of all) {
      const s = filtered.get(n.name);
      if (s && s.code === Code.UnschedulableAndUnresolvable) statuses.set(n.name, Status.unresolvable(MSG_NOT_HELPFUL));
      else potential.push(n);
    }
    const candidates: Candidate[] = [];
    if (potential.length > 0) {
      const want = calculateNumCandidates(potential.length);
      const offset = Math.floor(this.rand() * potential.length);
      for (let i = 0; i < potential.length && candidates.length < want; i++) {
        const node = potential[(offset + i) % potential.length]!;
        const { victims, status } = selectVictimsOnNode(this.handle, state.clone(), pod, node);
        if (victims) candidates.push({ nodeName: node.name, victims });
        else statuses.set(node.name, status);
      }
    }
    const best = pickOneCandidate(candidates);
    if (!best) {
      const d = newDiagnosis();
      for (const [k, v] of statuses) d.nodeToStatus.set(k, v);
      return { status: Status.unschedulable(`preemption: ${fitErrorMessage(all.length, d)}`) };
    }
    const clearNominations = this.handle.nominatedPodsForNode(best.nodeName).filter((p) => p.priority < pod.priority && p.uid !== pod.uid);
    return { status: Status.success(), result: { nominatedNodeName: best.nodeName, victims: best.victims, clearNominations } };
  }

  /** Why the pod may not preempt, or '' when it may (PodEligibleToPreemptOthers). */
  private eligible(pod: PodInfo, filtered: NodeToStatus): string {
    if (pod.pod.spec.preemptionPolicy === 'Never') return MSG_POLICY_NEVER;
    const nominated = pod.pod.status?.nominatedNodeName;
    if (nominated) {
      if (filtered.get(nominated)?.code === Code.UnschedulableAndUnresolvable) return '';
      const node = this.handle.snapshot().get(nominated);
      if (node?.pods.some((p) => p.priority < pod.priority && p.terminatingByPreemption)) return MSG_TERMINATING_ON_NOMINATED;
    }
    return '';
  }
}
