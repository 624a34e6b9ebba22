/**
 * Pod indexes more than one component puts on its pod informer (each informer has its own index:
 * an index is a Set entry per pod, so a component adds only the ones it reads).
 */
import type { Pod } from '../api/types';

/** A node's pods: the index value is spec.nodeName; a pod not bound yet is not in the index. */
export const PODS_BY_NODE = 'spec.nodeName';

export function podNodeName(pod: Pod): string[] {
  const node = pod.spec?.nodeName;
  return node ? [node] : [];
}
