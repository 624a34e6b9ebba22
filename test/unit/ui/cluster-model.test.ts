import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Pod } from '../../../src/cluster/api/types';
import { Cluster } from '../../../src/cluster/cluster';
import { ManualClock } from '../../../src/cluster/clock';
import { PODS } from '../../../src/cluster/client/client';
import { ClusterModel, naturalCompare } from '../../../src/ui/cluster-model';

let cluster: Cluster;
let clock: ManualClock;
let model: ClusterModel;

before(async () => {
  clock = new ManualClock();
  cluster = await Cluster.start({ clock, nodes: 3 });
  model = new ClusterModel(cluster.client());
  model.start();
  await model.waitForSync();
});

after(async () => {
  model.stop();
  await cluster.stop();
});

test('node names sort naturally: node-2 before node-10', () => {
  assert.deepEqual(['node-10', 'node-2', 'node-1'].sort(naturalCompare), ['node-1', 'node-2', 'node-10']);
});

test('after the first lists, the model holds the nodes the cluster started with', () => {
  assert.equal(model.hasSynced, true);
  assert.deepEqual(model.nodeList().map((n) => n.metadata.name), ['node-1', 'node-2', 'node-3']);
});

test('a created pod reaches the model through the informer, and listeners hear of it', async () => {
  let changes = 0;
  const unsubscribe = model.onDidChange(() => changes++);
  const created = await cluster.client().resource<Pod>(PODS).create({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'seen', namespace: 'default' },
    spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
  });
  const seen = await model.whenPodSeen('default', 'seen', created.metadata.uid);
  unsubscribe();
  assert.equal(seen.metadata.uid, created.metadata.uid);
  assert.ok(changes > 0);
  const pod = model.pod('default', 'seen')!;
  const where = pod.spec.nodeName ? model.podsOn(pod.spec.nodeName) : model.pendingPods();
  assert.deepEqual(where.map((p) => p.metadata.name), ['seen'], 'listed under its node, or Pending until bound');
});

test('once the scheduler binds the pod, it is listed under its node and no longer Pending', async () => {
  await clock.advance(5_000);
  const pod = model.pod('default', 'seen')!;
  assert.ok(pod.spec.nodeName, 'bound by the scheduler');
  assert.deepEqual(model.podsOn(pod.spec.nodeName!).map((p) => p.metadata.name), ['seen']);
  assert.deepEqual(model.pendingPods().map((p) => p.metadata.name), []);
});
