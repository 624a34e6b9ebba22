/**
 * TaintNodesByCondition: a newly registered Node gets `node.kubernetes.io/not-ready:NoSchedule`
 * until the node lifecycle controller sees it Ready and removes the taint. Not in the default
 * chain (see index.ts): only enable it together with a controller that removes the taint.
 */
import type { Node } from '../../api/types';
import { isMainResource, type AdmissionPlugin } from './types';
import { TAINT_NODE_NOT_READY } from './default-toleration-seconds';

export const taintNodesByCondition: AdmissionPlugin = {
  name: 'TaintNodesByCondition',
  admit(attrs) {
    if (!isMainResource(attrs, '', 'nodes', 'CREATE') || !attrs.object) return;
    const node = attrs.object as Node;
    node.spec = node.spec ?? {};
    const taints = node.spec.taints ?? [];
    if (!taints.some((t) => t.key === TAINT_NODE_NOT_READY && t.effect === 'NoSchedule')) {
      node.spec.taints = [...taints, { key: TAINT_NODE_NOT_READY, effect: 'NoSchedule' }];
    }
  },
};
