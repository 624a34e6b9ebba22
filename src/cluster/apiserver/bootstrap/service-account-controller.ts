/**
 * The service account controller (kube-controller-manager's `serviceaccount-controller`, reduced
 * to what Kube Sim needs): every namespace has a ServiceAccount named `default`, created when the
 * namespace appears and again if someone deletes it. An API client like every component.
 */
import { isStatusError } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import { NAMESPACES, SERVICEACCOUNTS, type ApiClient } from '../../client/client';
import { Informer } from '../../client/informer';
import type { Clock } from '../../clock';

export class ServiceAccountController {
  private namespaces: Informer | undefined;
  private accounts: Informer | undefined;
  private stopped = false;

  constructor(private readonly client: ApiClient, private readonly clock: Clock) {}

  async start(): Promise<void> {
    this.namespaces = new Informer(this.client.resource(NAMESPACES), {}, this.clock);
    this.accounts = new Informer(this.client.resource(SERVICEACCOUNTS), { fieldSelector: 'metadata.name=default' }, this.clock);
    this.namespaces.addHandlers({ onAdd: (ns) => this.ensure(ns), onUpdate: (_old, ns) => this.ensure(ns) });
    this.accounts.addHandlers({
      onDelete: (sa) => {
        const ns = this.namespaces?.get(sa.metadata.namespace ?? '');
        if (ns) this.ensure(ns);
      },
    });
    this.accounts.start();
    await this.accounts.waitForSync();
    this.namespaces.start();
    await this.namespaces.waitForSync();
  }

  stop(): void {
    this.stopped = true;
    this.namespaces?.stop();
    this.accounts?.stop();
  }

  private ensure(namespace: KubeObject): void {
    const name = namespace.metadata.name ?? '';
    if (this.stopped || !name || namespace.metadata.deletionTimestamp) return;
    if (this.accounts?.get(`${name}/default`)) return;
    this.client
      .resource(SERVICEACCOUNTS)
      .create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } })
      .catch((err: unknown) => {
        // AlreadyExists: someone was first. NotFound: the namespace went away meanwhile. Anything
        // else (the server is stopping) is retried by the next namespace update.
        void isStatusError(err);
      });
  }
}
