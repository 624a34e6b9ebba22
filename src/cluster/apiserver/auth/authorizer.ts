/**
 * Authorization, a fixed policy in the spirit of kube-apiserver's RBAC defaults:
 * - `system:masters` (the admin), the scheduler, the controller manager and kubelets may do anything;
 * - every authenticated user may read the non-resource endpoints (discovery, /version, /openapi,
 *   health), as system:discovery and system:public-info-viewer allow;
 * - `viewer`, and any other user, may only read resources (get, list, watch), and not run anything
 *   in a pod (pods/exec, attach, portforward, proxy);
 * - service accounts may read no resource: a fresh cluster binds them no role.
 * A denial is a 403 worded exactly as kube-apiserver words it.
 */
import { forbidden, statusFailure, StatusError } from '../../api/errors';
import type { RequestInfo } from '../request-info';
import type { UserInfo } from '../types';
import { SYSTEM_MASTERS, SYSTEM_NODES } from './identities';
import { SYSTEM_SERVICE_ACCOUNTS } from './service-account-tokens';

const READ_VERBS = new Set(['get', 'list', 'watch']);
const SELF_REVIEWS = new Set(['selfsubjectaccessreviews', 'selfsubjectrulesreviews']);
const FULL_ACCESS_USERS = new Set(['system:kube-scheduler', 'system:kube-controller-manager', 'system:apiserver']);

function mayDoAnything(user: UserInfo): boolean {
  return user.groups.includes(SYSTEM_MASTERS) || user.groups.includes(SYSTEM_NODES) || FULL_ACCESS_USERS.has(user.name);
}

/**
 * pods/exec, attach, portforward and proxy reach into the workload: the `view` role grants none of
 * them, whatever the verb (kubectl's WebSocket exec is a GET, its SPDY fallback a POST).
 */
function runsSomething(info: RequestInfo): boolean {
  return info.apiGroup === '' && info.resource === 'pods' && POD_ACCESS_SUBRESOURCES.has(info.subresource);
}
const POD_ACCESS_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy']);

/** Whether `user` may do what `info` describes (undefined) or the 403 to answer. */
export function authorize(user: UserInfo, info: RequestInfo): StatusError | undefined {
  if (mayDoAnything(user)) return undefined;
  if (!info.isResourceRequest) {
    if (info.verb === 'get' || info.verb === 'head') return undefined;
    return statusFailure(403, 'Forbidden', `forbidden: User "${user.name}" cannot ${info.verb} path "${info.path}"`, {});
  }
  if (READ_VERBS.has(info.verb) && !user.groups.includes(SYSTEM_SERVICE_ACCOUNTS) && !runsSomething(info)) return undefined;
  // Everyone may ask what they may do and who they are (system:basic-user): `kubectl auth can-i`, `kubectl auth whoami`.
  if (info.verb === 'create' && info.apiGroup === 'authorization.k8s.io' && SELF_REVIEWS.has(info.resource)) return undefined;
  if (info.verb === 'create' && info.apiGroup === 'authentication.k8s.io' && info.resource === 'selfsubjectreviews') return undefined;
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  // kube-apiserver names the namespace for namespaced requests and "the cluster scope" otherwise.
  const scope = info.namespace ? `in the namespace "${info.namespace}"` : 'at the cluster scope';
  const why = `User "${user.name}" cannot ${info.verb} resource "${resource}" in API group "${info.apiGroup}" ${scope}`;
  return forbidden({ group: info.apiGroup, resource: info.resource }, info.name, why);
}
