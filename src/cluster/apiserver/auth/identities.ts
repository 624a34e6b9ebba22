/** The users the cluster knows (cluster contract, "Identities"). */
import type { UserInfo } from '../types';

export const SYSTEM_MASTERS = 'system:masters';
export const SYSTEM_AUTHENTICATED = 'system:authenticated';
export const SYSTEM_NODES = 'system:nodes';

export const ADMIN: UserInfo = { name: 'kube-sim-admin', groups: [SYSTEM_MASTERS, SYSTEM_AUTHENTICATED] };
export const VIEWER: UserInfo = { name: 'viewer', groups: [SYSTEM_AUTHENTICATED] };
export const SCHEDULER: UserInfo = { name: 'system:kube-scheduler', groups: [SYSTEM_AUTHENTICATED] };
export const CONTROLLER_MANAGER: UserInfo = { name: 'system:kube-controller-manager', groups: [SYSTEM_AUTHENTICATED] };
/** The API server's own writes (seeding, the service account controller). */
export const APISERVER: UserInfo = { name: 'system:apiserver', groups: [SYSTEM_MASTERS, SYSTEM_AUTHENTICATED] };

export function kubeletUser(nodeName: string): UserInfo {
  return { name: `system:node:${nodeName}`, groups: [SYSTEM_NODES, SYSTEM_AUTHENTICATED] };
}
