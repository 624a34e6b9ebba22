/**
 * The kubeconfig the cluster writes for outside clients: one cluster entry (server URL + CA data),
 * two users (the admin's and the viewer's bearer tokens) and two contexts, `kube-sim` (admin,
 * current) and `kube-sim-viewer`. Written with mode 0600 because it carries credentials.
 */
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export const CLUSTER_NAME = 'kube-sim';
export const ADMIN_CONTEXT = 'kube-sim';
export const VIEWER_CONTEXT = 'kube-sim-viewer';

export interface KubeconfigInput {
  server: string;
  caCertPem: string;
  adminToken: string;
  viewerToken: string;
}

export function kubeconfigObject(input: KubeconfigInput): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': ADMIN_CONTEXT,
    clusters: [
      { name: CLUSTER_NAME, cluster: { server: input.server, 'certificate-authority-data': Buffer.from(input.caCertPem).toString('base64') } },
    ],
    users: [
      { name: 'kube-sim-admin', user: { token: input.adminToken } },
      { name: 'kube-sim-viewer', user: { token: input.viewerToken } },
    ],
    contexts: [
      { name: ADMIN_CONTEXT, context: { cluster: CLUSTER_NAME, user: 'kube-sim-admin', namespace: 'default' } },
      { name: VIEWER_CONTEXT, context: { cluster: CLUSTER_NAME, user: 'kube-sim-viewer', namespace: 'default' } },
    ],
  };
}

/** Writes atomically (temp file + rename) so a reader never sees half a kubeconfig. */
export function writeKubeconfig(path: string, input: KubeconfigInput): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, stringify(kubeconfigObject(input)), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
