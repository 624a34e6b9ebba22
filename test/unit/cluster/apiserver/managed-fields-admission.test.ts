/**
 * managedFields are recorded before mutating admission, as kube-apiserver does: the writer owns
 * what it sent (with API defaults), never what admission plugins add (the service-account volume
 * and mounts, serviceAccountName, default tolerations, priority). Otherwise a later server-side
 * apply of the same manifest would remove those fields, which pod updates may not do.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENTS, PODS } from '../../../../src/cluster/client/client';
import type { KubeObject, Pod } from '../../../../src/cluster/api/types';
import { pod, startCluster } from './fixture';

type Fields = Record<string, unknown>;

test('a created pod: the creator owns its fields and defaults, not the fields admission added', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const created = await pods.create(pod('p'), { fieldManager: 'kubectl-client-side-apply' });
    assert.ok(created.spec.serviceAccountName, 'admission set serviceAccountName');
    assert.ok((created.spec.volumes as { name: string }[] | undefined)?.some((v) => v.name.startsWith('kube-api-access-')), 'admission added the token volume');
    const entries = created.metadata.managedFields ?? [];
    assert.equal(entries.length, 1);
    const spec = (entries[0]!.fieldsV1 as Fields)['f:spec'] as Fields;
    assert.ok(spec['f:restartPolicy'], 'defaults are owned');
    for (const field of ['f:serviceAccountName', 'f:serviceAccount', 'f:volumes', 'f:tolerations', 'f:priority', 'f:preemptionPolicy']) {
      assert.equal(spec[field], undefined, `${field} is owned by no one`);
    }
    const container = (spec['f:containers'] as Fields)['k:{"name":"app"}'] as Fields;
    assert.equal(container['f:volumeMounts'], undefined);
    // Go always serializes a container's resources and the pod's (defaulted) securityContext.
    assert.deepEqual(container['f:resources'], {});
    assert.deepEqual(spec['f:securityContext'], {});
    assert.deepEqual(created.spec.containers[0]!.resources, {});
  } finally {
    await cluster.stop();
  }
});

test('client-side create, then the same manifest applied server-side twice: both applies succeed', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const manifest = pod('p');
    await pods.create(manifest, { fieldManager: 'kubectl-client-side-apply' });
    // What kubectl does on its first server-side apply after a client-side one: the client-side
    // manager's Update entry becomes the server-side manager's Apply entry.
    const live = await pods.get('p', { namespace: 'default' });
    const migrated = live.metadata.managedFields!.map((e) => (e.manager === 'kubectl-client-side-apply' ? { ...e, manager: 'kubectl', operation: 'Apply' } : e));
    await pods.patch('p', 'merge', { metadata: { managedFields: migrated } }, { namespace: 'default' });
    const first = await pods.patch('p', 'apply', manifest, { namespace: 'default', fieldManager: 'kubectl' });
    const second = await pods.patch('p', 'apply', manifest, { namespace: 'default', fieldManager: 'kubectl' });
    assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion, 'the second apply changes nothing');
    assert.deepEqual(second.spec.volumes, live.spec.volumes);
  } finally {
    await cluster.stop();
  }
});

test('creates alike but for their names share field sets; a different key or label gives its own', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const fieldsOf = async (p: Pod) => (await pods.create(p, { fieldManager: 'm' })).metadata.managedFields!.map((e) => e.fieldsV1);
    const a1 = await fieldsOf(pod('a1', { labels: { app: 'x' } }, { schedulerName: 'nobody' }));
    const a2 = await fieldsOf(pod('a2', { labels: { app: 'x' } }, { schedulerName: 'nobody' }));
    assert.deepEqual(a2, a1);
    const b = await fieldsOf(pod('b', { labels: { tier: 'x' } }, { schedulerName: 'nobody', containers: [{ name: 'other', image: 'nginx:1.27' }] }));
    const spec = (b[0] as Fields)['f:spec'] as Fields;
    assert.ok((spec['f:containers'] as Fields)['k:{"name":"other"}']);
    assert.deepEqual(Object.keys(((b[0] as Fields)['f:metadata'] as Fields)['f:labels'] as Fields), ['.', 'f:tier']);
  } finally {
    await cluster.stop();
  }
});

test('creates differing only in scalar values outside list items share field sets; list keys and set values do not', async () => {
  const cluster = await startCluster();
  try {
    const events = cluster.client().resource(EVENTS);
    const event = (name: string, involved: string, message: string, count: number) => ({
      apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default', labels: { owner: involved } },
      involvedObject: { kind: 'Pod', namespace: 'default', name: involved, uid: `uid-${involved}` },
      reason: 'Pulled', message, source: { component: 'kubelet', host: 'node-1' }, count, type: 'Normal',
    });
    const e1 = await events.create(event('e1', 'web-1', 'pulled nginx', 1), { fieldManager: 'kubelet' });
    const e2 = await events.create(event('e2', 'web-2', 'pulled busybox:1.36 in 2s', 7), { fieldManager: 'kubelet' });
    assert.deepEqual(e2.metadata.managedFields!.map((e) => e.fieldsV1), e1.metadata.managedFields!.map((e) => e.fieldsV1));
    assert.ok(JSON.stringify(e1.metadata.managedFields).includes('"f:owner"'));

    const pods = cluster.client().resource<Pod>(PODS);
    const withPort = (name: string, port: number, finalizer: string) =>
      pod(name, { finalizers: [finalizer] }, { schedulerName: 'nobody', containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: port }] }] });
    const fieldsOf = async (p: Pod) => JSON.stringify((await pods.create(p, { fieldManager: 'm' })).metadata.managedFields!.map((e) => e.fieldsV1));
    const p80 = await fieldsOf(withPort('p80', 80, 'example.com/a'));
    const p81 = await fieldsOf(withPort('p81', 81, 'example.com/a'));
    const other = await fieldsOf(withPort('other', 80, 'example.com/b'));
    assert.ok(p80.includes('k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}'));
    assert.ok(p81.includes('k:{\\"containerPort\\":81,\\"protocol\\":\\"TCP\\"}'));
    assert.ok(other.includes('v:\\"example.com/b\\"'));
    assert.notEqual(other, p80);
  } finally {
    await cluster.stop();
  }
});

test('a Deployment as `kubectl create deployment` creates it: the entry a 1.32 cluster records', async () => {
  const cluster = await startCluster();
  try {
    const deployments = cluster.client().resource<KubeObject>({ group: 'apps', version: 'v1', resource: 'deployments' });
    const created = await deployments.create({
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'nginx', namespace: 'default', creationTimestamp: null, labels: { app: 'nginx' } },
      spec: {
        replicas: 1, selector: { matchLabels: { app: 'nginx' } }, strategy: {},
        template: { metadata: { creationTimestamp: null, labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] } },
      },
      status: {},
    } as unknown as KubeObject, { namespace: 'default', fieldManager: 'kubectl-create' });
    assert.deepEqual(created.metadata.managedFields!.map((e) => [e.manager, e.operation, e.fieldsV1]), [['kubectl-create', 'Update', {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': {
        'f:progressDeadlineSeconds': {}, 'f:replicas': {}, 'f:revisionHistoryLimit': {}, 'f:selector': {},
        'f:strategy': { 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} },
        'f:template': {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:imagePullPolicy': {}, 'f:name': {}, 'f:resources': {}, 'f:terminationMessagePath': {}, 'f:terminationMessagePolicy': {} } },
            'f:dnsPolicy': {}, 'f:restartPolicy': {}, 'f:schedulerName': {}, 'f:securityContext': {}, 'f:terminationGracePeriodSeconds': {},
          },
        },
      },
    }]]);
  } finally {
    await cluster.stop();
  }
});
