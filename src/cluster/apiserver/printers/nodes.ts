/** `kubectl get nodes`: STATUS from the Ready condition plus SchedulingDisabled, ROLES from node-role labels. */
import type { Node } from '../../api/types';
import type { TableConvertor } from '../registry/resource';
import { translateTimestampSince } from './age';
import { ageColumn, column, nameColumn } from './columns';
import { doc } from './descriptions';

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
const NODE_ROLE_LABEL = 'kubernetes.io/role';

export function nodeStatus(node: Node): string {
  const statuses: string[] = [];
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready) statuses.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else statuses.push('Unknown');
  if (node.spec?.unschedulable) statuses.push('SchedulingDisabled');
  return statuses.join(',');
}

export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith(NODE_ROLE_PREFIX)) {
      const role = key.slice(NODE_ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === NODE_ROLE_LABEL && value) roles.add(value);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function address(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address || '<none>';
}

export const nodeTable: TableConvertor = {
  columns: [
    nameColumn(),
    column('Status', 'The status of the node'),
    column('Roles', 'The roles of the node'),
    ageColumn(),
    column('Version', doc.kubeletVersion),
    column('Internal-IP', doc.addresses, { priority: 1 }),
    column('External-IP', doc.addresses, { priority: 1 }),
    column('OS-Image', doc.osImage, { priority: 1 }),
    column('Kernel-Version', doc.kernelVersion, { priority: 1 }),
    column('Container-Runtime', doc.containerRuntimeVersion, { priority: 1 }),
  ],
  cells(object, now) {
    const node = object as Node;
    const info = node.status?.nodeInfo ?? {};
    return [
      node.metadata.name ?? '',
      nodeStatus(node),
      nodeRoles(node),
      translateTimestampSince(node.metadata.creationTimestamp, now),
      info.kubeletVersion ?? '',
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ];
  },
};
