import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIGMAPS } from '../../../../src/cluster/client/client';
import { settle } from '../../../../src/cluster/clock';
import type { WatchEvent } from '../../../../src/cluster/api/types';
import { configMap, startCluster } from './fixture';
import { table, tableText } from '../../../../src/cluster/apiserver/table';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

test('a Table watch (kubectl get -w) sends one-row Tables, with column definitions in the first event only', async () => {
  const cluster = await startCluster();
  try {
    const client = cluster.client();
    await client.resource(CONFIGMAPS).create(configMap('a'));
    const response = await client.raw('GET', '/api/v1/namespaces/default/configmaps', {
      query: new URLSearchParams('watch=true&fieldSelector=metadata.name!=kube-root-ca.crt'),
      headers: { accept: TABLE },
    });
    assert.equal(response.status, 200);
    const events: WatchEvent[] = [];
    response.stream!.start((chunk) => { if (typeof chunk !== 'string') events.push(chunk); }, () => undefined);
    await client.resource(CONFIGMAPS).create(configMap('b'));
    await settle();
    response.stream!.close();
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'ADDED']);
    const [first, second] = events.map((e) => e.object as unknown as { kind: string; columnDefinitions: { name: string }[] | null; rows: { cells: unknown[]; object: { kind: string } }[] });
    assert.equal(first!.kind, 'Table');
    assert.deepEqual(first!.columnDefinitions!.map((c) => c.name), ['Name', 'Data', 'Age']);
    assert.equal(first!.rows[0]!.cells[0], 'a');
    assert.equal(second!.columnDefinitions, null);
    assert.equal(second!.rows[0]!.cells[0], 'b');
    assert.equal(second!.rows[0]!.object.kind, 'PartialObjectMetadata');
  } finally {
    await cluster.stop();
  }
});

test('includeObject=Object puts the whole object in each row; None leaves it out', async () => {
  const cluster = await startCluster();
  try {
    const client = cluster.client();
    await client.resource(CONFIGMAPS).create(configMap('a', { k: 'v' }));
    const full = await client.raw('GET', '/api/v1/namespaces/default/configmaps/a', { query: new URLSearchParams('includeObject=Object'), headers: { accept: TABLE } });
    const row = (full.body as { rows: { object: { kind: string; data: unknown } }[] }).rows[0]!;
    assert.equal(row.object.kind, 'ConfigMap');
    assert.deepEqual(row.object.data, { k: 'v' });
    const none = await client.raw('GET', '/api/v1/namespaces/default/configmaps/a', { query: new URLSearchParams('includeObject=None'), headers: { accept: TABLE } });
    assert.equal((none.body as { rows: { object?: unknown }[] }).rows[0]!.object, undefined);
  } finally {
    await cluster.stop();
  }
});

test('watch-list (sendInitialEvents=true) replays the state, then a bookmark marks the end of the initial events', async () => {
  const cluster = await startCluster();
  try {
    const client = cluster.client();
    await client.resource(CONFIGMAPS).create(configMap('a'));
    const response = await client.raw('GET', '/api/v1/namespaces/default/configmaps', {
      query: new URLSearchParams('watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&fieldSelector=metadata.name=a'),
    });
    assert.equal(response.status, 200);
    const events: WatchEvent[] = [];
    response.stream!.start((chunk) => { if (typeof chunk !== 'string') events.push(chunk); }, () => undefined);
    await settle();
    response.stream!.close();
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'BOOKMARK']);
    assert.deepEqual(events[1]!.object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
  } finally {
    await cluster.stop();
  }
});

test('a list Table cut from stored text equals the one built from objects, for every includeObject', async () => {
  const cluster = await startCluster();
  try {
    const client = cluster.client();
    const tricky = configMap('a', { k: 'v}]"' }, { app: 'x' });
    tricky.metadata.annotations = { note: 'braces } { and "quotes" \\ [' };
    await client.resource(CONFIGMAPS).create(tricky);
    await client.resource(CONFIGMAPS).create(configMap('b'));
    const registry = cluster.server.parts.registries.core('configmaps');
    const listed = await registry.list({ namespace: 'default', selection: { everything: true, name: undefined, matches: () => true } });
    for (const include of ['Metadata', 'Object', 'None'] as const) {
      const fromText = JSON.parse(tableText(registry.def, listed.kvs, registry.objectsOf(listed), 0, include, { resourceVersion: '9' }));
      const fromObjects = JSON.parse(JSON.stringify(table(registry.def, registry.objectsOf(listed), 0, include, { resourceVersion: '9' })));
      assert.deepEqual(fromText, fromObjects);
    }
  } finally {
    await cluster.stop();
  }
});
