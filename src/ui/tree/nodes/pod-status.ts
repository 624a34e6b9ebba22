/**
 * A one-word status for a pod row, close to what `kubectl get pods` shows in STATUS: a waiting or
 * terminated container's reason (ContainerCreating, CrashLoopBackOff, Error) wins over the phase.
 * Plain Node (no vscode).
 */
import type { Pod } from '../../../cluster/api/types';

export type PodHealth = 'ok' | 'progressing' | 'failing' | 'done';

export function podStatusText(pod: Pod): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  if (pod.status?.reason) return pod.status.reason;
  for (const status of pod.status?.containerStatuses ?? []) {
    const reason = status.state?.waiting?.reason ?? status.state?.terminated?.reason;
    if (reason) return reason;
  }
  const phase = pod.status?.phase ?? 'Pending';
  if (phase === 'Pending' && !pod.spec?.nodeName) {
    const unschedulable = pod.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
    if (unschedulable) return 'Unschedulable';
  }
  return phase;
}

const FAILING = new Set(['CrashLoopBackOff', 'Error', 'ErrImagePull', 'ImagePullBackOff', 'OOMKilled', 'Failed', 'Unschedulable', 'CreateContainerConfigError', 'InvalidImageName', 'Evicted']);

export function podHealth(pod: Pod): PodHealth {
  const text = podStatusText(pod);
  if (FAILING.has(text)) return 'failing';
  if (text === 'Running') return 'ok';
  if (text === 'Succeeded' || text === 'Completed') return 'done';
  return 'progressing';
}
