import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, Pod } from '../../../../../src/cluster/api/types';
import { CONFIGMAPS, PODS } from '../../../../../src/cluster/client/client';
import { isStatusError } from '../../../../../src/cluster/api/errors';
import { settle } from '../../../../../src/cluster/clock';
import { pod, podWatcher, startCluster } from '../fixture';

/** Paths of the frozen objects and arrays in `value` ('' for the value itself). */
function frozenParts(value: unknown, path = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const out = Object.isFrozen(value) ? [path || '.'] : [];
  for (const [k, v] of Object.entries(value)) out.push(...frozenParts(v, `${path}.${k}`));
  return out;
}

async function refused(write: Promise<unknown>, code: number): Promise<void> {
  await assert.rejects(write, (err: unknown) => isStatusError(err) && (err as { code?: number }).code === code);
}

// An in-process client hands its objects to the API server without serializing them. Whatever the
// server does with a write (freezing what it stores and shares with watchers), the caller's own
// object stays its own: after an answer, refused or not, it can change it and send it again.
test('an in-process caller can change and resend its object after a create or an update is refused, or done', async () => {
  const cluster = await startCluster();
  // A watcher takes each written object (see written.ts), as the controllers' informer does.
  const watcher = await podWatcher(cluster);
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    // 422: an invalid pod, then made valid and sent again.
    const mine = pod('web', { labels: { app: 'web' } }, { containers: [{ name: 'app', image: '' }] });
    await refused(pods.create(mine), 422);
    assert.deepEqual(frozenParts(mine), []);
    mine.spec.containers[0]!.image = 'nginx:1.27';
    mine.metadata.labels!.tier = 'front';
    await pods.create(mine);
    await settle();
    assert.deepEqual(frozenParts(mine), [], 'a create that was done leaves the object its caller\'s');
    // 409: the same name again.
    mine.spec.containers[0]!.env = [{ name: 'A', value: '1' }];
    await refused(pods.create(mine), 409);
    assert.deepEqual(frozenParts(mine), []);
    // An update with a stale resourceVersion (409), then with the current one.
    const current = await pods.get('web', { namespace: 'default' });
    const update = { ...current, metadata: { ...current.metadata, labels: { app: 'web', v: '1' } } } as Pod;
    await pods.update(update);
    await settle();
    assert.deepEqual(frozenParts(update), []);
    update.metadata.labels!.v = '2';
    update.spec.activeDeadlineSeconds = 30;
    await refused(pods.update(update), 409);
    assert.deepEqual(frozenParts(update), []);
    update.metadata.resourceVersion = (await pods.get('web', { namespace: 'default' })).metadata.resourceVersion!;
    // 422: a pod's containers cannot change.
    update.spec.containers[0]!.image = '';
    await refused(pods.update(update), 422);
    assert.deepEqual(frozenParts(update), []);
    update.spec.containers[0]!.image = 'nginx:1.27';
    const updated = await pods.update(update);
    assert.equal(updated.spec.activeDeadlineSeconds, 30);
    // A merge patch whose values the server keeps.
    const patch = { metadata: { labels: { extra: 'x' }, annotations: { a: 'b' } }, spec: { activeDeadlineSeconds: 20 } };
    await pods.patch('web', 'merge', patch, { namespace: 'default' });
    await settle();
    assert.deepEqual(frozenParts(patch), []);
    patch.metadata.labels.extra = 'y';
    // A status write, refused then done.
    const withStatus = { ...updated, metadata: { ...updated.metadata, resourceVersion: undefined }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }, { type: '', status: 'True' }] } } as unknown as Pod;
    await refused(pods.update(withStatus, { subresource: 'status' }), 422);
    assert.deepEqual(frozenParts(withStatus), []);
    withStatus.status!.conditions!.pop();
    await pods.update(withStatus, { subresource: 'status' });
    await settle();
    assert.deepEqual(frozenParts(withStatus), []);

    // A status merge patch, as a kubelet writes them (members replaced whole), refused then done;
    // one with an undefined member (not what JSON.parse gives: the server stops freezing there).
    const statusPatch = { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }, { type: '', status: 'True' }], containerStatuses: [{ name: 'app', image: 'nginx:1.27', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] } };
    await refused(pods.patch('web', 'merge', statusPatch, { namespace: 'default', subresource: 'status' }), 422);
    assert.deepEqual(frozenParts(statusPatch), []);
    statusPatch.status.conditions.pop();
    await pods.patch('web', 'merge', statusPatch, { namespace: 'default', subresource: 'status' });
    await settle();
    assert.deepEqual(frozenParts(statusPatch), []);
    const odd = { status: { conditions: [{ type: 'Ready', status: 'False' }], hostIP: undefined, podIP: '10.0.0.9' } };
    await pods.patch('web', 'merge', odd, { namespace: 'default', subresource: 'status' });
    await settle();
    assert.deepEqual(frozenParts(odd), []);
    const oddSpec = { metadata: { labels: { z: '1' }, annotations: { n: undefined } }, spec: { activeDeadlineSeconds: 10 } };
    await pods.patch('web', 'merge', oddSpec, { namespace: 'default' });
    await settle();
    assert.deepEqual(frozenParts(oddSpec), []);
    const oddCreate = pod('odd', { labels: { a: 'b' }, annotations: { u: undefined as unknown as string } }, { containers: [{ name: 'app', image: 'nginx:1.27', args: ['x'], resources: {} }], tolerations: [{ key: 'k', operator: 'Exists' }] });
    await pods.create(oddCreate);
    await settle();
    assert.deepEqual(frozenParts(oddCreate), []);

    // Not pods only: a ConfigMap's data.
    const cms = cluster.client().resource(CONFIGMAPS);
    const cm: KubeObject & { data: Record<string, string> } = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { k: 'v' } };
    await cms.create(cm);
    await settle();
    assert.deepEqual(frozenParts(cm), []);
    cm.data.k = 'w';
  } finally {
    watcher.stop();
    await cluster.stop();
  }
});
