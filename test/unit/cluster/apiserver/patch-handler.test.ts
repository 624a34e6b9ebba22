/**
 * PATCH through the API server answers exactly as kube-apiserver does (the handler goes through
 * patch/index.ts applyPatch): its decoding messages, the reason-less 500 for strategic-merge patches'
 * internal errors, and server-side apply's object
 * reference in typed-patch errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIGMAPS, NODES, PODS } from '../../../../src/cluster/client/client';
import type { StatusError } from '../../../../src/cluster/api/errors';
import type { Pod } from '../../../../src/cluster/api/types';
import { configMap, pod, startCluster } from './fixture';

const status = (err: StatusError) => [err.code, err.status.reason, err.message];

test('a JSON patch that is not a list: the decoding message of fieldValidation Warn and Strict', async () => {
  const cluster = await startCluster();
  try {
    const cms = cluster.client().resource(CONFIGMAPS);
    await cms.create(configMap('a', { x: '1' }));
    await assert.rejects(cms.patch('a', 'json', { op: 'remove', path: '/data/x' }, { namespace: 'default' }), (err: StatusError) => {
      assert.deepEqual(status(err), [400, 'BadRequest', 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp']);
      return true;
    });
  } finally {
    await cluster.stop();
  }
});

test('strategic merge patch: its internal errors are a 500 with no reason and its own text', async () => {
  const cluster = await startCluster();
  try {
    const pods = cluster.client().resource<Pod>(PODS);
    await pods.create(pod('p', { finalizers: ['example.com/keep'] }, { schedulerName: 'nobody' }));
    await assert.rejects(pods.patch('p', 'strategic', { metadata: { finalizers: [['b']] } }, { namespace: 'default' }), (err: StatusError) => {
      assert.deepEqual(status(err), [500, undefined, 'list element types are not identical: [[example.com/keep] [[b]]]']);
      return true;
    });
    await assert.rejects(pods.patch('p', 'strategic', { spec: { containers: [{ name: 'app', $patch: 'merge' }] } }, { namespace: 'default' }), (err: StatusError) => {
      assert.deepEqual(status(err), [500, undefined, 'merging lists cannot yet be specified in the patch']);
      return true;
    });
  } finally {
    await cluster.stop();
  }
});

test('server-side apply under Strict names the object as kube-apiserver does: namespace/name; /v1, Kind=Pod', async () => {
  const cluster = await startCluster();
  try {
    const client = cluster.client();
    const bad = { ...pod('nginx'), spec: { ...pod('nginx').spec, foo: 1 } };
    await assert.rejects(client.resource<Pod>(PODS).patch('nginx', 'apply', bad, { namespace: 'default', fieldManager: 'kubectl', fieldValidation: 'Strict' }), (err: StatusError) => {
      assert.deepEqual(status(err), [400, 'BadRequest', 'failed to create typed patch object (default/nginx; /v1, Kind=Pod): .spec.foo: field not declared in schema']);
      return true;
    });
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-9' }, spec: { foo: 1 } };
    await assert.rejects(client.resource(NODES).patch('node-9', 'apply', node, { fieldManager: 'kubectl', fieldValidation: 'Strict' }), (err: StatusError) => {
      assert.equal(err.message, 'failed to create typed patch object (/node-9; /v1, Kind=Node): .spec.foo: field not declared in schema');
      return true;
    });
  } finally {
    await cluster.stop();
  }
});
