/**
 * A pod worker keeps no pod object of its own while the pod runs: it reads the version it was given
 * from the pod informer (FakeHost.informer), which may hand back a copy decoded again. These pin
 * what a user would see if it read the wrong version, or lost the pod while finishing it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, Pod } from '../../../../src/cluster/api/types';
import { ObjectHandle } from '../../../../src/cluster/apiserver/registry/handle';
import { FakeHost, makePod } from './fake-host';

const key = (pod: Pod) => `${pod.metadata.namespace}/${pod.metadata.name}`;

/** A copy of `pod` as an informer would decode it again from the store (same uid, same resourceVersion). */
const decodedAgain = (pod: Pod): Pod => JSON.parse(JSON.stringify(pod)) as Pod;

function informerHost(): FakeHost {
  const host = new FakeHost();
  host.informer = true;
  return host;
}

test('a container restarted after the worker let go of the pod runs the spec of the version the informer holds', async () => {
  const host = informerHost();
  const given = makePod({ containers: [{ name: 'box', image: 'busybox:1.36', command: ['sh', '-c', 'echo from-the-informer; sleep 5; exit 1'] }] }, { resourceVersion: '10' });
  host.pods.set(key(given), decodedAgain(given));
  const worker = host.worker(given);
  await host.clock.advance(5_000);
  // The object the worker was first given changes under it (it is nobody's any more): a worker that
  // still read it would restart the container with this command.
  given.spec.containers[0]!.command = ['sh', '-c', 'echo from-a-dropped-object; sleep 5; exit 1'];
  // The informer's copy is dropped and decoded again: still the same version.
  host.pods.set(key(given), decodedAgain(host.pods.get(key(given))!));
  await host.clock.advance(12_000);
  assert.ok(host.status.containerStatuses![0]!.restartCount >= 1);
  assert.deepEqual(worker.log('box', false).lines().map((l) => l.text), ['from-the-informer']);
  assert.deepEqual(worker.log('box', true).lines().map((l) => l.text), ['from-the-informer']);
});

test('a new image given to the worker is what it restarts with, also when the informer holds only a copy', async () => {
  const host = informerHost();
  const v1 = makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] }, { resourceVersion: '10' });
  host.pods.set(key(v1), decodedAgain(v1));
  const worker = host.worker(v1);
  await host.clock.advance(5_000);
  const v2 = { ...v1, metadata: { ...v1.metadata, resourceVersion: '11' }, spec: { ...v1.spec, containers: [{ name: 'nginx', image: 'nginx:1.26' }] } };
  host.pods.set(key(v2), decodedAgain(v2));
  worker.update(v2);
  await host.clock.advance(10_000);
  const c = host.status.containerStatuses![0]!;
  assert.equal(c.image, 'docker.io/library/nginx:1.26');
  assert.equal(c.restartCount, 1);
  assert.ok(host.recorded.events.some((e) => e.endsWith('Normal Pulling: Pulling image "nginx:1.26"')));
});

test('a pod the informer no longer has while it terminates still finishes: final status, then the delete with its uid', async () => {
  const host = informerHost();
  const pod = makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] }, { resourceVersion: '10' });
  host.pods.set(key(pod), decodedAgain(pod));
  const worker = host.worker(pod);
  await host.clock.advance(5_000);
  const deleting = { ...pod, metadata: { ...pod.metadata, resourceVersion: '11', deletionTimestamp: '2026-01-01T00:00:05Z', deletionGracePeriodSeconds: 30 } };
  host.pods.set(key(deleting), decodedAgain(deleting));
  worker.update(deleting);
  // Gone from the informer before the containers stopped.
  host.pods.delete(key(pod));
  await host.clock.advance(1_000);
  assert.ok(host.recorded.events.some((e) => e.endsWith('Normal Killing: Stopping container nginx')));
  assert.equal(host.status.phase, 'Succeeded');
  assert.equal(host.status.containerStatuses![0]!.state!.terminated!.exitCode, 0);
  assert.equal(host.recorded.deleted, true);
  assert.equal(host.recorded.deletedUid, pod.metadata.uid);
  assert.equal(worker.current.metadata.resourceVersion, '11');
});

test('a held worker (stopped kubelet) does not act on a version the informer has but it was not given', async () => {
  const host = informerHost();
  const pod = makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] }, { resourceVersion: '10' });
  host.pods.set(key(pod), decodedAgain(pod));
  const worker = host.worker(pod);
  await host.clock.advance(5_000);
  worker.hold();
  const deleting = { ...pod, metadata: { ...pod.metadata, resourceVersion: '11', deletionTimestamp: '2026-01-01T00:00:05Z', deletionGracePeriodSeconds: 30 } };
  host.pods.set(key(deleting), decodedAgain(deleting));
  worker.republish();
  await host.clock.advance(5_000);
  assert.equal(host.recorded.events.some((e) => e.includes('Killing')), false);
  assert.equal(worker.current.metadata.resourceVersion, '10');
  assert.equal(host.status.phase, 'Running');
  worker.update(deleting);
  await host.clock.advance(1_000);
  assert.ok(host.recorded.events.some((e) => e.endsWith('Normal Killing: Stopping container nginx')));
  assert.equal(host.recorded.deleted, true);
});

