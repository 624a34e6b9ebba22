/**
 * @kubernetes/client-node 1.3 (the official JavaScript client, unchanged) against the API server
 * over HTTPS: typed CoreV1Api calls, a raw Watch that must deliver every event of a burst of
 * concurrent writes exactly once and in resourceVersion order, and an informer that must follow
 * adds, updates and deletes and resynchronise with a re-list after a 410 Gone.
 *
 * The cluster runs in this process (the same Cluster the standalone server runs, listening on a
 * free port) so the test can compact the store: that is how a real cluster's history expires.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { Cluster } from '../../src/cluster/cluster';

let cluster: Cluster;
let dataDir: string;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
const NS = 'default';

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kube-sim-client-node-'));
  cluster = await Cluster.start({ dataDir, port: 0, nodes: 0 });
  kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfigPath!);
  core = kc.makeApiClient(k8s.CoreV1Api);
});

after(async () => {
  await cluster.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const configMap = (name: string, data: Record<string, string> = {}, labels: Record<string, string> = {}): k8s.V1ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

/** Resolves when `condition()` holds, re-checking after each call of the returned `poke`. */
function eventually(condition: () => boolean): { done: Promise<void>; poke: () => void } {
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => { resolveDone = r; });
  const poke = () => { if (condition()) resolveDone(); };
  poke();
  return { done, poke };
}

