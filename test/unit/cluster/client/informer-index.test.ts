/** Informer indexes (client-go's Indexers): keys by index value, kept right through every change, reading only what is asked for. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeList, KubeObject, WatchEvent } from '../../../../src/cluster/api/types';
import { handleStats } from '../../../../src/cluster/apiserver/registry/handle';
import type { ResourceClient } from '../../../../src/cluster/client/client';
import { Informer } from '../../../../src/cluster/client/informer';
import { cluster, collect, pushOutRecent, until } from './in-process-fixture';

const APP = 'app';
const byApp = (object: KubeObject): string[] => {
  const app = object.metadata.labels?.app;
  return app === undefined ? [] : [app];
};
const configMap = (name: string, labels: Record<string, string> | undefined, resourceVersion?: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', uid: `uid-${name}`, ...(labels ? { labels } : {}), ...(resourceVersion ? { resourceVersion } : {}) } } as KubeObject);
const names = (objects: KubeObject[]) => objects.map((o) => o.metadata.name).sort();

/** A resource whose list answers `items()` at that moment and whose watch the test drives. */
function scriptedResource(items: () => KubeObject[]) {
  let emit: ((event: WatchEvent<KubeObject>) => void) | undefined;
  let end: ((err?: unknown) => void) | undefined;
  const resource = {
    gvr: { group: '', version: 'v1', resource: 'configmaps-indexed' },
    list: async (): Promise<KubeList<KubeObject>> => ({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '100' }, items: items() }),
    watch: (_options: unknown, onEvent: typeof emit, onDone: typeof end) => {
      emit = onEvent;
      end = onDone;
      return { stop: () => undefined };
    },
  } as unknown as ResourceClient<KubeObject>;
  return {
    resource,
    send: (type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject) => emit!({ type, object }),
    /** The server says the watch's version is too old: the informer lists again. */
    expire: () => {
      emit!({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } as unknown as KubeObject });
      end!();
    },
  };
}

test('an index follows adds, updates that change the value, deletes and a relist that drops objects', async () => {
  let listed = [configMap('a', { app: 'x' }, '1'), configMap('b', { app: 'x' }, '2'), configMap('c', { app: 'y' }, '3'), configMap('d', undefined, '4')];
  const server = scriptedResource(() => listed);
  const informer = new Informer(server.resource);
  informer.addIndex(APP, byApp);
  informer.start();
  await informer.waitForSync();
  try {
    assert.deepEqual(names(informer.byIndex(APP, 'x')), ['a', 'b']);
    assert.deepEqual(names(informer.byIndex(APP, 'y')), ['c']);
    assert.deepEqual(informer.byIndex(APP, 'none'), [], 'an unknown value has nothing');

    server.send('MODIFIED', configMap('b', { app: 'y' }, '5'));
    server.send('MODIFIED', configMap('a', { app: 'x', other: 'label' }, '6'));
    server.send('MODIFIED', configMap('d', { app: 'z' }, '7'));
    server.send('ADDED', configMap('e', { app: 'x' }, '8'));
    server.send('DELETED', configMap('c', { app: 'y' }, '9'));
    assert.deepEqual(names(informer.byIndex(APP, 'x')), ['a', 'e']);
    assert.deepEqual(names(informer.byIndex(APP, 'y')), ['b'], 'b moved from x to y; c is gone');
    assert.deepEqual(names(informer.byIndex(APP, 'z')), ['d'], 'an object that had no value gets one');
    assert.deepEqual(informer.byIndex(APP, 'y')[0]!.metadata.resourceVersion, '5', 'the current object');

    listed = [configMap('a', { app: 'x' }, '6'), configMap('b', undefined, '10')];
    server.expire();
    await until(() => informer.size === 2);
    assert.deepEqual(names(informer.byIndex(APP, 'x')), ['a']);
    assert.deepEqual(informer.keysByIndex(APP, 'y'), [], 'b lost its value');
    assert.deepEqual(informer.keysByIndex(APP, 'z'), [], 'd vanished from the list');
  } finally {
    informer.stop();
  }
});

test('a value keeps its keys right as it grows from one key to many and shrinks back to none', async () => {
  const count = 40;
  const server = scriptedResource(() => []);
  const informer = new Informer(server.resource);
  informer.addIndex(APP, byApp);
  informer.start();
  await informer.waitForSync();
  const keys = (value: string) => informer.keysByIndex(APP, value).sort();
  const expected = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `default/cm-${String(from + i).padStart(2, '0')}`).sort();
  try {
    for (let i = 0; i < count; i++) {
      server.send('ADDED', configMap(`cm-${String(i).padStart(2, '0')}`, { app: 'x' }, String(100 + i)));
      assert.deepEqual(keys('x'), expected(0, i + 1), `${i + 1} keys`);
    }
    server.send('ADDED', configMap('cm-00', { app: 'x' }, '99'));
    assert.deepEqual(keys('x'), expected(0, count), 'an object seen again is not added twice');
    for (let i = 0; i < count; i++) {
      server.send('MODIFIED', configMap(`cm-${String(i).padStart(2, '0')}`, { app: 'y' }, String(200 + i)));
      assert.deepEqual(keys('x'), expected(i + 1, count), `${count - i - 1} keys left under x`);
      assert.deepEqual(keys('y'), expected(0, i + 1), `${i + 1} keys under y`);
    }
    for (let i = count - 1; i >= 0; i--) {
      server.send('DELETED', configMap(`cm-${String(i).padStart(2, '0')}`, { app: 'y' }, String(300 + i)));
      assert.deepEqual(keys('y'), expected(0, i), `${i} keys left under y`);
    }

    // A few keys, taken out from the middle, the end and the start.
    for (const name of ['p', 'q', 'r', 's', 't']) server.send('ADDED', configMap(name, { app: 'w' }, '400'));
    const left = ['p', 'q', 'r', 's', 't'];
    for (const name of ['r', 't', 'p', 's', 'q']) {
      server.send('DELETED', configMap(name, { app: 'w' }, '401'));
      left.splice(left.indexOf(name), 1);
      assert.deepEqual(keys('w'), left.map((n) => `default/${n}`), `${name} went`);
    }
  } finally {
    informer.stop();
  }
});

