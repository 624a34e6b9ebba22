/**
 * SchedulingGates (PreEnqueue): a pod with spec.schedulingGates stays out of the active queue until
 * every gate is removed. The API server sets its PodScheduled=False/SchedulingGated condition.
 */
import type { Pod } from '../../api/types';
import type { PreEnqueuePlugin } from '../framework/interface';
import { Status } from '../framework/status';
import { SCHEDULING_GATES } from './names';

/** The pod's gate names, or [] when it may be scheduled. */
export function schedulingGatesOf(pod: Pod): string[] {
  return (pod.spec.schedulingGates ?? []).map((g) => g.name);
}

export class SchedulingGates implements PreEnqueuePlugin {
  readonly name = SCHEDULING_GATES;

  preEnqueue(pod: Pod): Status {
    const gates = schedulingGatesOf(pod);
    if (gates.length === 0) return Status.success();
    return Status.unresolvable(`waiting for scheduling gates: [${gates.join(' ')}]`);
  }
}
