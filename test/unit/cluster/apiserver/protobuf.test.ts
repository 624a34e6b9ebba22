import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtobufObject } from '../../../../src/cluster/apiserver/protobuf';
import { StatusError } from '../../../../src/cluster/api/errors';
import type { ApiRequest } from '../../../../src/cluster/apiserver/types';
import { ADMIN } from '../../../../src/cluster/apiserver/auth/identities';
import { startCluster } from './fixture';

/** What `kubectl create configmap cm1 --from-literal=a=b` sends (captured from kubectl 1.32). */
const CONFIGMAP_BODY = Buffer.from('6b3873000a0f0a0276311209436f6e6669674d6170121d0a130a03636d3112001a0022002a0032003800420012060a01611201621a002200', 'hex');
/** What `kubectl create service clusterip web --tcp=80:8080` sends (captured from kubectl 1.32). */
const SERVICE_BODY = Buffer.from('6b3873000a0d0a02763112075365727669636512690a1f0a0377656212001a0022002a003200380042005a0a0a03617070120377656212420a1b0a0738302d38303830120354435018502207080010903f1a002800120a0a0361707012037765621a002209436c757374657249503a00420052005a00600068001a020a001a002200', 'hex');
/** What `kubectl create priorityclass neg2 --value=-5 --preemption-policy=Never` sends: a negative int32. */
const PRIORITY_CLASS_BODY = Buffer.from('6b3873000a250a147363686564756c696e672e6b38732e696f2f7631120d5072696f72697479436c617373122c0a140a046e65673212001a0022002a0032003800420010fbffffffffffffffff01180022002a054e657665721a002200', 'hex');
const ACCEPTED = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

test('the protobuf envelope kubectl create configmap sends decodes to the ConfigMap it means', () => {
  assert.deepEqual(decodeProtobufObject(CONFIGMAP_BODY, 'v1', 'ConfigMap', ACCEPTED), {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm1' }, data: { a: 'b' },
  });
});

test('kubectl create service\'s protobuf Service decodes with its ports, int-or-string target port and selector', () => {
  assert.deepEqual(decodeProtobufObject(SERVICE_BODY, 'v1', 'Service', ACCEPTED), {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { app: 'web' } },
    spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'web' }, type: 'ClusterIP' },
  });
});

test('kubectl create priorityclass\'s protobuf PriorityClass decodes, negative value included', () => {
  assert.deepEqual(decodeProtobufObject(PRIORITY_CLASS_BODY, 'scheduling.k8s.io/v1', 'PriorityClass', ACCEPTED), {
    apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'neg2' }, value: -5, preemptionPolicy: 'Never',
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

/** What `kubectl create deployment cap --image=nginx:1.27 --replicas=2 --port=8080 -- /bin/sh -c 'echo hi'` sends (captured from kubectl 1.32). */
const DEPLOYMENT_BODY = Buffer.from('6b3873000a150a07617070732f7631120a4465706c6f796d656e7412d5010a1f0a0363617012001a0022002a003200380042005a0a0a03617070120363617012a3010802120c0a0a0a0361707012036361701a88010a1c0a0012001a0022002a003200380042005a0a0a0361707012036361701268124a0a056e67696e78120a6e67696e783a312e32371a072f62696e2f73681a022d631a076563686f2068692a00320b0a00100018903f22002a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200', 'hex');

test('kubectl create deployment\'s protobuf Deployment decodes with replicas, selector, template labels, container, command and port', () => {
  assert.deepEqual(decodeProtobufObject(DEPLOYMENT_BODY, 'apps/v1', 'Deployment', ACCEPTED), {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'cap', labels: { app: 'cap' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'cap' } },
      template: {
        metadata: { labels: { app: 'cap' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', command: ['/bin/sh', '-c', 'echo hi'], ports: [{ containerPort: 8080 }], resources: {} }] },
      },
      strategy: {},
    },
  });
});
