import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtobufObject } from '../../../../src/cluster/apiserver/protobuf';
import { StatusError } from '../../../../src/cluster/api/errors';
import type { ApiRequest } from '../../../../src/cluster/apiserver/types';
import { ADMIN } from '../../../../src/cluster/apiserver/auth/identities';
import { startCluster } from './fixture';

/** What `kubectl create configmap cm1 --from-literal=a=b` sends (captured from kubectl 1.32). */
const CONFIGMAP_BODY = Buffer.from('6b3873000a0f0a0276311209436f6e6669674d6170121d0a130a03636d3112001a0022002a0032003800420012060a01611201621a002200', 'hex');
const ACCEPTED = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

test('the protobuf envelope kubectl create configmap sends decodes to the ConfigMap it means', () => {
  assert.deepEqual(decodeProtobufObject(CONFIGMAP_BODY, 'v1', 'ConfigMap', ACCEPTED), {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1' }, data: { a: 'b' },
  });
});

test('a protobuf body for a kind Kube Sim does not decode, or a truncated one, is refused without crashing', () => {
  assert.throws(() => decodeProtobufObject(CONFIGMAP_BODY, 'v1', 'Pod', ACCEPTED), (err: StatusError) => err.code === 415 && /does not|only for/.test(err.status.message ?? ''));
  assert.throws(() => decodeProtobufObject(CONFIGMAP_BODY.subarray(0, 20), 'v1', 'ConfigMap', ACCEPTED), (err: StatusError) => err.code === 400);
  assert.throws(() => decodeProtobufObject(Buffer.from('nope'), 'v1', 'ConfigMap', ACCEPTED), (err: StatusError) => err.code === 400);
});

test('POST with a protobuf ConfigMap body creates it', async () => {
  const cluster = await startCluster();
  try {
    const request: ApiRequest = {
      method: 'POST', path: '/api/v1/namespaces/default/configmaps', query: new URLSearchParams('fieldManager=kubectl-create&fieldValidation=Strict'),
      headers: { 'content-type': 'application/vnd.kubernetes.protobuf', accept: 'application/vnd.kubernetes.protobuf,application/json' }, rawBody: CONFIGMAP_BODY, user: ADMIN,
    };
    const response = await cluster.server.handle(request);
    assert.equal(response.status, 201);
    const cm = await cluster.client().resource({ group: '', version: 'v1', resource: 'configmaps' }).get('cm1', { namespace: 'default' });
    assert.deepEqual(cm.data, { a: 'b' });
  } finally {
    await cluster.stop();
  }
});