describe('CoreV1Api', () => {
  test('create, read, list with a label selector, patch (merge, strategic, JSON), replace, delete', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: NS, body: configMap('typed', { a: '1' }, { suite: 'typed' }) });
    assert.equal(created.metadata?.name, 'typed');
    assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.match(created.metadata?.resourceVersion ?? '', /^\d+$/);
    assert.ok(created.metadata?.creationTimestamp instanceof Date, 'client-node parses creationTimestamp as a Date');

    const read = await core.readNamespacedConfigMap({ name: 'typed', namespace: NS });
    assert.deepEqual(read.data, { a: '1' });

    const list = await core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'suite=typed' });
    assert.deepEqual(list.items.map((i) => i.metadata?.name), ['typed']);
    assert.match(list.metadata?.resourceVersion ?? '', /^\d+$/);

    const merged = await core.patchNamespacedConfigMap(
      { name: 'typed', namespace: NS, body: { data: { b: '2' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.deepEqual(merged.data, { a: '1', b: '2' });
    const strategic = await core.patchNamespacedConfigMap(
      { name: 'typed', namespace: NS, body: { metadata: { labels: { smp: 'yes' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    assert.deepEqual(strategic.metadata?.labels, { suite: 'typed', smp: 'yes' });
    // client-node's default patch type is a JSON patch.
    const json = await core.patchNamespacedConfigMap({ name: 'typed', namespace: NS, body: [{ op: 'remove', path: '/data/a' }] });
    assert.deepEqual(json.data, { b: '2' });

    const replaced = await core.replaceNamespacedConfigMap({ name: 'typed', namespace: NS, body: { ...json, data: { c: '3' } } });
    assert.deepEqual(replaced.data, { c: '3' });
    assert.ok(Number(replaced.metadata!.resourceVersion) > Number(json.metadata!.resourceVersion));

    await core.deleteNamespacedConfigMap({ name: 'typed', namespace: NS });
    await assert.rejects(core.readNamespacedConfigMap({ name: 'typed', namespace: NS }), (err: unknown) => {
      assert.ok(err instanceof k8s.ApiException);
      assert.equal(err.code, 404);
      const status = JSON.parse(err.body as string) as k8s.V1Status;
      assert.deepEqual(
        { kind: status.kind, status: status.status, reason: status.reason, message: status.message, code: status.code, details: status.details },
        { kind: 'Status', status: 'Failure', reason: 'NotFound', message: 'configmaps "typed" not found', code: 404, details: { name: 'typed', kind: 'configmaps' } },
      );
      return true;
    });
  });

  test('server-side apply through client-node (apply-patch+yaml with a JSON body)', async () => {
    const applied = await core.patchNamespacedConfigMap(
      { name: 'applied', namespace: NS, body: configMap('applied', { k: 'v' }), fieldManager: 'client-node-e2e', force: true },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply),
    );
    assert.deepEqual(applied.data, { k: 'v' });
    assert.deepEqual(applied.metadata?.managedFields?.map((m) => [m.manager, m.operation]), [['client-node-e2e', 'Apply']]);
    await core.deleteNamespacedConfigMap({ name: 'applied', namespace: NS });
  });

  test('errors are ApiExceptions carrying the Status: AlreadyExists, Invalid with causes, Conflict', async () => {
    await core.createNamespacedConfigMap({ namespace: NS, body: configMap('dup') });
    await assert.rejects(core.createNamespacedConfigMap({ namespace: NS, body: configMap('dup') }), (err: k8s.ApiException<string>) => {
      assert.equal(err.code, 409);
      const status = JSON.parse(err.body) as k8s.V1Status;
      assert.equal(status.reason, 'AlreadyExists');
      assert.equal(status.message, 'configmaps "dup" already exists');
      return true;
    });
    await assert.rejects(core.createNamespacedConfigMap({ namespace: NS, body: configMap('Bad_Name') }), (err: k8s.ApiException<string>) => {
      assert.equal(err.code, 422);
      const status = JSON.parse(err.body) as k8s.V1Status;
      assert.equal(status.reason, 'Invalid');
      assert.equal(status.details?.kind, 'ConfigMap');
      assert.equal(status.details?.causes?.[0]?.field, 'metadata.name');
      assert.equal(status.details?.causes?.[0]?.reason, 'FieldValueInvalid');
      return true;
    });
    const current = await core.readNamespacedConfigMap({ name: 'dup', namespace: NS });
    await core.replaceNamespacedConfigMap({ name: 'dup', namespace: NS, body: { ...current, data: { x: '1' } } });
    await assert.rejects(core.replaceNamespacedConfigMap({ name: 'dup', namespace: NS, body: { ...current, data: { x: '2' } } }), (err: k8s.ApiException<string>) => {
      assert.equal(err.code, 409);
      const status = JSON.parse(err.body) as k8s.V1Status;
      assert.equal(status.reason, 'Conflict');
      assert.equal(status.message, 'Operation cannot be fulfilled on configmaps "dup": the object has been modified; please apply your changes to the latest version and try again');
      return true;
    });
    await core.deleteNamespacedConfigMap({ name: 'dup', namespace: NS });
  });

  test('the read-only viewer gets 403 Forbidden', async () => {
    const viewer = new k8s.KubeConfig();
    viewer.loadFromFile(cluster.kubeconfigPath!);
    viewer.setCurrentContext('kube-sim-viewer');
    const api = viewer.makeApiClient(k8s.CoreV1Api);
    const list = await api.listNamespacedConfigMap({ namespace: NS });
    assert.ok(Array.isArray(list.items));
    await assert.rejects(api.createNamespacedConfigMap({ namespace: NS, body: configMap('nope') }), (err: k8s.ApiException<string>) => {
      assert.equal(err.code, 403);
      assert.equal((JSON.parse(err.body) as k8s.V1Status).message, 'configmaps is forbidden: User "viewer" cannot create resource "configmaps" in API group "" in the namespace "default"');
      return true;
    });
  });

  test('KubernetesObjectApi resolves resources through legacy discovery', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const created = await objects.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'generic', namespace: NS }, spec: { holderIdentity: 'e2e' } });
    assert.equal(created.metadata?.name, 'generic');
    const read = await objects.read({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'generic', namespace: NS } });
    assert.equal((read as k8s.V1Lease).spec?.holderIdentity, 'e2e');
    await objects.delete({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'generic', namespace: NS } });
  });
});

