/**
 * Two writes kube-controller-manager makes to every new Node, which the kubelet leaves out of its
 * registration: the node ipam controller's range allocator gives it `spec.podCIDR`/`podCIDRs`
 * (once, while the Node has none), and the TTL controller sets the `node.alpha.kubernetes.io/ttl`
 * annotation (0 s: Kube Sim keeps the smallest clusters' value at any size). Both are Updates of
 * the Node (not nodes/status) by `kube-controller-manager`, so a 1.32 Node's managedFields show
 * them as that manager's entry beside the kubelet's. Kube Sim makes them one strategic merge patch:
 * the entry is the same, and a Node costs one write instead of two. Five workers write them, as the
 * TTL controller runs five: the 5,000 Nodes of a large start are not 5,000 PATCHes at once (a
 * burst that cost more CPU, in garbage collection, than the same writes five at a time).
 *
 * The CIDR is the one the simulated node's pod addresses come from (`podCIDR`, the node pool's
 * address plan); a Node without a simulated kubelet gets the annotation only.
 */
import type { Node } from '../api/types';
import { NODES, type ApiClient } from '../client/client';
import type { Informer } from '../client/informer';

export const NODE_TTL_ANNOTATION = 'node.alpha.kubernetes.io/ttl';
const NODE_TTL_SECONDS = '0';
/** The TTL controller's workers (kube-controller-manager starts it with 5). */
const WORKERS = 5;

export class NodeIpamController {
  /** Nodes with a patch queued or in flight: their heartbeats meanwhile do not patch again. */
  private readonly pending = new Set<string>();
  private readonly queue: Array<[string, object]> = [];
  private workers = 0;

  constructor(private readonly client: ApiClient, private readonly nodes: Informer<Node>, private readonly podCIDR: (nodeName: string) => string | undefined) {}

  /** Subscribes to the node informer (its owner starts it). */
  start(): void {
    this.nodes.addHandlers({ onAdd: (node) => this.sync(node), onUpdate: (_old, node) => this.sync(node) });
  }

  private sync(node: Node): void {
    const name = node.metadata.name ?? '';
    if (this.pending.has(name) || node.metadata.deletionTimestamp) return;
    const patch: { metadata?: object; spec?: object } = {};
    if (node.metadata.annotations?.[NODE_TTL_ANNOTATION] !== NODE_TTL_SECONDS) patch.metadata = { annotations: { [NODE_TTL_ANNOTATION]: NODE_TTL_SECONDS } };
    const cidr = node.spec?.podCIDR ? undefined : this.podCIDR(name);
    if (cidr) patch.spec = { podCIDR: cidr, podCIDRs: [cidr] };
    if (!patch.metadata && !patch.spec) return;
    this.pending.add(name);
    this.queue.push([name, patch]);
    if (this.workers < WORKERS) { this.workers++; void this.work(); }
  }

  private async work(): Promise<void> {
    for (let next = this.queue.shift(); next; next = this.queue.shift()) {
      const [name, patch] = next;
      // A Node deleted meanwhile needs nothing; other failures are retried on its next update.
      await this.client.resource<Node>(NODES).patchWithWarnings(name, 'strategic', patch).catch(() => undefined);
      this.pending.delete(name);
    }
    this.workers--;
  }
}
