import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIGMAPS, PODS } from '../../../../src/cluster/client/client';
import { VIEWER } from '../../../../src/cluster/apiserver/auth/identities';
import { StatusError } from '../../../../src/cluster/api/errors';
import type { ApiRequest } from '../../../../src/cluster/apiserver/types';
import { configMap, pod, startCluster } from './fixture';

test('the viewer may read but a write is 403 with kube-apiserver\'s wording', async () => {
  const cluster = await startCluster();
  try {
    const viewer = cluster.client(VIEWER);
    await viewer.resource(PODS).list({ namespace: 'default' });
    await assert.rejects(viewer.resource(PODS).create(pod('p')), (err: StatusError) => {
      assert.equal(err.code, 403);
      assert.equal(err.reason, 'Forbidden');
      assert.equal(err.message, 'pods is forbidden: User "viewer" cannot create resource "pods" in API group "" in the namespace "default"');
      return true;
    });
    await assert.rejects(viewer.resource({ group: '', version: 'v1', resource: 'nodes' }).delete('node-1'), (err: StatusError) => {
      assert.equal(err.message, 'nodes "node-1" is forbidden: User "viewer" cannot delete resource "nodes" in API group "" at the cluster scope');
      return true;
    });
  } finally {
    await cluster.stop();
  }
});

test('a request without a user is 401 Unauthorized, and is audited', async () => {
  const cluster = await startCluster();
  try {
    const request: ApiRequest = { method: 'GET', path: '/api/v1/pods', query: new URLSearchParams(), headers: {} };
    const response = await cluster.server.handle(request);
    assert.equal(response.status, 401);
    assert.deepEqual(response.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    const last = cluster.audit.query({ user: 'system:anonymous' });
    assert.equal(last.length, 1);
    assert.equal(last[0]!.code, 401);
  } finally {
    await cluster.stop();
  }
});

test('the audit log records who did what to which object, with the cluster clock\'s time', async () => {
  const cluster = await startCluster();
  try {
    const client = cluster.client(undefined, 'test-agent');
    await client.resource(CONFIGMAPS).create(configMap('a'));
    await client.resource(CONFIGMAPS).get('a', { namespace: 'default' });
    const records = cluster.audit.query({ resource: 'configmaps', namespace: 'default', name: 'a' });
    assert.deepEqual(records.map((r) => [r.verb, r.code, r.user, r.userAgent]), [
      ['create', 201, 'kube-sim-admin', 'test-agent'],
      ['get', 200, 'kube-sim-admin', 'test-agent'],
    ]);
    assert.equal(records[0]!.time, '2026-01-01T00:00:00.000000Z');
  } finally {
    await cluster.stop();
  }
});

test('an announced read (a reader of another component\'s cache) is authorized and audited as the request it stands for, and serves nothing', async () => {
  const cluster = await startCluster();
  try {
    const allowed = await cluster.client(VIEWER, 'reader/1').resource(PODS).announce({ namespace: 'default', fieldSelector: 'spec.nodeName=node-1', resourceVersion: '5', allowWatchBookmarks: true }, true);
    assert.equal(allowed, 200);
    const nobody = { name: 'system:serviceaccount:default:default', groups: ['system:serviceaccounts', 'system:authenticated'] };
    const denied = await cluster.client(nobody).resource({ group: '', version: 'v1', resource: 'secrets' }).announce({}, false);
    assert.equal(denied, 403);
    const records = (user: string) => cluster.audit.query({ user }).map((r) => [r.verb, r.requestURI, r.namespace, r.code, r.userAgent]);
    assert.deepEqual(records('viewer'), [['watch', '/api/v1/namespaces/default/pods?fieldSelector=spec.nodeName%3Dnode-1&resourceVersion=5&allowWatchBookmarks=true&watch=true', 'default', 200, 'reader/1']]);
    assert.deepEqual(records(nobody.name), [['list', '/api/v1/secrets', '', 403, 'kube-sim']]);
    const response = await cluster.server.handle({ method: 'GET', path: '/api/v1/namespaces/default/pods', query: new URLSearchParams(), headers: {}, user: VIEWER, announced: true });
    assert.equal(response.body, undefined, 'nothing served');
    assert.equal(response.stream, undefined);
  } finally {
    await cluster.stop();
  }
});

test('a body nested deeper than 100 levels is a 400 and changes nothing', async () => {
  const cluster = await startCluster();
  try {
    const deep = '{"a":'.repeat(200) + '1' + '}'.repeat(200);
    const body = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":${deep}}`;
    const request: ApiRequest = {
      method: 'POST', path: '/api/v1/namespaces/default/configmaps', query: new URLSearchParams(),
      headers: { 'content-type': 'application/json' }, rawBody: Buffer.from(body), user: { name: 'kube-sim-admin', groups: ['system:masters'] },
    };
    const before = await cluster.store.revision();
    const response = await cluster.server.handle(request);
    assert.equal(response.status, 400);
    assert.equal(await cluster.store.revision(), before);
  } finally {
    await cluster.stop();
  }
});

test('a YAML alias bomb is refused with 400', async () => {
  const cluster = await startCluster();
  try {
    let yaml = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++) yaml += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    const request: ApiRequest = {
      method: 'POST', path: '/api/v1/namespaces/default/configmaps', query: new URLSearchParams(),
      headers: { 'content-type': 'application/yaml' }, rawBody: Buffer.from(yaml), user: { name: 'kube-sim-admin', groups: ['system:masters'] },
    };
    const response = await cluster.server.handle(request);
    assert.equal(response.status, 400);
  } finally {
    await cluster.stop();
  }
});

