import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Pod } from '../../../../src/cluster/api/types';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { CONFIGMAPS, PODS } from '../../../../src/cluster/client/client';
import { applyManifests, deleteManifests, FIELD_MANAGER } from '../../../../src/ui/apply/apply';
import { parseManifests } from '../../../../src/ui/apply/manifest';

let cluster: Cluster;

before(async () => {
  cluster = await Cluster.start({ clock: new ManualClock(), nodes: 1 });
});

after(async () => {
  await cluster.stop();
});

function manifests(yaml: string) {
  const parsed = parseManifests(yaml);
  assert.deepEqual(parsed.errors, []);
  return parsed.manifests;
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: applied
spec:
  containers:
    - name: main
      image: nginx:1.27
`;

test('a pod is server-side applied into the default namespace, owned by the kube-sim field manager', async () => {
  const outcome = await applyManifests(cluster.client(), manifests(POD));
  assert.deepEqual(outcome.failed, []);
  assert.deepEqual(outcome.applied.map((a) => a.displayName), ['pod/applied']);
  const pod = await cluster.client().resource<Pod>(PODS).get('applied', { namespace: 'default' });
  assert.equal(pod.metadata.uid, outcome.applied[0]!.object.metadata.uid);
  // The apply's answer: by the time of the read, the kubelet may have written the pod's status too.
  assert.deepEqual(outcome.applied[0]!.object.metadata.managedFields?.map((f) => `${f.manager} ${f.operation}`), [`${FIELD_MANAGER} Apply`]);
  assert.equal(pod.metadata.managedFields?.[0]?.manager, FIELD_MANAGER);
});

test('applying the same manifest again changes nothing and conflicts with no one', async () => {
  const first = await cluster.client().resource<Pod>(PODS).get('applied', { namespace: 'default' });
  const outcome = await applyManifests(cluster.client(), manifests(POD));
  assert.deepEqual(outcome.failed, []);
  assert.equal(outcome.applied[0]!.object.metadata.uid, first.metadata.uid);
});

test('every document is applied in order; a cluster-scoped kind gets no namespace', async () => {
  const outcome = await applyManifests(cluster.client(), manifests(`apiVersion: v1
kind: Namespace
metadata:
  name: demo
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: demo
spec:
  containers:
    - name: web
      image: nginx:1.27
`));
  assert.deepEqual(outcome.failed.map((f) => f.error.message), []);
  assert.deepEqual(outcome.applied.map((a) => `${a.displayName} ${a.object.metadata.namespace ?? '-'}`), ['namespace/demo -', 'pod/web demo']);
});

test('an unknown kind fails in kubectl words and does not stop the documents after it', async () => {
  const outcome = await applyManifests(cluster.client(), manifests(`apiVersion: v1
kind: Pud
metadata:
  name: typo
---
${POD.replace('name: applied', 'name: after-typo')}`));
  assert.deepEqual(outcome.failed.map((f) => [f.displayName, f.error.message]), [['pud/typo', 'no matches for kind "Pud" in version "v1"']]);
  assert.deepEqual(outcome.applied.map((a) => a.displayName), ['pod/after-typo']);
});

test("the server's rejection reaches the user as the Kubernetes message", async () => {
  const outcome = await applyManifests(cluster.client(), manifests(`apiVersion: v1
kind: Pod
metadata:
  name: nowhere
  namespace: missing
spec:
  containers:
    - name: main
      image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata:
  name: empty
spec:
  containers: []
`));
  assert.equal(outcome.applied.length, 0);
  assert.deepEqual(outcome.failed.map((f) => f.error.message), [
    'namespaces "missing" not found',
    'Pod "empty" is invalid: spec.containers: Required value',
  ]);
});

test('delete removes what the manifests name and a missing object fails in kubectl\'s words', async () => {
  const client = cluster.client();
  const cm = `apiVersion: v1
kind: ConfigMap
metadata:
  name: to-delete
data:
  a: b
---
apiVersion: v1
kind: Pod
metadata:
  name: to-delete
spec:
  schedulingGates:
    - name: example.com/hold
  containers:
    - name: main
      image: nginx:1.27
`;
  assert.deepEqual((await applyManifests(client, manifests(cm))).failed, []);
  const outcome = await deleteManifests(client, manifests(cm));
  assert.deepEqual(outcome.failed, []);
  assert.deepEqual(outcome.applied.map((a) => a.displayName), ['configmap/to-delete', 'pod/to-delete']);
  await assert.rejects(client.resource(CONFIGMAPS).get('to-delete', { namespace: 'default' }), /configmaps "to-delete" not found/);
  // The gated pod is on no node, so it goes at once, as kube-apiserver does (no kubelet to wait for).
  await assert.rejects(client.resource<Pod>(PODS).get('to-delete', { namespace: 'default' }), /pods "to-delete" not found/);

  const again = await deleteManifests(client, manifests(cm.split('---')[0]!));
  assert.deepEqual(again.failed.map((f) => [f.displayName, f.error.message]), [['configmap/to-delete', 'configmaps "to-delete" not found']]);
});
