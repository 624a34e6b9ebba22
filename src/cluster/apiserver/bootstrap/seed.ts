/**
 * What every cluster starts with, created through the API like any other object (so it shows in
 * the audit trail): the four system namespaces, the `kubernetes` service in `default`, and the
 * built-in PriorityClasses (system-node-critical, system-cluster-critical) kube-apiserver creates.
 * Existing objects are left alone, so a restarted durable cluster seeds nothing twice.
 */
import { isStatusError } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import { NAMESPACES, SERVICES, type ApiClient, type GroupVersionResource } from '../../client/client';
import { builtInPriorityClassObjects, KUBERNETES_SERVICE_IP } from '../registry/kinds';

const PRIORITY_CLASSES: GroupVersionResource = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' };

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

async function ensure(client: ApiClient, gvr: GroupVersionResource, object: KubeObject): Promise<void> {
  try {
    await client.resource(gvr).create(object);
  } catch (err) {
    if (!isStatusError(err, 'AlreadyExists')) throw err;
  }
}

export async function seedCluster(client: ApiClient): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    await ensure(client, NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  await ensure(client, SERVICES, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      clusterIP: KUBERNETES_SERVICE_IP,
      clusterIPs: [KUBERNETES_SERVICE_IP],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
    },
  });
  for (const pc of builtInPriorityClassObjects()) await ensure(client, PRIORITY_CLASSES, pc);
}