test('a pod IP goes back once: termination gives it back, the removal of the pod after it does not again (it may be another pod\'s by then)', async () => {
  const host = informerHost();
  const pod = makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] }, { resourceVersion: '10' });
  host.pods.set(key(pod), decodedAgain(pod));
  const worker = host.worker(pod);
  await host.clock.advance(5_000);
  assert.deepEqual(host.released, []);
  const deleting = { ...pod, metadata: { ...pod.metadata, resourceVersion: '11', deletionTimestamp: '2026-01-01T00:00:05Z', deletionGracePeriodSeconds: 30 } };
  host.pods.set(key(deleting), decodedAgain(deleting));
  worker.update(deleting);
  await host.clock.advance(1_000);
  assert.deepEqual(host.released, ['10.244.1.5']);
  host.pods.delete(key(pod));
  worker.abandon(deleting);
  assert.deepEqual(host.released, ['10.244.1.5']);
  assert.equal(host.status.podIP, '10.244.1.5');
});

test('a hostNetwork pod has the node\'s IP and gives back none', async () => {
  const host = informerHost();
  const pod = makePod({ hostNetwork: true, containers: [{ name: 'nginx', image: 'nginx:1.27' }] }, { resourceVersion: '10' });
  host.pods.set(key(pod), decodedAgain(pod));
  const worker = host.worker(pod);
  await host.clock.advance(5_000);
  assert.equal(host.status.podIP, '172.18.0.2');
  worker.abandon(pod);
  assert.deepEqual(host.released, []);
});

test('a settled worker whose pod\'s name the informer now gives to another pod (a relist after a delete and re-create) keeps running its own version', async () => {
  const host = informerHost();
  const given = makePod({ containers: [{ name: 'box', image: 'busybox:1.36', command: ['sh', '-c', 'echo first-pod; sleep 5; exit 1'] }] }, { resourceVersion: '10' });
  // As the in-process registry shares it: with a handle that decodes that version again.
  const kv = { key: '/registry/pods/default/web', value: JSON.stringify(given), createRevision: 10, modRevision: 10, version: 1 };
  new ObjectHandle(kv, { storedAsServed: true, redecode: (stored) => JSON.parse(stored.value) as KubeObject }, given);
  host.pods.set(key(given), given);
  const worker = host.worker(given);
  await host.clock.advance(5_000);
  // Same namespace and name, another uid: the informer reports it as an update of the key, which
  // the worker (another uid) is not given.
  const other = makePod({ containers: [{ name: 'box', image: 'busybox:1.36', command: ['sh', '-c', 'echo second-pod; sleep 60'] }] }, { resourceVersion: '20', uid: '0b8e5a4c-1d2f-4e3a-9c7b-6a5d4e3f2a10' });
  host.pods.set(key(other), other);
  worker.update(other);
  await host.clock.advance(12_000);
  assert.ok(host.status.containerStatuses![0]!.restartCount >= 1);
  assert.equal(worker.current.metadata.uid, given.metadata.uid);
  assert.deepEqual(worker.log('box', false).lines().map((l) => l.text), ['first-pod']);
});

test('a pod event references the version of the pod the worker was last given, also once the informer holds only a copy', async () => {
  const host = informerHost();
  const v1 = makePod({ containers: [{ name: 'nginx', image: 'nginx:1.27' }] }, { resourceVersion: '10' });
  host.pods.set(key(v1), decodedAgain(v1));
  const worker = host.worker(v1);
  await host.clock.advance(5_000);
  const uid = v1.metadata.uid;
  // Member order as kubectl and the API show it (referenceOf's), the field path last.
  assert.equal(JSON.stringify(host.involved[0]), JSON.stringify({ kind: 'Pod', namespace: 'default', name: 'web', uid, apiVersion: 'v1', resourceVersion: '10', fieldPath: 'spec.containers{nginx}' }));
  const v2 = { ...v1, metadata: { ...v1.metadata, resourceVersion: '123456789012' }, spec: { ...v1.spec, containers: [{ name: 'nginx', image: 'nginx:1.26' }] } };
  host.pods.set(key(v2), decodedAgain(v2));
  worker.update(v2);
  await host.clock.advance(10_000);
  const killing = host.recorded.events.findIndex((e) => e.includes('Killing'));
  assert.ok(killing > 0);
  // A version too long for a small integer is kept as its text, and referenced as it is.
  assert.deepEqual(host.involved.slice(killing).map((r) => r.resourceVersion), host.involved.slice(killing).map(() => '123456789012'));
  const deleting = { ...v2, metadata: { ...v2.metadata, resourceVersion: '12', deletionTimestamp: '2026-01-01T00:00:20Z', deletionGracePeriodSeconds: 30 } };
  host.pods.set(key(deleting), decodedAgain(deleting));
  worker.update(deleting);
  await host.clock.advance(1_000);
  assert.equal(JSON.stringify(host.involved.at(-1)), JSON.stringify({ kind: 'Pod', namespace: 'default', name: 'web', uid, apiVersion: 'v1', resourceVersion: '12', fieldPath: 'spec.containers{nginx}' }));
  assert.ok(host.recorded.events.at(-1)!.endsWith('Normal Killing: Stopping container nginx'));
});