test('discovery: aggregated v2 when asked, legacy otherwise; /version says 1.32', async () => {
  const cluster = await startCluster();
  try {
    const client = cluster.client();
    const aggregated = await client.raw('GET', '/apis', { headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' } });
    assert.equal(aggregated.headers['Content-Type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const items = (aggregated.body as { items: { metadata: { name: string } }[] }).items;
    assert.ok(items.some((g) => g.metadata.name === 'coordination.k8s.io'));
    const legacy = await client.raw('GET', '/api/v1');
    const resources = (legacy.body as { resources: { name: string; kind: string }[] }).resources;
    assert.ok(resources.some((r) => r.name === 'pods/status' && r.kind === 'Pod'));
    const version = await client.raw('GET', '/version');
    assert.equal((version.body as { minor: string }).minor, '32');
  } finally {
    await cluster.stop();
  }
});

test('a Table GET carries the kind\'s columns and rows with PartialObjectMetadata', async () => {
  const cluster = await startCluster();
  try {
    const client = cluster.client();
    await client.resource(PODS).create(pod('p', { labels: { app: 'x' } }));
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const response = await client.raw('GET', '/api/v1/namespaces/default/pods', { headers: { accept } });
    assert.equal(response.headers['Content-Type'], 'application/json;as=Table;v=v1;g=meta.k8s.io');
    const table = response.body as { kind: string; columnDefinitions: { name: string }[]; rows: { cells: unknown[]; object: { kind: string; metadata: { labels: unknown } } }[] };
    assert.equal(table.kind, 'Table');
    assert.deepEqual(table.columnDefinitions.slice(0, 5).map((c) => c.name), ['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    assert.deepEqual(table.rows[0]!.cells.slice(0, 3), ['p', '0/1', 'Pending']);
    assert.equal(table.rows[0]!.object.kind, 'PartialObjectMetadata');
    assert.deepEqual(table.rows[0]!.object.metadata.labels, { app: 'x' });
  } finally {
    await cluster.stop();
  }
});

test('a SelfSubjectAccessReview (kubectl auth can-i) answers with the authorizer\'s verdict for the caller', async () => {
  const cluster = await startCluster();
  try {
    const ask = async (user: typeof VIEWER | undefined, verb: string) => {
      const client = user ? cluster.client(user) : cluster.client();
      const review = { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: 'default', verb, resource: 'pods' } } };
      const result = await client.request<{ status: { allowed: boolean } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { body: review });
      return result.object.status.allowed;
    };
    assert.equal(await ask(VIEWER, 'list'), true);
    assert.equal(await ask(VIEWER, 'delete'), false);
    assert.equal(await ask(undefined, 'delete'), true);
  } finally {
    await cluster.stop();
  }
});
