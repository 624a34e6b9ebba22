/**
 * The taint eviction controller's index of pods by node (keys only: the pod is read from the
 * informer when needed). An informer that relists reports a pod deleted and created again under
 * the same name as an update of the name, on whatever node the new one is: a node's taints must
 * not reach a pod of that name on another node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from '../../../../src/cluster/api/types';
import { ManualClock } from '../../../../src/cluster/clock';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { ApiServer } from '../../../../src/cluster/apiserver/server';
import { allResources } from '../../../../src/cluster/apiserver/registry/kinds';
import { inProcessTransport } from '../../../../src/cluster/apiserver/transport/in-process';
import { ApiClient } from '../../../../src/cluster/client/client';
import type { Informer, InformerHandlers } from '../../../../src/cluster/client/informer';
import { TaintEvictionController } from '../../../../src/cluster/controllers/taint-eviction';

/** What the controller reads of an informer, driven by the test. */
class FakeInformer<T extends { metadata: { name?: string; namespace?: string } }> {
  readonly handlers: InformerHandlers<T>[] = [];
  readonly objects = new Map<string, T>();
  addHandlers(h: InformerHandlers<T>): () => void { this.handlers.push(h); return () => {}; }
  get(key: string): T | undefined { return this.objects.get(key); }
  list(): T[] { return [...this.objects.values()]; }
  upsert(object: T): void {
    const key = object.metadata.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : object.metadata.name!;
    const old = this.objects.get(key);
    this.objects.set(key, object);
    for (const h of this.handlers) old ? h.onUpdate?.(old, object) : h.onAdd?.(object);
  }
}

const node = (name: string, tainted: boolean): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: tainted ? { taints: [{ key: 'example.com/maintenance', effect: 'NoExecute' }] } : {} });
const pod = (uid: string, nodeName: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'default', uid }, spec: { nodeName, containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });

test('a node\'s taints do not evict the pod that now has the name of one of its pods, on another node', async () => {
  const clock = new ManualClock();
  const server = new ApiServer({ kv: new MemoryStore(), clock, resources: allResources });
  const client = new ApiClient(inProcessTransport(server), { name: 'system:admin', groups: ['system:masters'] });
  const nodes = new FakeInformer<Node>();
  const pods = new FakeInformer<Pod>();
  const controller = new TaintEvictionController(client, clock, nodes as unknown as Informer<Node>, pods as unknown as Informer<Pod>);
  controller.start();
  try {
    nodes.upsert(node('node-1', false));
    nodes.upsert(node('node-2', true));
    nodes.upsert(node('node-2', false)); // the controller has seen a taint: it indexes pods by node from now on
    pods.upsert(pod('uid-old', 'node-1'));
    // Deleted and created again on node-2, seen through a relist: an update of the name.
    pods.upsert(pod('uid-new', 'node-2'));
    nodes.upsert(node('node-1', true));
    const evictions: string[] = [];
    const original = (controller as unknown as { evict(k: string): Promise<void> }).evict;
    (controller as unknown as { evict(k: string): Promise<void> }).evict = async (k: string) => { evictions.push(k); };
    await clock.advance(1_000);
    (controller as unknown as { evict: unknown }).evict = original;
    assert.deepEqual(evictions, []);
  } finally {
    controller.stop();
  }
});
