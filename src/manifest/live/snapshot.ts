/**
 * What live hovers and runtime diagnostics read of the cluster: nodes, pods and core/v1 events, listed
 * through any ApiClient (the in-process one in the extension, or HTTPS). Hovers answer from a
 * snapshot synchronously; the editor refreshes the snapshot when the cluster changes.
 */
import type { KubeObject, Node, Pod } from '../../cluster/api/types';
import { EVENTS, NODES, PODS, type ApiClient } from '../../cluster/client/client';

export interface CoreEvent extends KubeObject {
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
}

export interface ClusterSnapshot {
  nodes: Node[];
  pods: Pod[];
  events: CoreEvent[];
}

export async function takeSnapshot(client: ApiClient): Promise<ClusterSnapshot> {
  const [nodes, pods, events] = await Promise.all([
    client.resource<Node>(NODES).list(),
    client.resource<Pod>(PODS).list(),
    client.resource<CoreEvent>(EVENTS).list(),
  ]);
  return { nodes: nodes.items, pods: pods.items, events: events.items };
}
