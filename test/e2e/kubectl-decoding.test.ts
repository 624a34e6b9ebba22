/**
 * Real kubectl against the standalone server: `kind: List` files (validated by kubectl against
 * /openapi/v2 in gnostic protobuf before anything is sent), and wrong JSON types and duplicate
 * keys refused as kube-apiserver's decoder refuses them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { StandaloneServer } from './server';

let server: StandaloneServer;

before(async () => {
  server = await StandaloneServer.start({ nodes: 0 });
});

after(async () => {
  await server.stop();
});

const list = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: from-list-a
  data:
    a: "1"
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: from-list-b
`;

test('kubectl apply -f of a kind: List creates every item (kubectl validates them against /openapi/v2)', async () => {
  const r = await server.kubectl(['apply', '-f', '-'], { input: list });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'configmap/from-list-a created\nconfigmap/from-list-b created\n');
  const got = await server.kubectl(['get', 'configmaps', 'from-list-a', 'from-list-b', '-o', 'name']);
  assert.equal(got.stdout, 'configmap/from-list-a\nconfigmap/from-list-b\n');
});

test('a List item with an unknown field or a wrong type is refused by kubectl\'s OpenAPI v2 validation, in its words', async () => {
  const bad = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: bad-in-list
  spec:
    containers:
    - name: a
      imagee: nginx
      ports:
      - containerPort: "eighty"
`;
  const r = await server.kubectl(['apply', '-f', '-'], { input: bad });
  assert.notEqual(r.code, 0);
  assert.equal(r.stderr.trim(), 'error: error validating "STDIN": error validating data: [ValidationError(Pod.spec.containers[0]): unknown field "imagee" in io.k8s.api.core.v1.Container, ValidationError(Pod.spec.containers[0].ports[0].containerPort): invalid type for io.k8s.api.core.v1.ContainerPort.containerPort: got "string", expected "integer"]; if you choose to ignore these errors, turn validation off with --validate=false');
});

test('wrong JSON types: kubectl prints kube-apiserver\'s decode error (Go struct field, Go type)', async () => {
  const pod = (ports: string) => `apiVersion: v1
kind: Pod
metadata:
  name: typed
spec:
  schedulerName: e2e-no-scheduler
  containers:
  - name: a
    image: nginx
    ports:
    - containerPort: ${ports}
`;
  const r = await server.kubectl(['create', '--validate=false', '-f', '-'], { input: pod('"eighty"') });
  assert.notEqual(r.code, 0);
  assert.equal(r.stderr.trim(), 'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32');
  const cm = await server.kubectl(['create', '--validate=false', '-f', '-'], { input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typed\ndata:\n  a: 1\n' });
  assert.equal(cm.stderr.trim(), 'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string');
});

test('malformed quantities and times: kubectl prints kube-apiserver\'s decode error (ParseQuantity, time.Parse)', async () => {
  const quantity = await server.kubectl(['create', '--validate=false', '-f', '-'], { input: `apiVersion: v1
kind: Pod
metadata:
  name: scratch
spec:
  schedulerName: e2e-no-scheduler
  containers:
  - name: a
    image: nginx
  volumes:
  - name: scratch
    emptyDir:
      sizeLimit: 1.5x
` });
  assert.notEqual(quantity.code, 0);
  assert.equal(quantity.stderr.trim(), `Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  // kubectl reads metadata's times itself (and refuses a bad one before sending); other times it sends as they are.
  const time = await server.kubectl(['create', '--validate=false', '-f', '-'], { input: `apiVersion: v1
kind: Pod
metadata:
  name: timed
spec:
  schedulerName: e2e-no-scheduler
  containers:
  - name: a
    image: nginx
status:
  startTime: "2024-02-30T10:00:00Z"
` });
  assert.notEqual(time.code, 0);
  assert.equal(time.stderr.trim(), 'Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: parsing time "2024-02-30T10:00:00Z": day out of range');
  const raw = await server.kubectl(['create', '--raw', '/api/v1/namespaces/default/configmaps', '-f', '-'], { input: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"timed","creationTimestamp":"2024-01-01T10:00:00"}}' });
  assert.notEqual(raw.code, 0);
  assert.equal(raw.stderr.trim(), 'Error from server (BadRequest): ConfigMap in version "v1" cannot be handled as a ConfigMap: parsing time "2024-01-01T10:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"');
});

test('duplicate JSON keys sent as they are (kubectl create --raw): Strict refuses them, Warn prints a warning and keeps the last', async () => {
  const body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","name":"dup2"}}';
  const strict = await server.kubectl(['create', '--raw', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', '-f', '-'], { input: body });
  assert.notEqual(strict.code, 0);
  assert.equal(strict.stderr.trim(), 'Error from server (BadRequest): ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.name"');
  const warn = await server.kubectl(['create', '--raw', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', '-f', '-'], { input: body });
  assert.equal(warn.code, 0, warn.stderr);
  assert.equal(warn.stderr.trim(), 'Warning: duplicate field "metadata.name"');
  assert.equal(JSON.parse(warn.stdout).metadata.name, 'dup2');
});