describe('Watch', () => {
  test('a burst of concurrent writes: every event arrives once, in resourceVersion order, matching the acknowledged writes', async () => {
    const ns = 'watch-burst';
    await core.createNamespace({ body: { metadata: { name: ns } } });
    const start = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'suite=burst' });
    const events: { type: string; name: string; rv: number }[] = [];
    const expected = new Map<number, string>(); // rv → "TYPE name"
    let check = eventually(() => false);
    let ended: unknown = 'open';
    const watch = new k8s.Watch(kc);
    const controller = await watch.watch(
      `/api/v1/namespaces/${ns}/configmaps`,
      // Only the test's objects: the root CA publisher adds kube-root-ca.crt to each new namespace.
      { resourceVersion: start.metadata!.resourceVersion!, labelSelector: 'suite=burst' },
      (type, obj: k8s.V1ConfigMap) => {
        events.push({ type, name: obj.metadata!.name!, rv: Number(obj.metadata!.resourceVersion) });
        check.poke();
      },
      (err) => { ended = err; },
    );

    const N = 120;
    const names = Array.from({ length: N }, (_, i) => `burst-${String(i).padStart(3, '0')}`);
    const writes: Promise<void>[] = [];
    // Each object: create, then update, then (every third) delete, with all objects' chains in flight at once.
    for (const [i, name] of names.entries()) {
      writes.push((async () => {
        const c = await core.createNamespacedConfigMap({ namespace: ns, body: configMap(name, { v: '0' }, { suite: 'burst' }) });
        expected.set(Number(c.metadata!.resourceVersion), `ADDED ${name}`);
        const u = await core.replaceNamespacedConfigMap({ name, namespace: ns, body: { ...c, data: { v: '1' } } });
        expected.set(Number(u.metadata!.resourceVersion), `MODIFIED ${name}`);
        if (i % 3 === 0) {
          await core.deleteNamespacedConfigMap({ name, namespace: ns });
          // The DELETED event carries the deletion's revision, which the delete response does not name;
          // a placeholder below the range keeps the count right and is checked separately.
          expected.set(-i - 1, `DELETED ${name}`);
        }
      })());
    }
    await Promise.all(writes);
    check = eventually(() => events.length >= expected.size);
    await check.done;
    assert.equal(ended, 'open', 'the server did not end the watch');
    controller.abort();

    assert.equal(events.length, expected.size, 'no duplicate and no extra events');
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.rv > events[i - 1]!.rv, `event ${i} (${events[i]!.rv}) after event ${i - 1} (${events[i - 1]!.rv})`);
    const acknowledged = [...expected].filter(([rv]) => rv > 0);
    for (const [rv, what] of acknowledged) {
      const e = events.find((x) => x.rv === rv);
      assert.ok(e, `an event for the acknowledged write ${what} at ${rv}`);
      assert.equal(`${e.type} ${e.name}`, what);
    }
    const deleted = events.filter((e) => e.type === 'DELETED').map((e) => e.name).sort();
    assert.deepEqual(deleted, names.filter((_, i) => i % 3 === 0));
    for (const name of deleted) {
      const mine = events.filter((e) => e.name === name).map((e) => e.type);
      assert.deepEqual(mine, ['ADDED', 'MODIFIED', 'DELETED'], `${name}'s events in order`);
    }
  });

  test('a watch from a compacted resourceVersion gets one ERROR event with a 410 Expired Status', async () => {
    const before = await core.listNamespacedConfigMap({ namespace: NS });
    await core.createNamespacedConfigMap({ namespace: NS, body: configMap('expire-me') });
    await core.deleteNamespacedConfigMap({ name: 'expire-me', namespace: NS });
    const rev = await cluster.store.revision();
    await cluster.store.compact(rev);
    const events: { type: string; obj: k8s.V1Status }[] = [];
    const ended = new Promise<unknown>((resolveEnd) => {
      void new k8s.Watch(kc).watch(`/api/v1/namespaces/${NS}/configmaps`, { resourceVersion: before.metadata!.resourceVersion! }, (type, obj: k8s.V1Status) => events.push({ type, obj }), resolveEnd);
    });
    assert.equal(await ended, null, 'the server ends the stream cleanly after the error');
    assert.equal(events.length, 1);
    assert.equal(events[0]!.type, 'ERROR');
    const status = events[0]!.obj;
    assert.deepEqual([status.kind, status.status, status.reason, status.code], ['Status', 'Failure', 'Expired', 410]);
    assert.match(status.message ?? '', /^too old resource version: \d+ \(\d+\)$/);
  });
});