test('an index added after the informer started indexes what it holds; a name is added once', async () => {
  const server = scriptedResource(() => [configMap('a', { app: 'x' }, '1'), configMap('b', { app: 'y' }, '2')]);
  const informer = new Informer(server.resource).start();
  await informer.waitForSync();
  try {
    informer.addIndex(APP, byApp);
    assert.deepEqual(informer.keysByIndex(APP, 'x'), ['default/a']);
    server.send('MODIFIED', configMap('a', { app: 'y' }, '3'));
    assert.deepEqual(informer.keysByIndex(APP, 'y').sort(), ['default/a', 'default/b']);
    assert.throws(() => informer.addIndex(APP, byApp), /already exists/);
    assert.throws(() => informer.byIndex('missing', 'x'), /does not exist/);
  } finally {
    informer.stop();
  }
});

test('an object that gives several values is found by each, and leaves the ones it stops giving', async () => {
  const server = scriptedResource(() => [configMap('a', { app: 'x', tier: 'web' }, '1')]);
  const informer = new Informer(server.resource);
  informer.addIndex('labels', (o) => Object.values(o.metadata.labels ?? {}));
  informer.start();
  await informer.waitForSync();
  try {
    assert.deepEqual(informer.keysByIndex('labels', 'web'), ['default/a']);
    server.send('MODIFIED', configMap('a', { app: 'x' }, '2'));
    assert.deepEqual(informer.keysByIndex('labels', 'x'), ['default/a']);
    assert.deepEqual(informer.keysByIndex('labels', 'web'), [], 'the value it no longer gives');
  } finally {
    informer.stop();
  }
});

// ---- in process: objects held by their handles, collected when nobody else holds them ----------

const labelled = (name: string, app: string, data = 'one'): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels: { app } }, data: { data } } as KubeObject);

test('byIndex decodes only the objects of its value; the others stay collected', async () => {
  const { registry, configmaps } = await cluster();
  const informer = new Informer(configmaps);
  informer.addIndex(APP, byApp);
  informer.start();
  await informer.waitForSync();
  try {
    for (let i = 0; i < 5; i++) await configmaps.create(labelled(`other-${i}`, 'other'));
    await configmaps.create(labelled('mine', 'mine'));
    await until(() => informer.size === 6);
    const others = informer.byIndex(APP, 'other').map((o) => new WeakRef(o));
    assert.equal(others.length, 5);
    pushOutRecent(registry);
    await collect();
    assert.ok(others.every((o) => o.deref() === undefined), 'the cache and the index let them go');

    const before = handleStats.redecoded;
    const mine = informer.byIndex(APP, 'mine');
    assert.deepEqual(names(mine), ['mine']);
    assert.equal(handleStats.redecoded, before + 1, 'one decode, for the one object asked for');
    assert.ok(others.every((o) => o.deref() === undefined), 'the others were not read');
  } finally {
    informer.stop();
  }
});

test('an update that keeps the value reads only the new object; one that changes it reads the old one to leave its value', async () => {
  const server = scriptedResource(() => [configMap('a', { app: 'x' }, '1')]);
  const read: string[] = [];
  const informer = new Informer(server.resource);
  informer.addIndex(APP, (o) => { read.push(o.metadata.resourceVersion!); return byApp(o); });
  informer.start();
  await informer.waitForSync();
  try {
    read.length = 0;
    server.send('MODIFIED', configMap('a', { app: 'x', other: 'label' }, '2'));
    assert.deepEqual(read, ['2'], 'the old object (which may have been collected) was not read');
    server.send('MODIFIED', configMap('a', { app: 'y' }, '3'));
    assert.deepEqual(read, ['2', '3', '2']);
    assert.deepEqual(informer.keysByIndex(APP, 'y'), ['default/a']);
    assert.deepEqual(informer.keysByIndex(APP, 'x'), []);
  } finally {
    informer.stop();
  }
});

test('in process, updates and deletes of objects that were collected keep the index right', async () => {
  const { registry, configmaps } = await cluster();
  const informer = new Informer(configmaps);
  informer.addIndex(APP, byApp);
  informer.start();
  await informer.waitForSync();
  try {
    await configmaps.create(labelled('a', 'x'));
    await configmaps.create(labelled('b', 'x'));
    await until(() => informer.size === 2);
    pushOutRecent(registry);
    await collect();
    await configmaps.patch('a', 'merge', { metadata: { labels: { app: 'y' } } }, { namespace: 'default' });
    await until(() => informer.keysByIndex(APP, 'y').length === 1);
    assert.deepEqual(informer.keysByIndex(APP, 'x'), ['default/b'], 'a left its old value');

    pushOutRecent(registry);
    await collect();
    await configmaps.delete('a', { namespace: 'default' });
    await configmaps.delete('b', { namespace: 'default' });
    await until(() => informer.size === 0);
    assert.deepEqual(informer.keysByIndex(APP, 'y'), [], 'a delete leaves the index');
    assert.deepEqual(informer.keysByIndex(APP, 'x'), []);
  } finally {
    informer.stop();
  }
});
