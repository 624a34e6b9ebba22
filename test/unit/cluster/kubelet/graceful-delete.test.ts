/**
 * A graceful delete of a Running pod, request by request, as a 1.32 cluster makes it: the client's
 * DELETE only marks the pod (deletionTimestamp = now + grace, deletionGracePeriodSeconds); the
 * kubelet records Killing, stops the container, writes the final status through pods/status, and
 * deletes the pod with gracePeriodSeconds 0 and a uid precondition (its status manager's
 * deletePod). A watcher sees MODIFIED (Terminating), MODIFIED (the final status), MODIFIED (that
 * delete's grace period of 0 written, as kube-apiserver writes every graceful delete before it
 * removes the object), DELETED, and nothing else is written for the pod: `kubectl get pods -w`
 * prints four rows after Running.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { EVENTS, PODS } from '../../../../src/cluster/client/client';
import type { KubeObject, Pod, WatchEvent } from '../../../../src/cluster/api/types';
import type { ApiRequest } from '../../../../src/cluster/apiserver/types';

interface Write { method: string; path: string; user: string; contentType: string | undefined; body: unknown }

async function runningPod(): Promise<{ cluster: Cluster; clock: ManualClock; pod: Pod }> {
  const clock = new ManualClock();
  const cluster = await Cluster.start({ clock, nodes: 1 });
  const pods = cluster.client().resource<Pod>(PODS);
  await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'nginx', image: 'nginx:1.27' }] } });
  await clock.advance(10_000);
  const pod = await pods.get('web', { namespace: 'default' });
  assert.equal(pod.status!.phase, 'Running');
  return { cluster, clock, pod };
}

/** The writes (not reads, not watches) the server gets from now on, with their bodies as sent. */
function recordWrites(cluster: Cluster): Write[] {
  const writes: Write[] = [];
  const handle = cluster.server.handle.bind(cluster.server);
  cluster.server.handle = (request: ApiRequest) => {
    if (request.method !== 'GET') {
      writes.push({ method: request.method, path: request.path, user: request.user?.name ?? '', contentType: request.headers['content-type'], body: structuredClone(request.body) });
    }
    return handle(request);
  };
  return writes;
}

