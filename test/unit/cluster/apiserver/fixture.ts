/** A cluster for API server unit tests: in memory, no HTTPS, a ManualClock, no nodes unless asked. */
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import type { KubeObject, Pod } from '../../../../src/cluster/api/types';
import { PODS } from '../../../../src/cluster/client/client';
import { Informer } from '../../../../src/cluster/client/informer';

export async function startCluster(nodes = 0): Promise<Cluster> {
  return Cluster.start({ clock: new ManualClock(), nodes });
}

/**
 * A synced informer of every pod, as the kubelets' is: each pod write's watch fan-out decodes its
 * object for it. The caller stops it.
 */
export async function podWatcher(cluster: Cluster): Promise<Informer<Pod>> {
  const informer = new Informer<Pod>(cluster.client().resource<Pod>(PODS), {}, cluster.clock);
  informer.start();
  await informer.waitForSync();
  return informer;
}

export function pod(name: string, extra: Partial<Pod['metadata']> = {}, spec: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...extra },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
  };
}

export function configMap(name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KubeObject {
  const metadata: KubeObject['metadata'] = { name, namespace: 'default' };
  if (labels) metadata.labels = labels;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data };
}

/** Secrets for list and watch tests: unlike ConfigMaps (kube-root-ca.crt), no controller creates any. */
export function secret(name: string, data: Record<string, string> = {}, labels?: Record<string, string>): KubeObject {
  const metadata: KubeObject['metadata'] = { name, namespace: 'default' };
  if (labels) metadata.labels = labels;
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return { apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', data: encoded };
}
