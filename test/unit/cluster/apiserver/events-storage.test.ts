import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENTS, EVENTS_V1 } from '../../../../src/cluster/client/client';
import type { KubeObject } from '../../../../src/cluster/api/types';
import { settle } from '../../../../src/cluster/clock';
import { startCluster } from './fixture';

test('events.k8s.io/v1 and core/v1 events are one storage: each API reads what the other wrote', async () => {
  const cluster = await startCluster();
  try {
    const client = cluster.client();
    const created = await client.resource(EVENTS_V1).create({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'p.1', namespace: 'default' },
      eventTime: '2026-01-01T00:00:00.000000Z',
      reportingController: 'default-scheduler',
      reportingInstance: 'default-scheduler-kube-sim',
      action: 'Binding',
      reason: 'Scheduled',
      note: 'Successfully assigned default/p to node-1',
      type: 'Normal',
      regarding: { kind: 'Pod', namespace: 'default', name: 'p', apiVersion: 'v1' },
    } as KubeObject);
    assert.equal(created.apiVersion, 'events.k8s.io/v1');
    const core = await client.resource(EVENTS).get('p.1', { namespace: 'default' });
    assert.equal(core.apiVersion, 'v1');
    assert.equal(core.message, 'Successfully assigned default/p to node-1');
    assert.deepEqual(core.involvedObject, { kind: 'Pod', namespace: 'default', name: 'p', apiVersion: 'v1' });
    assert.equal(core.metadata.resourceVersion, created.metadata.resourceVersion);
    const listed = await client.resource(EVENTS).list({ namespace: 'default', fieldSelector: 'involvedObject.name=p' });
    assert.deepEqual(listed.items.map((e) => e.metadata.name), ['p.1']);
    const v1 = await client.resource(EVENTS_V1).list({ namespace: 'default' });
    assert.equal(v1.items[0]!.note, 'Successfully assigned default/p to node-1');
  } finally {
    await cluster.stop();
  }
});

test('watches with selectors on both event APIs each get the object that left the selector in their own version', async () => {
  const cluster = await startCluster();
  try {
    const client = cluster.client();
    const core = await client.resource(EVENTS).create({
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'p.2', namespace: 'default' },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'p', apiVersion: 'v1' },
      reason: 'Scheduled', message: 'Successfully assigned default/p to node-1', type: 'Normal', source: { component: 'default-scheduler' },
    } as KubeObject);
    const seen: string[] = [];
    const watches = [
      client.resource(EVENTS).watch({ namespace: 'default', fieldSelector: 'reason=Scheduled', resourceVersion: core.metadata.resourceVersion }, (e) => seen.push(`v1 ${e.type} ${e.object.apiVersion}`), () => undefined),
      client.resource(EVENTS_V1).watch({ namespace: 'default', fieldSelector: 'reason=Scheduled', resourceVersion: core.metadata.resourceVersion }, (e) => seen.push(`events.k8s.io ${e.type} ${e.object.apiVersion}`), () => undefined),
      client.resource(EVENTS).watch({ namespace: 'default', fieldSelector: 'reason=Scheduled', resourceVersion: core.metadata.resourceVersion }, (e) => seen.push(`v1 again ${e.type} ${e.object.apiVersion}`), () => undefined),
    ];
    await settle();
    await client.resource(EVENTS).update({ ...core, reason: 'FailedScheduling' });
    await settle();
    assert.deepEqual(seen.sort(), ['events.k8s.io DELETED events.k8s.io/v1', 'v1 DELETED v1', 'v1 again DELETED v1']);
    for (const w of watches) w.stop();
  } finally {
    await cluster.stop();
  }
});

test('an events.k8s.io/v1 create answers with exactly what a read of it then answers', async () => {
  const cluster = await startCluster();
  try {
    const events = cluster.client().resource(EVENTS_V1);
    const created = await events.create({
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'web.1', namespace: 'default', labels: { a: 'b' } },
      eventTime: '2026-01-01T00:00:00.000000Z', reportingController: 'default-scheduler', reportingInstance: 'default-scheduler-x',
      action: 'Binding', reason: 'Scheduled', regarding: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u' }, note: 'Successfully assigned default/web to node-1', type: 'Normal',
      series: { count: 2, lastObservedTime: '2026-01-01T00:00:01.000000Z' },
    }, { namespace: 'default' });
    const read = await events.get('web.1', { namespace: 'default' });
    assert.equal(JSON.stringify(created), JSON.stringify(read));
    assert.equal(created.metadata.resourceVersion !== undefined, true);
  } finally {
    await cluster.stop();
  }
});
