/**
 * A pod row's status: the STATUS cell `kubectl get pods` prints, computed by the API server's own
 * printer (src/cluster/apiserver/printers/pods.ts, one implementation for kubectl and the tree), and
 * the kind of state it is, which picks the row's icon. Plain Node (no vscode).
 */
import type { Pod } from '../../../cluster/api/types';
import { summarizePod, type PodSummary } from '../../../cluster/apiserver/printers/pods';

export type PodStateKind = 'running' | 'notReady' | 'pending' | 'creating' | 'completed' | 'failing' | 'terminating' | 'unknown';

export interface PodStatusView extends PodSummary {
  kind: PodStateKind;
}

const CREATING = /^(ContainerCreating|PodInitializing|Init:\d+\/\d+)$/;
const FAILING = /^(CrashLoopBackOff|Error|Failed|ErrImagePull|ImagePullBackOff|ErrImageNeverPull|InvalidImageName|OOMKilled|CreateContainerConfigError|CreateContainerError|RunContainerError|ContainerStatusUnknown|Evicted|DeadlineExceeded|OutOf\w+|UnexpectedAdmissionError|Init:(?!\d).*|ExitCode:.*|Signal:.*)$/;

export function podStatusView(pod: Pod): PodStatusView {
  const summary = summarizePod(pod);
  return { ...summary, kind: stateKind(pod, summary) };
}

export function podStatusText(pod: Pod): string {
  return summarizePod(pod).status;
}

function stateKind(pod: Pod, summary: PodSummary): PodStateKind {
  const status = summary.status;
  if (status === 'Terminating') return 'terminating';
  if (status === 'Unknown' || status === 'NodeLost') return 'unknown';
  if (status === 'Completed' || status === 'Succeeded') return 'completed';
  if (FAILING.test(status)) return 'failing';
  if (CREATING.test(status)) return 'creating';
  if (status === 'Running') {
    const [ready, total] = summary.ready.split('/');
    // kubectl's READY counts ready containers; the node lifecycle controller turns only the pod's Ready
    // condition False when its node stops reporting (1/1 still), and such a pod serves no traffic.
    const podReady = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'False';
    return ready === total && podReady ? 'running' : 'notReady';
  }
  if (status === 'NotReady') return 'notReady';
  if (status === 'Pending' || status === 'SchedulingGated') return pod.spec?.nodeName ? 'creating' : 'pending';
  return 'unknown';
}

/** Whether the scheduler has said it cannot place the pod (PodScheduled=False, Unschedulable). */
export function isUnschedulable(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable') ?? false;
}
