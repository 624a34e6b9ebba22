import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIGMAPS, PODS } from '../../../../src/cluster/client/client';
import { StatusError } from '../../../../src/cluster/api/errors';
import type { Pod, Status } from '../../../../src/cluster/api/types';
import { configMap, pod, startCluster } from './fixture';

test('merge, JSON and strategic merge patches change the live object; SMP merges containers by name', async () => {
  const cluster = await startCluster();
  try {
    const client = cluster.client();
    const cms = client.resource(CONFIGMAPS);
    await cms.create(configMap('a', { x: '1' }));
    const merged = await cms.patch('a', 'merge', { data: { y: '2' } }, { namespace: 'default' });
    assert.deepEqual(merged.data, { x: '1', y: '2' });
    const jsonPatched = await cms.patch('a', 'json', [{ op: 'remove', path: '/data/x' }], { namespace: 'default' });
    assert.deepEqual(jsonPatched.data, { y: '2' });
    const pods = client.resource<Pod>(PODS);
    await pods.create(pod('p', {}, { containers: [{ name: 'a', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }, { name: 'b', image: 'busybox' }] }));
    const patched = await pods.patch('p', 'strategic', { spec: { containers: [{ name: 'a', image: 'nginx:1.28' }] } }, { namespace: 'default' });
    assert.deepEqual(patched.spec.containers.map((c) => [c.name, c.image, c.ports?.length ?? 0]), [['a', 'nginx:1.28', 1], ['b', 'busybox', 0]]);
  } finally {
    await cluster.stop();
  }
});

test('a patch carrying a stale resourceVersion is 409; a failing JSON patch test is 422 and writes nothing', async () => {
  const cluster = await startCluster();
  try {
    const cms = cluster.client().resource(CONFIGMAPS);
    const created = await cms.create(configMap('a', { x: '1' }));
    await cms.patch('a', 'merge', { data: { x: '2' } }, { namespace: 'default' });
    await assert.rejects(cms.patch('a', 'merge', { metadata: { resourceVersion: created.metadata.resourceVersion }, data: { x: '3' } }, { namespace: 'default' }), (err: StatusError) => err.code === 409);
    await assert.rejects(cms.patch('a', 'json', [{ op: 'test', path: '/data/x', value: 'nope' }, { op: 'remove', path: '/data' }], { namespace: 'default' }), (err: StatusError) => {
      assert.equal(err.code, 422);
      return true;
    });
    assert.deepEqual((await cms.get('a', { namespace: 'default' })).data, { x: '2' });
  } finally {
    await cluster.stop();
  }
});

test('fieldValidation: Strict is a 400 naming the unknown fields, Warn warns and drops them', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const bad = { ...pod('p'), spec: { ...pod('p').spec, foo: 1 } } as Pod;
    await assert.rejects(pods.create(bad, { fieldValidation: 'Strict' }), (err: StatusError) => {
      assert.equal(err.code, 400);
      assert.equal(err.message, 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo"');
      return true;
    });
    const warned = await pods.createWithWarnings(bad, { fieldValidation: 'Warn' });
    assert.deepEqual(warned.warnings, ['unknown field "spec.foo"']);
    assert.equal((warned.object.spec as Record<string, unknown>).foo, undefined);
  } finally {
    await cluster.stop();
  }
});

test('pods/binding assigns the node and sets PodScheduled; a second binding is 409', async () => {
  const cluster = await startCluster(1);
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    // Another scheduler's pod: the default scheduler leaves it alone, so this test binds it.
    const created = await pods.create(pod('p', {}, { schedulerName: 'test-scheduler' }));
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', namespace: 'default', uid: created.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } };
    const status = await pods.createSubresource<Status>('p', 'binding', binding, { namespace: 'default' });
    assert.deepEqual(status, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const bound = await pods.get('p', { namespace: 'default' });
    assert.equal(bound.spec.nodeName, 'node-1');
    assert.equal(bound.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
    await assert.rejects(pods.createSubresource('p', 'binding', binding, { namespace: 'default' }), (err: StatusError) => {
      assert.equal(err.code, 409);
      assert.equal(err.message, 'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "node-1"');
      return true;
    });
  } finally {
    await cluster.stop();
  }
});

test('pods/status writes status only; pods/eviction deletes the pod', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(pod('p'));
    const patched = await pods.patch('p', 'merge', { status: { phase: 'Running' }, spec: { activeDeadlineSeconds: 5 } }, { namespace: 'default', subresource: 'status' });
    assert.equal(patched.status?.phase, 'Running');
    assert.equal(patched.spec.activeDeadlineSeconds, undefined);
    const evicted = await pods.createSubresource<Status>('p', 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: 'default' } }, { namespace: 'default' });
    assert.equal(evicted.code, 201);
    await assert.rejects(pods.get('p', { namespace: 'default' }), (err: StatusError) => err.code === 404);
  } finally {
    await cluster.stop();
  }
});

test('pod conditions are stored as kube-apiserver encodes them: a strategic merge patch\'s "lastProbeTime": null deletes the key, the stored condition has it back as null, in Go field order, and the writer owns it', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(pod('p'));
    const condition = { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' };
    // The first write adds the condition whole; the second merges into it, where null means "delete".
    await pods.patch('p', 'strategic', { status: { conditions: [{ ...condition, status: 'Unknown' }] } }, { namespace: 'default', subresource: 'status', fieldManager: 'kubelet' });
    await pods.patch('p', 'strategic', { status: { conditions: [condition] } }, { namespace: 'default', subresource: 'status', fieldManager: 'kubelet' });
    const stored = await pods.get('p', { namespace: 'default' });
    const ready = stored.status?.conditions?.find((c) => c.type === 'Ready') as unknown as Record<string, unknown>;
    assert.deepEqual(Object.entries(ready), Object.entries(condition));
    const kubelet = stored.metadata.managedFields?.find((m) => m.manager === 'kubelet');
    const fields = (kubelet?.fieldsV1 as Record<string, Record<string, Record<string, Record<string, unknown>>>>)['f:status']!['f:conditions']!['k:{"type":"Ready"}']!;
    assert.deepEqual(Object.keys(fields).sort(), ['.', 'f:lastProbeTime', 'f:lastTransitionTime', 'f:message', 'f:reason', 'f:status', 'f:type']);
  } finally {
    await cluster.stop();
  }
});
