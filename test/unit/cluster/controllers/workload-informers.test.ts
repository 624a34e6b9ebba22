/**
 * The controller manager's shared informers: one pod informer, found by node (node lifecycle, taint
 * eviction) and by controller (ReplicaSets), right after a watch that missed changes ends with 410
 * Expired and the informer lists again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { ApiClient, CONFIGMAPS, PODS } from '../../../../src/cluster/client/client';
import { ADMIN } from '../../../../src/cluster/apiserver/auth/identities';
import type { ResponseStream, Transport } from '../../../../src/cluster/apiserver/types';
import type { KubeObject, OwnerReference, Pod, WatchEvent } from '../../../../src/cluster/api/types';
import { PODS_BY_NODE } from '../../../../src/cluster/client/pod-indexes';
import { orphansIn, PODS_BY_CONTROLLER, WorkloadInformers } from '../../../../src/cluster/controllers/workload-informers';
import { eventually } from './eventually';

/**
 * The cluster's transport, with its pod watches under the test's control: `lag()` drops their
 * events from then on (a watcher fallen behind), `expire()` ends them as the API server ends a
 * watch whose resourceVersion was compacted: an ERROR 410 Expired, then the end of the stream.
 */
function laggingPodWatches(base: Transport) {
  let lagging = false;
  const live: { write: (chunk: WatchEvent | string) => void; end: () => void; inner: ResponseStream }[] = [];
  const transport: Transport = async (request) => {
    const response = await base(request);
    if (request.query.get('watch') !== 'true' || !request.path.endsWith('/pods') || !response.stream) return response;
    const inner = response.stream;
    response.stream = {
      start: (write, end) => {
        live.push({ write, end, inner });
        inner.start((chunk) => { if (!lagging) write(chunk); }, end);
      },
      close: () => inner.close(),
    };
    return response;
  };
  return {
    transport,
    lag: () => { lagging = true; },
    expire: () => {
      lagging = false;
      for (const w of live.splice(0)) {
        w.write({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version' } as unknown as KubeObject });
        w.inner.close();
        w.end();
      }
    },
  };
}

function pod(name: string, nodeName: string, owner?: KubeObject): Pod {
  const ownerReferences: OwnerReference[] = owner ? [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true }] : [];
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...(owner ? { ownerReferences } : {}) }, spec: { nodeName, containers: [{ name: 'web', image: 'nginx:1.27' }] } };
}

test('one pod informer finds pods by node and by controller, and still does after a lagging watch gets 410 and lists again', async () => {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 2 });
  const watches = laggingPodWatches(cluster.client().transport);
  const informers = new WorkloadInformers(new ApiClient(watches.transport, ADMIN), clock);
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const owner = await cluster.client().resource(CONFIGMAPS).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: 'default' } });
    await pods.create(pod('a', 'node-1', owner));
    await pods.create(pod('b', 'node-2'));
    const seen: string[] = [];
    informers.pods.addHandlers({ onAdd: (p) => seen.push(`add ${p.metadata.name}`), onDelete: (p) => seen.push(`delete ${p.metadata.name}`) });
    await informers.start();
    const names = (objects: KubeObject[]) => objects.map((o) => o.metadata.name).sort().join(',');
    const view = () => ({
      'node-1': names(informers.podInformer.byIndex(PODS_BY_NODE, 'node-1')),
      'node-2': names(informers.podInformer.byIndex(PODS_BY_NODE, 'node-2')),
      owned: names(informers.pods.byIndex(PODS_BY_CONTROLLER, owner.metadata.uid!)),
      orphans: names(informers.pods.byIndex(PODS_BY_CONTROLLER, orphansIn('default'))),
    });
    assert.deepEqual(view(), { 'node-1': 'a', 'node-2': 'b', owned: 'a', orphans: 'b' });
    assert.deepEqual(seen.sort(), ['add a', 'add b']);

    watches.lag();
    await pods.delete('a', { namespace: 'default', gracePeriodSeconds: 0 });
    await pods.create(pod('c', 'node-1', owner));
    await pods.create(pod('d', 'node-2'));
    await clock.advance(1000);
    assert.deepEqual(view(), { 'node-1': 'a', 'node-2': 'b', owned: 'a', orphans: 'b' }, 'the lagging watch missed them');

    watches.expire();
    await eventually(clock, () => informers.pods.size === 3, 'relisted');
    assert.deepEqual(view(), { 'node-1': 'c', 'node-2': 'b,d', owned: 'c', orphans: 'b,d' });
    assert.deepEqual(seen.slice(2).sort(), ['add c', 'add d', 'delete a']);
  } finally {
    informers.stop();
    await cluster.stop();
  }
});
