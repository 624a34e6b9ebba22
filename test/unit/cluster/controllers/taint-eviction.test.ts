import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { EVENTS, NODES, PODS, type ResourceClient } from '../../../../src/cluster/client/client';
import type { Node, Pod } from '../../../../src/cluster/api/types';

const MAINTENANCE = { key: 'example.com/maintenance', effect: 'NoExecute' as const };

function podOn(name: string, nodeName: string): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { nodeName, tolerations: [{ ...MAINTENANCE, operator: 'Exists', tolerationSeconds: 60 }], containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
  };
}

const deleted = async (pods: ResourceClient<Pod>, name: string) => {
  const found = await pods.list({ namespace: 'default', fieldSelector: `metadata.name=${name}` });
  return found.items.length === 0 || found.items[0]!.metadata.deletionTimestamp !== undefined;
};

test('a NoExecute taint evicts the pods already there and those that arrive later when their toleration runs out, unless it goes first', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 2 });
  try {
    const nodes = cluster.client().resource<Node>(NODES);
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(podOn('early', 'node-1'));
    await pods.create(podOn('rescued', 'node-2'));
    await clock.advance(10_000);
    for (const name of ['node-1', 'node-2']) await nodes.patch(name, 'merge', { spec: { taints: [MAINTENANCE] } });
    await clock.advance(1_000);
    await pods.create(podOn('late', 'node-1'));
    await clock.advance(30_000);
    assert.equal(await deleted(pods, 'early'), false, 'tolerated for 60 s');
    await nodes.patch('node-2', 'merge', { spec: { taints: null } });
    await clock.advance(40_000);
    assert.equal(await deleted(pods, 'early'), true, 'toleration ran out on a node still tainted');
    assert.equal(await deleted(pods, 'late'), true, 'the same for a pod that came after the taint');
    assert.equal(await deleted(pods, 'rescued'), false, 'the taint went in time');
    const events = (await cluster.client().resource(EVENTS).list({ namespace: 'default' })).items
      .filter((e: any) => e.source?.component === 'taint-eviction-controller').map((e: any) => `${e.involvedObject.name} ${e.message}`).sort();
    assert.deepEqual(events, ['early Marking for deletion Pod default/early', 'late Marking for deletion Pod default/late', 'rescued Cancelling deletion of Pod default/rescued']);
  } finally {
    await cluster.stop();
  }
});
