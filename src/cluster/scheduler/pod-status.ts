/**
 * Writes the scheduler makes to a pod besides the binding: the PodScheduled condition, the
 * nominated node, the DisruptionTarget condition on preemption victims, and the explanation
 * annotations — one pods/status write each time.
 *
 * Sent as a strategic merge patch (conditions merge by type), as kube-scheduler does; if the
 * server does not offer PATCH on pods/status it falls back to read-modify-PUT with a few retries.
 */
import { isStatusError } from '../api/errors';
import type { Pod, PodCondition } from '../api/types';
import { PODS, type ApiClient } from '../client/client';

export interface PodStatusChange {
  condition?: PodCondition;
  /** A node name to nominate, or null to clear the nomination. */
  nominatedNodeName?: string | null;
  annotations?: Record<string, string>;
}

/** Whether setting `c` changes the pod (kube-scheduler's podutil.UpdatePodCondition test). */
export function conditionChanged(pod: Pod, c: PodCondition): boolean {
  const old = (pod.status?.conditions ?? []).find((x) => x.type === c.type);
  return !old || old.status !== c.status || old.reason !== c.reason || old.message !== c.message;
}

/** The condition with lastTransitionTime kept when the status did not change. */
export function withTransitionTime(pod: Pod, c: PodCondition, now: string): PodCondition {
  const old = (pod.status?.conditions ?? []).find((x) => x.type === c.type);
  return { ...c, lastProbeTime: null, lastTransitionTime: old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now };
}

export async function patchPodStatus(client: ApiClient, pod: Pod, change: PodStatusChange): Promise<void> {
  const name = pod.metadata.name ?? '';
  const namespace = pod.metadata.namespace ?? 'default';
  const patch: Record<string, unknown> = { metadata: { uid: pod.metadata.uid, ...(change.annotations ? { annotations: change.annotations } : {}) } };
  const status: Record<string, unknown> = {};
  if (change.condition) status.conditions = [change.condition];
  if (change.nominatedNodeName !== undefined) status.nominatedNodeName = change.nominatedNodeName;
  patch.status = status;
  try {
    await client.resource<Pod>(PODS).patch(name, 'strategic', patch, { namespace, subresource: 'status' });
    return;
  } catch (err) {
    if (!isStatusError(err) || ![405, 415, 501].includes(err.code)) throw err;
  }
  for (let attempt = 0; ; attempt++) {
    const live = await client.resource<Pod>(PODS).get(name, { namespace });
    if (pod.metadata.uid && live.metadata.uid !== pod.metadata.uid) return;
    live.status = live.status ?? {};
    if (change.condition) {
      const conditions = (live.status.conditions ?? []).filter((c) => c.type !== change.condition!.type);
      conditions.push(change.condition);
      live.status.conditions = conditions;
    }
    if (change.nominatedNodeName === null) delete live.status.nominatedNodeName;
    else if (change.nominatedNodeName !== undefined) live.status.nominatedNodeName = change.nominatedNodeName;
    if (change.annotations) live.metadata.annotations = { ...(live.metadata.annotations ?? {}), ...change.annotations };
    try {
      await client.resource<Pod>(PODS).update(live, { namespace, subresource: 'status' });
      return;
    } catch (err) {
      if (!isStatusError(err, 'Conflict') || attempt >= 4) throw err;
    }
  }
}
