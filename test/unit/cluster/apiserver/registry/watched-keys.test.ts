import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../../../../src/cluster/store/memory';
import { WatchedKeys } from '../../../../../src/cluster/apiserver/registry/watched-keys';
import { ApiServer } from '../../../../../src/cluster/apiserver/server';
import { ManualClock } from '../../../../../src/cluster/clock';
import { allResources } from '../../../../../src/cluster/apiserver/registry/kinds';
import type { RangeOptions, RangeResult, StoreWatchEvent, StoreWatcher, WatchOptions } from '../../../../../src/cluster/store/types';

test('watched keys: unknown until started, then every key under the prefix as the store has it once a writer is answered', async () => {
  const store = new MemoryStore();
  await store.txn([], [{ type: 'put', key: '/registry/namespaces/a', value: '{"a":1}' }, { type: 'put', key: '/registry/other/x', value: '{}' }]);
  const keys = new WatchedKeys(store, '/registry/namespaces/');
  assert.equal(keys.get('/registry/namespaces/a'), undefined);
  await keys.start();
  assert.equal(keys.get('/registry/namespaces/a')?.value, '{"a":1}');
  assert.equal(keys.get('/registry/namespaces/b'), null);
  assert.equal(keys.get('/registry/other/x'), null);
  const put = await store.txn([], [{ type: 'put', key: '/registry/namespaces/b', value: '{"b":1}' }]);
  assert.equal(keys.get('/registry/namespaces/b')?.modRevision, put.revision);
  await store.txn([], [{ type: 'delete', key: '/registry/namespaces/a' }]);
  assert.equal(keys.get('/registry/namespaces/a'), null);
  keys.stop();
  assert.equal(keys.get('/registry/namespaces/b'), undefined);
  await store.close();
});

/** A store that counts the reads of namespaces. */
class CountingStore extends MemoryStore {
  namespaceReads = 0;
  admissionReads = 0;
  override range(options: RangeOptions): Promise<RangeResult> {
    if (options.key.startsWith('/registry/namespaces/') && options.end === undefined) this.namespaceReads++;
    if (options.key.startsWith('/registry/serviceaccounts/') || options.key.startsWith('/registry/priorityclasses/')) this.admissionReads++;
    return super.range(options);
  }
}

