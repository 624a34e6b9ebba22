import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIGMAPS, PODS } from '../../../../src/cluster/client/client';
import { StatusError } from '../../../../src/cluster/api/errors';
import { settle } from '../../../../src/cluster/clock';
import type { KubeObject, Pod, Status } from '../../../../src/cluster/api/types';
import { configMap, pod, startCluster } from './fixture';

async function rejects(promise: Promise<unknown>): Promise<StatusError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof StatusError, `expected a StatusError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the request to fail');
}

test('create fills uid, creationTimestamp from the cluster clock, and resourceVersion; get returns the same', async () => {
  const cluster = await startCluster();
  try {
    const cms = cluster.client().resource(CONFIGMAPS);
    const created = await cms.create(configMap('settings', { a: '1' }));
    assert.match(created.metadata.uid!, /^[0-9a-f-]{36}$/);
    assert.equal(created.metadata.creationTimestamp, '2026-01-01T00:00:00Z');
    assert.match(created.metadata.resourceVersion!, /^\d+$/);
    const got = await cms.get('settings', { namespace: 'default' });
    assert.deepEqual(got, created);
  } finally {
    await cluster.stop();
  }
});

test('generateName gets a five-character suffix', async () => {
  const cluster = await startCluster();
  try {
    const created = await cluster.client().resource(CONFIGMAPS).create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'web-', namespace: 'default' } });
    assert.match(created.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  } finally {
    await cluster.stop();
  }
});

test('a second create is 409 AlreadyExists; a missing name is 422; a missing namespace is 404', async () => {
  const cluster = await startCluster();
  try {
    const cms = cluster.client().resource(CONFIGMAPS);
    await cms.create(configMap('a'));
    const dup = await rejects(cms.create(configMap('a')));
    assert.equal(dup.code, 409);
    assert.equal(dup.message, 'configmaps "a" already exists');
    const noName = await rejects(cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'default' } }));
    assert.equal(noName.code, 422);
    assert.match(noName.message, /metadata.name: Required value: name or generateName is required/);
    const noNs = await rejects(cms.create({ ...configMap('a'), metadata: { name: 'a', namespace: 'nope' } }));
    assert.equal(noNs.code, 404);
    assert.equal(noNs.message, 'namespaces "nope" not found');
  } finally {
    await cluster.stop();
  }
});

test('an update with a stale resourceVersion is 409 Conflict with Kubernetes\' message and writes nothing', async () => {
  const cluster = await startCluster();
  try {
    const cms = cluster.client().resource(CONFIGMAPS);
    const v1 = await cms.create(configMap('a', { k: '1' }));
    const v2 = await cms.update({ ...v1, data: { k: '2' } } as KubeObject);
    assert.notEqual(v2.metadata.resourceVersion, v1.metadata.resourceVersion);
    const err = await rejects(cms.update({ ...v1, data: { k: '3' } } as KubeObject));
    assert.equal(err.code, 409);
    assert.equal(err.reason, 'Conflict');
    assert.equal(err.message, 'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again');
    assert.deepEqual((await cms.get('a', { namespace: 'default' })).data, { k: '2' });
  } finally {
    await cluster.stop();
  }
});

test('dryRun=All validates and answers like a create but stores nothing', async () => {
  const cluster = await startCluster();
  try {
    const cms = cluster.client().resource(CONFIGMAPS);
    const dry = await cms.create(configMap('dry'), { dryRun: true });
    assert.equal(dry.metadata.name, 'dry');
    const err = await rejects(cms.get('dry', { namespace: 'default' }));
    assert.equal(err.code, 404);
    assert.equal(err.message, 'configmaps "dry" not found');
  } finally {
    await cluster.stop();
  }
});

test('deleting an unscheduled pod removes it at once and answers with the pod', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(pod('p'));
    const deleted = (await pods.delete('p', { namespace: 'default' })) as Pod;
    assert.equal(deleted.kind, 'Pod');
    assert.equal((await rejects(pods.get('p', { namespace: 'default' }))).code, 404);
  } finally {
    await cluster.stop();
  }
});

test('a bound pod is deleted gracefully; the kubelet finishes with gracePeriodSeconds=0 and a uid precondition', async () => {
  const cluster = await startCluster();
  try {
    // A Node object with no kubelet behind it: nothing but this test finishes the deletion.
    await cluster.client().resource({ group: '', version: 'v1', resource: 'nodes' }).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'quiet' } });
    const pods = cluster.client().resource<Pod>(PODS);
    const created = await pods.create(pod('p', {}, { nodeName: 'quiet', terminationGracePeriodSeconds: 20 }));
    const terminating = (await pods.delete('p', { namespace: 'default' })) as Pod;
    assert.equal(terminating.metadata.deletionTimestamp, '2026-01-01T00:00:20Z');
    assert.equal(terminating.metadata.deletionGracePeriodSeconds, 20);
    assert.ok(await pods.get('p', { namespace: 'default' }));
    const wrongUid = await rejects(pods.delete('p', { namespace: 'default', gracePeriodSeconds: 0, preconditions: { uid: 'other' } }));
    assert.equal(wrongUid.code, 409);
    assert.equal(wrongUid.message, `Operation cannot be fulfilled on pods "p": Precondition failed: UID in precondition: other, UID in object meta: ${created.metadata.uid}`);
    await pods.delete('p', { namespace: 'default', gracePeriodSeconds: 0, preconditions: { uid: created.metadata.uid! } });
    assert.equal((await rejects(pods.get('p', { namespace: 'default' }))).code, 404);
  } finally {
    await cluster.stop();
  }
});

test('every delete answers with an object of its own: changing it changes nothing the registry reads later', async () => {
  const cluster = await startCluster();
  try {
    await cluster.client().resource({ group: '', version: 'v1', resource: 'nodes' }).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'quiet' } });
    await cluster.client().resource<Pod>(PODS).create(pod('p', { labels: { app: 'web' } }, { nodeName: 'quiet', terminationGracePeriodSeconds: 20 }));
    const registry = cluster.server.parts.registries.core('pods');
    const ctx = { user: { name: 'admin', groups: ['system:masters'] } };
    const terminating = await registry.delete('default', 'p', {}, ctx);
    assert.equal(terminating.deleted, false);
    terminating.object.metadata.labels!.app = 'changed';
    const again = await registry.delete('default', 'p', {}, ctx); // already terminating, sooner deadline: nothing changes
    assert.equal(again.deleted, false);
    assert.equal(again.object.metadata.labels!.app, 'web');
    again.object.metadata.labels!.app = 'changed';
    const uid = again.object.metadata.uid!;
    again.object.metadata.uid = 'someone-else';
    const dry = await registry.delete('default', 'p', { gracePeriodSeconds: 0, preconditions: { uid } }, { ...ctx, dryRun: true });
    assert.equal(dry.object.metadata.labels!.app, 'web');
    dry.object.metadata.labels!.app = 'changed';
    dry.object.metadata.uid = 'someone-else';
    const gone = await registry.delete('default', 'p', { gracePeriodSeconds: 0, preconditions: { uid } }, ctx);
    assert.equal(gone.deleted, true);
    assert.equal(gone.object.metadata.labels!.app, 'web');
    assert.ok(Number(gone.object.metadata.resourceVersion) > Number(again.object.metadata.resourceVersion), 'the deletion\'s resourceVersion');
  } finally {
    await cluster.stop();
  }
});

test('deleting a configmap answers with a Success Status naming it', async () => {
  const cluster = await startCluster();
  try {
    const cms = cluster.client().resource(CONFIGMAPS);
    const created = await cms.create(configMap('a'));
    const status = (await cms.delete('a', { namespace: 'default' })) as Status;
    assert.deepEqual(status, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'a', kind: 'configmaps', uid: created.metadata.uid }, code: 200 });
  } finally {
    await cluster.stop();
  }
});

test('deletecollection deletes what the selector picks', async () => {
  const cluster = await startCluster();
  try {
    const cms = cluster.client().resource(CONFIGMAPS);
    await cms.create(configMap('a', {}, { app: 'x' }));
    await cms.create(configMap('b', {}, { app: 'y' }));
    await cms.deleteCollection({ namespace: 'default', labelSelector: 'app=x' });
    const left = await cms.list({ namespace: 'default' });
    assert.deepEqual(left.items.map((i) => i.metadata.name).filter((n) => n !== 'kube-root-ca.crt'), ['b']);
  } finally {
    await cluster.stop();
  }
});

test('the cluster seeds the system namespaces, the kubernetes service and a default service account in each namespace', async () => {
  const cluster = await startCluster();
  try {
    const client = cluster.client();
    const names = (await client.resource({ group: '', version: 'v1', resource: 'namespaces' }).list()).items.map((n) => n.metadata.name);
    assert.deepEqual(names, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const svc = await client.resource({ group: '', version: 'v1', resource: 'services' }).get('kubernetes', { namespace: 'default' });
    assert.equal((svc.spec as { clusterIP: string }).clusterIP, '10.96.0.1');
    const sas = await client.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }).list();
    assert.deepEqual(sas.items.map((s) => `${s.metadata.namespace}/${s.metadata.name}`), ['default/default', 'kube-node-lease/default', 'kube-public/default', 'kube-system/default']);
  } finally {
    await cluster.stop();
  }
});

test('deleting a namespace deletes what is in it; the immortal default namespace cannot be deleted and keeps its content', async () => {
  const cluster = await startCluster();
  try {
    const client = cluster.client();
    const namespaces = client.resource({ group: '', version: 'v1', resource: 'namespaces' });
    await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    const cms = client.resource(CONFIGMAPS);
    await cms.create({ ...configMap('x'), metadata: { name: 'x', namespace: 'team' } });
    await cms.create(configMap('keep'));
    await namespaces.delete('team');
    await settle(); // the namespace controller empties it
    await assert.rejects(cms.get('x', { namespace: 'team' }), (err: StatusError) => err.code === 404);
    await assert.rejects(namespaces.delete('default'), (err: StatusError) => {
      assert.equal(err.code, 403);
      return true;
    });
    assert.ok(await cms.get('keep', { namespace: 'default' }));
  } finally {
    await cluster.stop();
  }
});

test('a pod bound to a node that does not exist is only marked by a delete: no kubelet finishes it, the pod garbage collector does', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(pod('orphan', {}, { nodeName: 'gone' }));
    const marked = (await pods.delete('orphan', { namespace: 'default' })) as Pod;
    assert.equal(marked.metadata.deletionGracePeriodSeconds, 30);
    assert.ok((await pods.get('orphan', { namespace: 'default' })).metadata.deletionTimestamp);
  } finally {
    await cluster.stop();
  }
});
