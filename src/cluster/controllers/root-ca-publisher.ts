/**
 * kube-controller-manager's root-ca-cert-publisher: every namespace has a ConfigMap
 * `kube-root-ca.crt` with the cluster CA under `ca.crt`. Pods need it: the ServiceAccount
 * admission mounts it in every pod (the kube-api-access-* projected volume), and a pod whose
 * volume source is missing never starts (FailedMount).
 */
import { isStatusError } from '../api/errors';
import type { KubeObject } from '../api/types';
import { CONFIGMAPS, NAMESPACES, type ApiClient } from '../client/client';
import { Informer } from '../client/informer';
import type { Clock } from '../clock';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';

export class RootCACertPublisher {
  private readonly namespaces: Informer<KubeObject>;

  constructor(private readonly client: ApiClient, clock: Clock, private readonly caCertPem: string) {
    this.namespaces = new Informer(client.resource(NAMESPACES), {}, clock);
  }

  async start(): Promise<void> {
    this.namespaces.addHandlers({ onAdd: (ns) => void this.publish(ns), onUpdate: (_old, ns) => void this.publish(ns) });
    this.namespaces.start();
    await this.namespaces.waitForSync();
    await Promise.all(this.namespaces.list().map((ns) => this.publish(ns)));
  }

  stop(): void {
    this.namespaces.stop();
  }

  private async publish(ns: KubeObject): Promise<void> {
    const namespace = ns.metadata.name ?? '';
    if (ns.metadata.deletionTimestamp || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating') return;
    try {
      await this.client.resource(CONFIGMAPS).create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
        data: { 'ca.crt': this.caCertPem },
      }, { namespace });
    } catch (err) {
      if (!isStatusError(err, 'AlreadyExists') && !isStatusError(err, 'Forbidden')) throw err;
    }
  }
}
