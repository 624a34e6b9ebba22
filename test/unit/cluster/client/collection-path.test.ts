import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, CONFIGMAPS, EVENTS_V1 } from '../../../../src/cluster/client/client';
import type { ApiRequest } from '../../../../src/cluster/apiserver/types';

test('creates go to their namespace\'s collection, whichever namespaces came before (paths kept per client)', async () => {
  const paths: string[] = [];
  const client = new ApiClient(async (request: ApiRequest) => {
    paths.push(request.path);
    return { status: 201, headers: {}, body: request.body };
  }, { name: 'admin', groups: ['system:masters'] });
  const configmaps = client.resource(CONFIGMAPS);
  const events = client.resource(EVENTS_V1);
  const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
  await configmaps.createWithWarnings(body, { namespace: 'a' });
  await configmaps.createHandingOver({ ...body }, { namespace: 'b' });
  await configmaps.createWithWarnings(body, { namespace: 'a' });
  await configmaps.createWithWarnings({ ...body, metadata: { name: 'x', namespace: 'from-body' } });
  await configmaps.createWithWarnings(body);
  await events.createWithWarnings(body, { namespace: 'a' });
  for (let i = 0; i < 70; i++) await configmaps.createWithWarnings(body, { namespace: `ns-${i}` });
  await configmaps.createWithWarnings(body, { namespace: 'a b' });
  assert.deepEqual(paths.slice(0, 6), [
    '/api/v1/namespaces/a/configmaps',
    '/api/v1/namespaces/b/configmaps',
    '/api/v1/namespaces/a/configmaps',
    '/api/v1/namespaces/from-body/configmaps',
    '/api/v1/configmaps',
    '/apis/events.k8s.io/v1/namespaces/a/events',
  ]);
  assert.equal(paths[6 + 69], '/api/v1/namespaces/ns-69/configmaps');
  assert.equal(paths.at(-1), '/api/v1/namespaces/a%20b/configmaps');
});
