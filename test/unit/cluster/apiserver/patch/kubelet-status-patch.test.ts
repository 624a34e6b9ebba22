/**
 * The kubelet's status manager writes pod status as a strategic merge patch on pods/status: the
 * two-way diff of the old and new status, `$setElementOrder/conditions` naming the conditions in the
 * order the kubelet keeps them, `null` for fields a condition lost, and `metadata.uid` so that the
 * patch cannot land on a pod recreated under the same name. These tests go through the in-process
 * client and the API server's PATCH handler, as the kubelet does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PODS } from '../../../../../src/cluster/client/client';
import type { Pod } from '../../../../../src/cluster/api/types';
import { pod, startCluster } from '../fixture';

const at = '2026-01-01T00:00:00Z';
type Condition = NonNullable<NonNullable<Pod['status']>['conditions']>[number];
const condition = (type: string, status: string, extra: Partial<Condition> = {}): Condition => ({ type, status, lastTransitionTime: at, ...extra }) as Condition;
/** A condition as the server stores it: lastProbeTime is a Go struct field, never omitted (null). */
const asStored = (type: string, status: string, extra: Partial<Condition> = {}): Condition => ({ lastProbeTime: null, ...condition(type, status, extra) });

test('kubelet status patch: $setElementOrder/conditions, nulls and metadata.uid through PATCH pods/status', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const created = await pods.create(pod('p', {}, { nodeName: 'node-1', schedulerName: 'test-scheduler' }));
    const uid = created.metadata.uid!;
    // The state after the kubelet's first status write: containers not ready yet.
    await pods.patch('p', 'merge', {
      status: {
        phase: 'Pending',
        conditions: [
          condition('PodReadyToStartContainers', 'True'),
          condition('Initialized', 'True'),
          condition('Ready', 'False', { reason: 'ContainersNotReady', message: 'containers with unready status: [app]' }),
          condition('ContainersReady', 'False', { reason: 'ContainersNotReady', message: 'containers with unready status: [app]' }),
          condition('PodScheduled', 'True'),
        ],
      },
    }, { namespace: 'default', subresource: 'status' });

    // The container became ready: the kubelet's diff of the two statuses.
    const later = '2026-01-01T00:00:05Z';
    const patched = await pods.patch('p', 'strategic', {
      metadata: { uid },
      status: {
        '$setElementOrder/conditions': [{ type: 'PodReadyToStartContainers' }, { type: 'Initialized' }, { type: 'Ready' }, { type: 'ContainersReady' }, { type: 'PodScheduled' }],
        conditions: [
          { type: 'Ready', status: 'True', lastTransitionTime: later, reason: null, message: null },
          { type: 'ContainersReady', status: 'True', lastTransitionTime: later, reason: null, message: null },
        ],
        phase: 'Running',
      },
    }, { namespace: 'default', subresource: 'status' });

    const want = [
      asStored('PodReadyToStartContainers', 'True'),
      asStored('Initialized', 'True'),
      asStored('Ready', 'True', { lastTransitionTime: later }),
      asStored('ContainersReady', 'True', { lastTransitionTime: later }),
      asStored('PodScheduled', 'True'),
    ];
    assert.deepEqual(patched.status?.conditions, want);
    assert.equal(patched.status?.phase, 'Running');
    const stored = await pods.get('p', { namespace: 'default' });
    assert.deepEqual(stored.status?.conditions, want);
    assert.equal(stored.metadata.uid, uid);
  } finally {
    await cluster.stop();
  }
});

test('kubelet status patch: a $setElementOrder naming only the kubelet\'s conditions keeps PodScheduled where it was', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const created = await pods.create(pod('p', {}, { nodeName: 'node-1', schedulerName: 'test-scheduler' }));
    await pods.patch('p', 'merge', { status: { phase: 'Pending', conditions: [condition('PodScheduled', 'True')] } }, { namespace: 'default', subresource: 'status' });

    const patched = await pods.patch('p', 'strategic', {
      metadata: { uid: created.metadata.uid },
      status: {
        '$setElementOrder/conditions': [{ type: 'PodReadyToStartContainers' }, { type: 'Initialized' }, { type: 'Ready' }, { type: 'ContainersReady' }],
        conditions: [
          condition('PodReadyToStartContainers', 'False'),
          condition('Initialized', 'True'),
          condition('Ready', 'False', { reason: 'ContainersNotReady' }),
          condition('ContainersReady', 'False', { reason: 'ContainersNotReady' }),
        ],
      },
    }, { namespace: 'default', subresource: 'status' });

    // Accepted (the order must only hold the patch's items). The kubelet's conditions come in its
    // order; PodScheduled, only on the server, has no server neighbour among them to be placed
    // before, so it follows them (apimachinery's mergeSortedSlice takes new items first).
    assert.deepEqual(patched.status?.conditions?.map((c) => c.type), ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
    assert.deepEqual(patched.status?.conditions?.[4], asStored('PodScheduled', 'True'));

    // The next write names the kubelet's conditions again; PodScheduled now sits after them on the
    // server and stays there.
    const again = await pods.patch('p', 'strategic', {
      metadata: { uid: created.metadata.uid },
      status: {
        '$setElementOrder/conditions': [{ type: 'PodReadyToStartContainers' }, { type: 'Initialized' }, { type: 'Ready' }, { type: 'ContainersReady' }],
        conditions: [{ type: 'PodReadyToStartContainers', status: 'True' }],
      },
    }, { namespace: 'default', subresource: 'status' });
    assert.deepEqual(again.status?.conditions?.map((c) => [c.type, c.status]), [
      ['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', 'False'], ['ContainersReady', 'False'], ['PodScheduled', 'True'],
    ]);
  } finally {
    await cluster.stop();
  }
});

test('kubelet status patch: a metadata.uid of another pod is a 409 conflict and writes nothing', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    const { uid } = (await pods.create(pod('p', {}, { nodeName: 'node-1', schedulerName: 'test-scheduler' }))).metadata;
    // A merge patch whose metadata is the uid alone (the simulated kubelet's) takes the status
    // write's short path: the uid is checked there all the same.
    for (const type of ['strategic', 'merge'] as const) {
      await assert.rejects(
        pods.patch('p', type, { metadata: { uid: 'someone-else' }, status: { phase: 'Running' } }, { namespace: 'default', subresource: 'status' }),
        (err: { code?: number; message?: string }) => {
          assert.equal(err.code, 409);
          assert.equal(err.message, `Operation cannot be fulfilled on pods "p": Precondition failed: UID in precondition: someone-else, UID in object meta: ${uid}`);
          return true;
        },
      );
    }
    assert.equal((await pods.get('p', { namespace: 'default' })).status?.phase, 'Pending');
    await pods.patch('p', 'merge', { metadata: { uid }, status: { phase: 'Running' } }, { namespace: 'default', subresource: 'status' });
    const written = await pods.get('p', { namespace: 'default' });
    assert.equal(written.status?.phase, 'Running');
    assert.equal(written.metadata.uid, uid);
  } finally {
    await cluster.stop();
  }
});