test('graceful delete: marked Terminating, Killing, the final status, then the kubelet deletes it with a uid precondition', async () => {
  const { cluster, clock, pod } = await runningPod();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const seen: WatchEvent<Pod>[] = [];
    const watch = pods.watch({ namespace: 'default', resourceVersion: pod.metadata.resourceVersion }, (e) => seen.push(e), () => undefined);
    const writes = recordWrites(cluster);

    const answer = (await pods.delete('web', { namespace: 'default' })) as Pod;
    // The answer is the pod, still there: marked, its status untouched.
    assert.equal(answer.kind, 'Pod');
    assert.equal(answer.metadata.deletionGracePeriodSeconds, 30);
    assert.equal(Date.parse(answer.metadata.deletionTimestamp!), Math.floor(clock.now() / 1000) * 1000 + 30_000);
    assert.equal(answer.status!.phase, 'Running');
    assert.equal(answer.metadata.uid, pod.metadata.uid);

    await clock.advance(5_000);
    await assert.rejects(pods.get('web', { namespace: 'default' }), /not found/);
    watch.stop();

    assert.deepEqual(seen.map((e) => e.type), ['MODIFIED', 'MODIFIED', 'MODIFIED', 'DELETED']);
    const [marked, final, lastMark, deleted] = seen.map((e) => e.object);
    assert.equal(marked!.metadata.deletionTimestamp, answer.metadata.deletionTimestamp);
    assert.equal(marked!.metadata.resourceVersion, answer.metadata.resourceVersion);
    assert.deepEqual(marked!.status, pod.status);
    assert.deepEqual(marked!.spec, pod.spec);
    // The final status: nginx exits 0 on SIGTERM, the pod is terminal (Succeeded), nothing Ready.
    assert.equal(final!.status!.phase, 'Succeeded');
    const terminated = final!.status!.containerStatuses![0]!.state!.terminated!;
    assert.equal(terminated.exitCode, 0);
    assert.equal(terminated.reason, 'Completed');
    assert.equal(final!.status!.containerStatuses![0]!.ready, false);
    assert.equal(final!.status!.conditions!.find((c) => c.type === 'Ready')!.status, 'False');
    assert.equal(final!.metadata.deletionTimestamp, answer.metadata.deletionTimestamp);
    // The kubelet's delete with grace 0 is written first (rest.BeforeDelete shortens the grace period:
    // the deadline moves back to when the deletion was asked), then the pod is deleted.
    assert.equal(lastMark!.metadata.deletionGracePeriodSeconds, 0);
    assert.equal(Date.parse(lastMark!.metadata.deletionTimestamp!), Date.parse(answer.metadata.deletionTimestamp!) - 30_000);
    assert.deepEqual(lastMark!.status, final!.status);
    // DELETED carries the last state, at the deletion's revision.
    assert.deepEqual(deleted!.metadata, { ...lastMark!.metadata, resourceVersion: deleted!.metadata.resourceVersion });
    assert.deepEqual(deleted!.status, final!.status);
    assert.ok(Number(deleted!.metadata.resourceVersion) > Number(lastMark!.metadata.resourceVersion));

    const forPod = writes.filter((w) => w.path.startsWith('/api/v1/namespaces/default/pods/web'));
    assert.deepEqual(forPod.map((w) => `${w.method} ${w.path} ${w.user}`), [
      'DELETE /api/v1/namespaces/default/pods/web kube-sim-admin',
      'PATCH /api/v1/namespaces/default/pods/web/status system:node:node-1',
      'DELETE /api/v1/namespaces/default/pods/web system:node:node-1',
    ]);
    // The final status carries the pod's uid, a precondition as in the status manager's PatchPodStatus.
    assert.deepEqual((forPod[1]!.body as { metadata?: unknown }).metadata, { uid: pod.metadata.uid });
    const kubeletDelete = forPod[2]!.body as { gracePeriodSeconds?: number; preconditions?: { uid?: string } };
    assert.equal(kubeletDelete.gracePeriodSeconds, 0);
    assert.deepEqual(kubeletDelete.preconditions, { uid: pod.metadata.uid });

    const events = writes.filter((w) => w.method === 'POST' && w.path === '/api/v1/namespaces/default/events').map((w) => w.body as KubeObject & { reason?: string; message?: string });
    assert.deepEqual(events.map((e) => `${e.reason}: ${e.message}`), ['Killing: Stopping container nginx']);
    const killing = (await cluster.client().resource(EVENTS).list({ namespace: 'default' })).items.find((e) => (e as { reason?: string }).reason === 'Killing') as KubeObject & { involvedObject: { uid?: string; fieldPath?: string }; source: { component?: string; host?: string } };
    assert.equal(killing.involvedObject.uid, pod.metadata.uid);
    assert.equal(killing.involvedObject.fieldPath, 'spec.containers{nginx}');
    assert.deepEqual(killing.source, { component: 'kubelet', host: 'node-1' });
  } finally {
    await cluster.stop();
  }
});

test('a graceful delete of a pod already Terminating with an earlier deadline changes nothing', async () => {
  const { cluster, clock } = await runningPod();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const first = (await pods.delete('web', { namespace: 'default', gracePeriodSeconds: 20 })) as Pod;
    await clock.advance(0);
    const again = (await pods.delete('web', { namespace: 'default' })) as Pod;
    assert.equal(again.metadata.deletionTimestamp, first.metadata.deletionTimestamp);
    assert.equal(again.metadata.deletionGracePeriodSeconds, 20);
  } finally {
    await cluster.stop();
  }
});