describe('informer', () => {
  test('add, update and delete handlers; after a 410 the informer re-lists and converges', async () => {
    const ns = 'informed';
    await core.createNamespace({ body: { metadata: { name: ns } } });
    const informed = { suite: 'informer' };
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('keep', { v: '0' }, informed) });
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('drop', { v: '0' }, informed) });

    const log: string[] = [];
    // makeInformer returns a ListWatch: an Informer that is also the object cache.
    // Selected by label: the root CA publisher adds kube-root-ca.crt to each new namespace.
    const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${ns}/configmaps`, () => core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'suite=informer' }), 'suite=informer') as k8s.ListWatch<k8s.V1ConfigMap>;
    let state = eventually(() => false);
    const record = (verb: string) => (obj: k8s.V1ConfigMap) => {
      log.push(`${verb} ${obj.metadata!.name} v=${obj.data?.['v']}`);
      state.poke();
    };
    informer.on('add', record('add'));
    informer.on('update', record('update'));
    informer.on('delete', record('delete'));
    const errors: unknown[] = [];
    informer.on('error', (err) => { errors.push(err); });

    const cacheOf = () => informer.list(ns).map((o) => `${o.metadata!.name} v=${o.data?.['v']}`).sort();
    const until = async (condition: () => boolean) => {
      state = eventually(condition);
      await state.done;
    };

    await informer.start();
    await until(() => log.length >= 2);
    assert.deepEqual([...log].sort(), ['add drop v=0', 'add keep v=0']);

    log.length = 0;
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('new', { v: '0' }, informed) });
    await core.patchNamespacedConfigMap({ name: 'keep', namespace: ns, body: { data: { v: '1' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ name: 'drop', namespace: ns });
    await until(() => log.length >= 3);
    assert.deepEqual(log, ['add new v=0', 'update keep v=1', 'delete drop v=0']);
    assert.deepEqual(cacheOf(), ['keep v=1', 'new v=0']);

    // The connection drops; while the informer is away the objects change and the history it
    // would resume from is compacted. Resuming from its resourceVersion gets 410 Gone, so it
    // must re-list, and the re-list must report what it missed.
    await informer.stop();
    log.length = 0;
    await core.patchNamespacedConfigMap({ name: 'keep', namespace: ns, body: { data: { v: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ name: 'new', namespace: ns });
    await core.createNamespacedConfigMap({ namespace: ns, body: configMap('late', { v: '0' }, informed) });
    const resumeFrom = Number(informer.latestResourceVersion());
    await cluster.store.compact(await cluster.store.revision());
    assert.ok(resumeFrom < (await cluster.store.compactedRevision()));

    await informer.start();
    await until(() => log.length >= 3);
    assert.deepEqual([...log].sort(), ['add late v=0', 'delete new v=0', 'update keep v=2']);
    assert.deepEqual(cacheOf(), ['keep v=2', 'late v=0']);
    assert.ok(Number(informer.latestResourceVersion()) > resumeFrom, 'the informer resumed from the re-list');

    // And it keeps watching after the re-list.
    log.length = 0;
    await core.deleteNamespacedConfigMap({ name: 'late', namespace: ns });
    await until(() => log.length >= 1);
    assert.deepEqual(log, ['delete late v=0']);
    await informer.stop();
    // stop() aborts the watch request, which client-node reports to 'error' handlers as an AbortError.
    assert.deepEqual(errors.filter((e) => (e as Error).name !== 'AbortError'), []);
  });
});
