/**
 * Every resource the API server serves, in discovery order (kube-apiserver lists core/v1 first,
 * then groups). The generic registry, discovery and `kubectl get` read these definitions.
 */
import type { ResourceDefinition } from '../resource';
import { bindings } from './bindings';
import { configmaps } from './configmaps';
import { deployments } from './deployments';
import { events } from './events';
import { eventsV1 } from './events-v1';
import { leases } from './leases';
import { namespaces } from './namespaces';
import { nodes } from './nodes';
import { pods } from './pods';
import { priorityclasses } from './priorityclasses';
import { replicasets } from './replicasets';
import { secrets } from './secrets';
import { selfSubjectAccessReviews } from './selfsubjectaccessreviews';
import { selfSubjectReviews } from './selfsubjectreviews';
import { serviceaccounts } from './serviceaccounts';
import { services } from './services';

export const allResources: ResourceDefinition[] = [
  bindings,
  configmaps,
  events,
  namespaces,
  nodes,
  pods,
  secrets,
  serviceaccounts,
  services,
  leases,
  eventsV1,
  selfSubjectAccessReviews,
  selfSubjectReviews,
  priorityclasses,
  deployments,
  replicasets,
];

export { bindPod, validateBinding } from './bindings';
export { toCoreEvent, fromCoreEvent } from './events-v1';
export { builtInPriorityClassObjects } from './priorityclasses';
export { allocateClusterIP, KUBERNETES_SERVICE_IP, SERVICE_CIDR } from './services';
