/**
 * DefaultTolerationSeconds: a new pod that does not already tolerate them gets
 * `node.kubernetes.io/not-ready:NoExecute` and `node.kubernetes.io/unreachable:NoExecute` for 300 s,
 * so the node lifecycle controller evicts it five minutes after its node fails.
 */
import type { Pod, Toleration } from '../../api/types';
import { isMainResource, type AdmissionPlugin } from './types';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const DEFAULT_TOLERATION_SECONDS = 300;

function tolerates(tolerations: Toleration[], key: string): boolean {
  return tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

export const defaultTolerationSeconds: AdmissionPlugin = {
  name: 'DefaultTolerationSeconds',
  admit(attrs) {
    if (!isMainResource(attrs, '', 'pods', 'CREATE') || !attrs.object) return;
    const pod = attrs.object as Pod;
    const tolerations = pod.spec.tolerations ?? [];
    const added: Toleration[] = [];
    for (const key of [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE]) {
      if (!tolerates(tolerations, key)) added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
    }
    if (added.length) pod.spec.tolerations = [...tolerations, ...added];
  },
};
