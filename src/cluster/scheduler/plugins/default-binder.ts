/**
 * DefaultBinder (Bind): POST pods/binding with the pod's namespace, name and uid (no
 * resourceVersion), exactly as kube-scheduler's binder does.
 */
import type { Pod } from '../../api/types';
import type { ApiClient } from '../../client/client';
import { PODS } from '../../client/client';
import type { CycleState } from '../framework/cycle-state';
import type { BindPlugin } from '../framework/interface';
import { Status } from '../framework/status';
import { DEFAULT_BINDER } from './names';

/** Cycle-state key under which the scheduler leaves annotations for the Binding to carry (explanations). */
export const BINDING_ANNOTATIONS_KEY = 'kube-sim/binding-annotations';

export function bindingFor(pod: Pod, nodeName: string, annotations?: Record<string, string>): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid, ...(annotations ? { annotations } : {}) },
    target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
  };
}

export class DefaultBinder implements BindPlugin {
  readonly name = DEFAULT_BINDER;

  constructor(private readonly client: ApiClient) {}

  async bind(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    try {
      const annotations = state.read<Record<string, string>>(BINDING_ANNOTATIONS_KEY);
      await this.client.resource(PODS).createSubresource(pod.metadata.name ?? '', 'binding', bindingFor(pod, nodeName, annotations), { namespace: pod.metadata.namespace ?? 'default' });
      return Status.success();
    } catch (err) {
      return Status.error(err instanceof Error ? err.message : String(err));
    }
  }
}
