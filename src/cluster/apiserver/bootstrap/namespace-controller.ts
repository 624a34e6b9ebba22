/**
 * The namespace controller (kube-controller-manager's `namespace-controller`, reduced to what Kube
 * Sim serves): a namespace marked for deletion (phase Terminating) has its content deleted, pods
 * gracefully as any client's delete would (their kubelets finish them), and once nothing is left it
 * loses the `kubernetes` finalizer through `namespaces/finalize`, which removes it. Until then
 * NamespaceLifecycle admission refuses new content. An API client like every component.
 */
import { isStatusError } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import { NAMESPACES, type ApiClient, type GroupVersionResource } from '../../client/client';
import { Informer } from '../../client/informer';
import type { Clock, Timer } from '../../clock';
import { FINALIZER_KUBERNETES } from '../registry/kinds/namespaces';

/** How long to wait (cluster time) before looking again at a namespace whose content is still going. */
const RECHECK_MS = 1000;

export class NamespaceController {
  private namespaces: Informer | undefined;
  private stopped = false;
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly timers = new Map<string, Timer>();

  /** `resources`: the namespaced resources to empty (listable and deletable). */
  constructor(private readonly client: ApiClient, private readonly clock: Clock, private readonly resources: GroupVersionResource[]) {}

  async start(): Promise<void> {
    this.namespaces = new Informer(this.client.resource(NAMESPACES), {}, this.clock);
    this.namespaces.addHandlers({ onAdd: (ns) => this.enqueue(ns), onUpdate: (_old, ns) => this.enqueue(ns) });
    this.namespaces.start();
    await this.namespaces.waitForSync();
  }

  stop(): void {
    this.stopped = true;
    this.namespaces?.stop();
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  private enqueue(namespace: KubeObject): void {
    const name = namespace.metadata.name ?? '';
    if (this.stopped || !name || !namespace.metadata.deletionTimestamp) return;
    if (this.running.has(name)) {
      this.again.add(name);
      return;
    }
    this.running.add(name);
    void this.sync(name)
      .catch(() => this.recheck(name)) // the server is stopping, or a write raced: look again later
      .finally(() => {
        this.running.delete(name);
        if (this.again.delete(name)) {
          const ns = this.namespaces?.get(name);
          if (ns) this.enqueue(ns);
        }
      });
  }

  private recheck(name: string): void {
    if (this.stopped || this.timers.has(name)) return;
    this.timers.set(name, this.clock.setTimer(RECHECK_MS, () => {
      this.timers.delete(name);
      const ns = this.namespaces?.get(name);
      if (ns) this.enqueue(ns);
    }));
  }

  private async sync(name: string): Promise<void> {
    let remaining = 0;
    for (const gvr of this.resources) {
      const api = this.client.resource(gvr);
      const list = await api.list({ namespace: name });
      for (const item of list.items) {
        remaining++;
        if (item.metadata.deletionTimestamp) continue;
        try {
          await api.delete(item.metadata.name ?? '', { namespace: name });
        } catch (err) {
          if (!isStatusError(err, 'NotFound')) throw err;
        }
      }
    }
    if (remaining > 0) {
      // Deleted now, or terminating (pods, finalizers): check that it is all gone.
      this.recheck(name);
      return;
    }
    const api = this.client.resource(NAMESPACES);
    let ns: KubeObject;
    try {
      ns = await api.get(name);
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return;
      throw err;
    }
    const spec = (ns.spec ?? {}) as { finalizers?: string[] };
    if (!spec.finalizers?.includes(FINALIZER_KUBERNETES)) return;
    const finalized = { ...ns, spec: { ...spec, finalizers: spec.finalizers.filter((f) => f !== FINALIZER_KUBERNETES) } };
    try {
      await api.update(finalized, { subresource: 'finalize' });
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }
}
