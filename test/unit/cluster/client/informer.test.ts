import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeList, KubeObject } from '../../../../src/cluster/api/types';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { ApiClient, NODES, type GroupVersionResource, type ResourceClient } from '../../../../src/cluster/client/client';
import type { ApiResponse } from '../../../../src/cluster/apiserver/types';
import { Informer } from '../../../../src/cluster/client/informer';

/** A resource whose list answers `items()` at that moment and whose watch never says anything. */
function fakeResource(gvr: GroupVersionResource, items: () => KubeObject[]): ResourceClient<KubeObject> {
  return {
    gvr,
    list: async (): Promise<KubeList<KubeObject>> => ({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '100' }, items: items() }),
    watch: () => ({ stop: () => undefined }),
  } as unknown as ResourceClient<KubeObject>;
}

const CONFIGMAPS: GroupVersionResource = { group: '', version: 'v1', resource: 'configmaps' };
const object = (name: string, resourceVersion: string, uid = `uid-${name}`): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', uid, resourceVersion } });

async function started(resource: ResourceClient<KubeObject>): Promise<Informer> {
  const informer = new Informer(resource).start();
  await informer.waitForSync();
  return informer;
}

test('a list keeps the object another running informer of the resource holds at the same uid and resourceVersion', async () => {
  let version = '7';
  const fresh = () => [object('a', version), object('b', '3')];
  const first = await started(fakeResource(CONFIGMAPS, fresh));
  const second = await started(fakeResource(CONFIGMAPS, fresh));
  try {
    assert.equal(second.get('default/a'), first.get('default/a'), 'one object for both');
    assert.equal(second.get('default/b'), first.get('default/b'));

    version = '8';
    const newer = await started(fakeResource(CONFIGMAPS, fresh));
    assert.notEqual(newer.get('default/a'), first.get('default/a'), 'another resourceVersion is another object');
    assert.equal(newer.get('default/a')!.metadata.resourceVersion, '8');
    assert.equal(newer.get('default/b'), first.get('default/b'));
    newer.stop();

    const recreated = await started(fakeResource(CONFIGMAPS, () => [object('b', '3', 'uid-other')]));
    assert.notEqual(recreated.get('default/b'), first.get('default/b'), 'another uid is another object');
    recreated.stop();

    const secrets = await started(fakeResource({ group: '', version: 'v1', resource: 'secrets' }, fresh));
    assert.notEqual(secrets.get('default/b'), first.get('default/b'), 'another resource is never shared');
    secrets.stop();
  } finally {
    first.stop();
    second.stop();
  }
  const afterwards = await started(fakeResource(CONFIGMAPS, fresh));
  assert.notEqual(afterwards.get('default/b'), first.get('default/b'), 'stopped informers share nothing');
  afterwards.stop();
});

test('components that start after the nodes exist hold one copy of each Node between them', async () => {
  const cluster = await Cluster.start({ clock: new ManualClock(), nodes: 2 });
  try {
    const nodes = await started(cluster.client().resource(NODES) as ResourceClient<KubeObject>);
    const held = cluster.scheduler.cache.snapshot().get('node-1')!.node;
    assert.equal(nodes.get('node-1'), held, "a later informer takes the scheduler's object");
    assert.deepEqual(held, await cluster.client().resource(NODES).get('node-1'));
    nodes.stop();
  } finally {
    await cluster.stop();
  }
});

test("listed objects share their parts as the registry's decoded objects do", async () => {
  const fieldsV1 = { 'f:data': { '.': {}, 'f:key': {} } };
  const text = (name: string) => JSON.stringify({ ...object(name, '5'), metadata: { ...object(name, '5').metadata, managedFields: [{ manager: 'kubectl', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1 }] } });
  const informer = await started(fakeResource({ group: '', version: 'v1', resource: 'configmaps-parts' }, () => [JSON.parse(text('a')), JSON.parse(text('b'))]));
  try {
    const set = (name: string) => informer.get(`default/${name}`)!.metadata.managedFields![0]!.fieldsV1;
    assert.equal(set('a'), set('b'), 'one field set for both');
    assert.ok(Object.isFrozen(set('a')), 'shared parts are read-only');
    assert.deepEqual(informer.get('default/a'), JSON.parse(text('a')), 'equal to what was listed');
  } finally {
    informer.stop();
  }
});

test("informers of two clusters in one process never share objects, even at the same uid and resourceVersion", async () => {
  // Two clusters opened from copies of one data directory (or a cluster restarted while an old
  // component still runs) hold objects of one history: same keys, uids and resourceVersions, and
  // each its own content from there on. A cluster's informer must keep what its own server listed.
  const cluster = (data: string) => {
    const transport = async (): Promise<ApiResponse> => ({
      status: 200,
      headers: {},
      body: { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '100' }, items: [{ ...object('a', '7'), data: { cluster: data } }] },
    });
    return new ApiClient(transport, { name: 'test', groups: [] });
  };
  const blue = cluster('blue');
  const green = cluster('green');
  const blueOne = await started(blue.resource(CONFIGMAPS) as ResourceClient<KubeObject>);
  const blueTwo = await started(blue.as({ name: 'other', groups: [] }).resource(CONFIGMAPS) as ResourceClient<KubeObject>);
  const greenOne = await started(green.resource(CONFIGMAPS) as ResourceClient<KubeObject>);
  try {
    assert.equal(blueTwo.get('default/a'), blueOne.get('default/a'), 'informers of one cluster still share');
    assert.deepEqual((greenOne.get('default/a') as unknown as { data: unknown }).data, { cluster: 'green' });
  } finally {
    for (const informer of [blueOne, blueTwo, greenOne]) informer.stop();
  }
});
