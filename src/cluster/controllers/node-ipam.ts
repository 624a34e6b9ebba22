/**
 * Two writes kube-controller-manager makes to every new Node, which the kubelet leaves out of its
 * registration: the node ipam controller's range allocator gives it `spec.podCIDR`/`podCIDRs`
 * (once, while the Node has none), and the TTL controller sets the `node.alpha.kubernetes.io/ttl`
 * annotation (0 s: Kube Sim keeps the smallest clusters' value at any size). Both are Updates of
 * the Node (not nodes/status) by `kube-controller-manager`, so a 1.32 Node's managedFields show
 * them as that manager's entry beside the kubelet's. Kube Sim makes them one strategic merge patch:
 * the entry is the same, and a Node costs one write instead of two.
 *
 * The CIDR is the one the simulated node's pod addresses come from (`podCIDR`, the node pool's
 * address plan); a Node without a simulated kubelet gets the annotation only.
 */
import type { Node } from '../api/types';
import { NODES, type ApiClient } from '../client/client';
import type { Informer } from '../client/informer';

export const NODE_TTL_ANNOTATION = 'node.alpha.kubernetes.io/ttl';
const NODE_TTL_SECONDS = '0';

export class NodeIpamController {
  /** Nodes with a patch in flight: their heartbeats meanwhile do not patch again. */
  private readonly pending = new Set<string>();

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
    void this.client.resource<Node>(NODES).patchWithWarnings(name, 'strategic', patch)
      // A Node deleted meanwhile needs nothing; other failures are retried on its next update.
      .catch(() => undefined)
      .finally(() => this.pending.delete(name));
  }
}