test('creates in a namespace are admitted from the watched namespaces: 404 for none (after a store read), 403 once terminating, no store read of a namespace it has', async () => {
  const store = new CountingStore();
  const server = new ApiServer({ kv: store, clock: new ManualClock(), resources: allResources });
  const call = async (method: string, path: string, body?: object) => {
    const response = await server.handle({ method, path, query: new URLSearchParams(), headers: { 'content-type': 'application/json', accept: 'application/json' }, user: { name: 'admin', groups: ['system:masters'] }, ...(body ? { body } : {}) });
    return { status: response.status, body: response.body as { message?: string; reason?: string } };
  };
  // The watch starts with the server: give it a turn.
  await new Promise((resolve) => setImmediate(resolve));
  const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
  const missing = await call('POST', '/api/v1/namespaces/team/configmaps', cm('a'));
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'namespaces "team" not found');
  // Refused only after the store said so too (the live lookup of a lister miss).
  assert.equal(store.namespaceReads, 1);
  store.namespaceReads = 0;
  assert.equal((await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', finalizers: ['x/y'] }, spec: { finalizers: ['kubernetes'] } })).status, 201);
  assert.equal((await call('POST', '/api/v1/namespaces/team/configmaps', cm('a'))).status, 201);
  assert.equal(store.namespaceReads, 0);
  assert.equal((await call('DELETE', '/api/v1/namespaces/team')).status, 200);
  store.namespaceReads = 0;
  const terminating = await call('POST', '/api/v1/namespaces/team/configmaps', cm('b'));
  assert.equal(terminating.status, 403);
  assert.equal(terminating.body.message, 'configmaps "b" is forbidden: unable to create new content in namespace team because it is being terminated');
  assert.equal(store.namespaceReads, 0);
});

test('a pod create is admitted from the watched service accounts and priority classes, with the same results', async () => {
  const store = new CountingStore();
  const server = new ApiServer({ kv: store, clock: new ManualClock(), resources: allResources });
  const call = async (method: string, path: string, body?: object) => {
    const response = await server.handle({ method, path, query: new URLSearchParams(), headers: { 'content-type': 'application/json', accept: 'application/json' }, user: { name: 'admin', groups: ['system:masters'] }, ...(body ? { body } : {}) });
    return { status: response.status, body: response.body as { message?: string; spec?: Record<string, unknown> } };
  };
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal((await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } })).status, 201);
  assert.equal((await call('POST', '/api/v1/namespaces/team/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } })).status, 201);
  assert.equal((await call('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 })).status, 201);
  assert.equal((await call('POST', '/apis/scheduling.k8s.io/v1/priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'usual' }, value: 10, globalDefault: true })).status, 201);
  store.admissionReads = 0;
  // A created object's body is the server's JSON text.
  const created = (r: { status: number; body: unknown }) => {
    assert.equal(r.status, 201);
    return (r.body as { parse(): unknown }).parse() as { spec: Record<string, unknown> };
  };
  const pod = (name: string, spec: object = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...spec } });
  const plain = created(await call('POST', '/api/v1/namespaces/team/pods', pod('a')));
  assert.equal(plain.spec.serviceAccountName, 'default');
  assert.equal(plain.spec.priorityClassName, 'usual');
  assert.equal(plain.spec.priority, 10);
  assert.ok((plain.spec.volumes as { name: string }[]).some((v) => v.name.startsWith('kube-api-access-')));
  const high = created(await call('POST', '/api/v1/namespaces/team/pods', pod('b', { priorityClassName: 'high' })));
  assert.equal(high.spec.priority, 1000);
  const missing = await call('POST', '/api/v1/namespaces/team/pods', pod('c', { priorityClassName: 'none' }));
  assert.equal(missing.status, 403);
  assert.equal(store.admissionReads, 0);
});

/** A store whose watches of namespaces hear of a write only when told to, as a watch behind a real etcd can lag. */
class LaggingStore extends MemoryStore {
  private readonly held: (() => void)[] = [];
  override watch(options: WatchOptions, onEvents: (events: StoreWatchEvent[]) => void, onError?: (err: Error) => void): StoreWatcher {
    if (!options.key.startsWith('/registry/namespaces/')) return super.watch(options, onEvents, onError);
    return super.watch(options, (events) => this.held.push(() => onEvents(events)), onError);
  }
  deliver(): void {
    for (const send of this.held.splice(0)) send();
  }
}

test('a create in a namespace the watched copy has not heard of yet reads the store before refusing, as a lister miss makes kube-apiserver look it up', async () => {
  const store = new LaggingStore();
  const server = new ApiServer({ kv: store, clock: new ManualClock(), resources: allResources });
  const call = async (method: string, path: string, body?: object) => (await server.handle({ method, path, query: new URLSearchParams(), headers: { 'content-type': 'application/json', accept: 'application/json' }, user: { name: 'admin', groups: ['system:masters'] }, ...(body ? { body } : {}) })).status;
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }), 201);
  assert.equal(await call('POST', '/api/v1/namespaces/team/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }), 201);
  assert.equal(await call('POST', '/api/v1/namespaces/none/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }), 404);
  store.deliver();
  await store.close();
});

/** A store whose watches can be ended with an error, as the hub ends one whose start revision was compacted. */
class FailingWatchStore extends MemoryStore {
  private readonly failers: ((err: Error) => void)[] = [];
  override watch(options: WatchOptions, onEvents: (events: StoreWatchEvent[]) => void, onError?: (err: Error) => void): StoreWatcher {
    const watcher = super.watch(options, onEvents, onError);
    this.failers.push((err) => { watcher.cancel(); onError?.(err); });
    return watcher;
  }
  failWatches(): void {
    for (const fail of this.failers.splice(0)) fail(new Error('required revision has been compacted'));
  }
}

test('watched keys after a watch error: unknown (callers read the store) until listed and watched again, then current again', async () => {
  const store = new FailingWatchStore();
  await store.txn([], [{ type: 'put', key: '/registry/namespaces/a', value: '{"a":1}' }]);
  const keys = new WatchedKeys(store, '/registry/namespaces/');
  await keys.start();
  store.failWatches();
  assert.equal(keys.get('/registry/namespaces/a'), undefined, 'not answered from a copy that stopped following the store');
  const put = await store.txn([], [{ type: 'put', key: '/registry/namespaces/b', value: '{"b":1}' }]);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(keys.get('/registry/namespaces/a')?.value, '{"a":1}');
  assert.equal(keys.get('/registry/namespaces/b')?.modRevision, put.revision);
  await store.txn([], [{ type: 'delete', key: '/registry/namespaces/a' }]);
  assert.equal(keys.get('/registry/namespaces/a'), null, 'the new watch follows the store');
  keys.stop();
  store.failWatches();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(keys.get('/registry/namespaces/b'), undefined, 'a stopped copy is not started again');
  await store.close();
});
