/**
 * Request bodies are decoded as kube-apiserver decodes them into Go structs: wrong JSON types are a
 * 400 naming the Go struct field (before admission and validation), and strict field validation
 * reports duplicate keys among the unknown fields, in document order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiServer } from '../../../../src/cluster/apiserver/server';
import { allResources } from '../../../../src/cluster/apiserver/registry/kinds';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { ManualClock } from '../../../../src/cluster/clock';
import { ADMIN } from '../../../../src/cluster/apiserver/auth/identities';
import { RawJson } from '../../../../src/cluster/apiserver/registry/codec';
import type { ApiResponse } from '../../../../src/cluster/apiserver/types';

async function server(): Promise<ApiServer> {
  const s = new ApiServer({ kv: new MemoryStore(), clock: new ManualClock(), resources: allResources });
  const r = await s.handle({ method: 'POST', path: '/api/v1/namespaces', query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: { metadata: { name: 'default' } }, user: ADMIN });
  assert.equal(r.status, 201);
  const sa = await s.handle({ method: 'POST', path: '/api/v1/namespaces/default/serviceaccounts', query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: { metadata: { name: 'default' } }, user: ADMIN });
  assert.equal(sa.status, 201);
  return s;
}

function send(s: ApiServer, method: string, path: string, text: string, query = '', contentType = 'application/json'): Promise<ApiResponse> {
  return s.handle({ method, path, query: new URLSearchParams(query), headers: { 'content-type': contentType }, rawBody: Buffer.from(text), user: ADMIN });
}

function body(r: ApiResponse): { message?: string; reason?: string; data?: unknown; metadata?: { name?: string } } {
  const b = r.body;
  if (b instanceof RawJson) return b.parse() as { message?: string };
  return (b ?? {}) as { message?: string };
}

const PODS = '/api/v1/namespaces/default/pods';
const CMS = '/api/v1/namespaces/default/configmaps';

function podWith(spec: unknown, metadata: unknown = { name: 'p' }): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata, spec });
}

test('wrong JSON types are a 400 in the words of Go\'s JSON decoder: value kind, Go struct field path, Go type', async () => {
  const s = await server();
  const cases: [string, string, string][] = [
    [PODS, podWith({}), ''],
    [PODS, podWith({ containers: {} }), 'json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container'],
    [PODS, podWith({ containers: ['x'] }), 'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type v1.Container'],
    [PODS, podWith({ containers: [{ name: 'a', image: 'i', command: 7 }] }), 'json: cannot unmarshal number into Go struct field Container.spec.containers.command of type []string'],
    [PODS, podWith({ containers: [{ name: 'a', image: 'i', ports: [{ containerPort: 'eighty' }] }] }), 'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32'],
    [PODS, podWith({ containers: [{ name: 'a', image: 'i', ports: [{ containerPort: 1.5 }] }] }), 'json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32'],
    [PODS, podWith({ containers: [{ name: 'a', image: 'i' }] }, { name: 'p', labels: 7 }), 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type map[string]string'],
    [PODS, podWith({ containers: [{ name: 'a', image: 'i', resources: { limits: { cpu: {} } } }] }), "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    [PODS, podWith({ containers: [{ name: 'a', image: 'i', resources: { limits: 'lots' } }] }), 'json: cannot unmarshal string into Go struct field ResourceRequirements.spec.containers.resources.limits of type v1.ResourceList'],
    [PODS, podWith({ containers: [{ name: 'a', image: 'i', readinessProbe: { httpGet: { port: true } } }] }), 'json: cannot unmarshal bool into Go value of type int32'],
    [PODS, podWith({ containers: [{ name: 'a', image: 'i' }], hostNetwork: 'yes' }), 'json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool'],
    [CMS, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 1 } }), 'json: cannot unmarshal number into Go struct field ConfigMap.data of type string'],
  ];
  for (const [path, text, message] of cases) {
    const r = await send(s, 'POST', path, text, 'dryRun=All');
    if (message === '') {
      assert.notEqual(r.status, 400, text);
      continue;
    }
    const kind = path === PODS ? 'Pod' : 'ConfigMap';
    assert.equal(r.status, 400, text);
    assert.equal(body(r).reason, 'BadRequest');
    assert.equal(body(r).message, `${kind} in version "v1" cannot be handled as a ${kind}: ${message}`);
  }
});

test('null, int-or-string, quantities as numbers and RawExtension-like fields decode as Go accepts them', async () => {
  const s = await server();
  const text = podWith({
    containers: [{ name: 'a', image: 'i', command: null, ports: [{ containerPort: 80 }], resources: { limits: { cpu: 1, memory: '1Gi' } }, readinessProbe: { httpGet: { port: 'http' } }, livenessProbe: { tcpSocket: { port: 8080 } } }],
    nodeSelector: null,
  }, { name: 'p', labels: null, annotations: { a: 'b' } });
  const r = await send(s, 'POST', PODS, text);
  assert.equal(r.status, 201, JSON.stringify(body(r)));
});

test('malformed quantities and times are a 400 at decode in ParseQuantity\'s and time.Parse\'s words, for any kind, JSON or YAML, create or update', async () => {
  const s = await server();
  const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
  const scratch = (sizeLimit: string) => podWith({ containers: [{ name: 'a', image: 'i' }], volumes: [{ name: 'scratch', emptyDir: { sizeLimit } }] });
  const deployment = (cpu: string) => JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'a', image: 'i', resources: { limits: { cpu } } }] } } } });
  const cm = (metadata: Record<string, unknown>) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...metadata } });
  const RFC3339 = '"2006-01-02T15:04:05Z07:00"';
  const cases: [string, string, string, string][] = [
    [PODS, scratch('abc'), 'application/json', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    [DEPLOYMENTS, deployment('1ii'), 'application/json', "unable to parse quantity's suffix"],
    [PODS, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: i\n  volumes:\n  - name: scratch\n    emptyDir:\n      sizeLimit: 1.5x\n', 'application/yaml', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    [CMS, cm({ creationTimestamp: 'abc' }), 'application/json', `parsing time "abc" as ${RFC3339}: cannot parse "abc" as "2006"`],
    [CMS, cm({ creationTimestamp: '2024-01-01' }), 'application/json', `parsing time "2024-01-01" as ${RFC3339}: cannot parse "" as "T"`],
    [CMS, cm({ creationTimestamp: '2024-01-01 00:00:00Z' }), 'application/json', `parsing time "2024-01-01 00:00:00Z" as ${RFC3339}: cannot parse " 00:00:00Z" as "T"`],
    [CMS, cm({ creationTimestamp: '2024-01-01T00:00:00+0100' }), 'application/json', `parsing time "2024-01-01T00:00:00+0100" as ${RFC3339}: cannot parse "+0100" as "Z07:00"`],
    [CMS, cm({ creationTimestamp: '2024-02-30T00:00:00Z' }), 'application/json', 'parsing time "2024-02-30T00:00:00Z": day out of range'],
    [CMS, cm({ creationTimestamp: '2024-01-01T24:00:00Z' }), 'application/json', 'parsing time "2024-01-01T24:00:00Z": hour out of range'],
    [CMS, cm({ creationTimestamp: '2024-01-01T00:00:00Zjunk' }), 'application/json', 'parsing time "2024-01-01T00:00:00Zjunk": extra text: "junk"'],
    [CMS, cm({ creationTimestamp: '２０２４-01-01T00:00:00Z' }), 'application/json', `parsing time "\\xef\\xbc\\x92\\xef\\xbc\\x90\\xef\\xbc\\x92\\xef\\xbc\\x94-01-01T00:00:00Z" as ${RFC3339}: cannot parse "\\xef\\xbc\\x92\\xef\\xbc\\x90\\xef\\xbc\\x92\\xef\\xbc\\x94-01-01T00:00:00Z" as "2006"`],
    [CMS, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  deletionTimestamp: "2024-13-01T00:00:00Z"\n', 'application/yaml', 'parsing time "2024-13-01T00:00:00Z": month out of range'],
  ];
  for (const [path, text, contentType, message] of cases) {
    const r = await send(s, 'POST', path, text, '', contentType);
    const kind = path === PODS ? 'Pod' : path === DEPLOYMENTS ? 'Deployment' : 'ConfigMap';
    assert.equal(r.status, 400, text);
    assert.equal(body(r).reason, 'BadRequest');
    assert.equal(body(r).message, `${kind} in version "v1" cannot be handled as a ${kind}: ${message}`);
  }
  // What Go takes: a quantity's text trimmed of white space (written back canonical), a one-digit
  // hour, a fraction after a comma, an offset of 24 hours.
  const pod = await send(s, 'POST', PODS, podWith({ containers: [{ name: 'a', image: 'i', resources: { limits: { cpu: ' 2 ' } } }] }));
  assert.equal(pod.status, 201, JSON.stringify(body(pod)));
  assert.deepEqual((body(pod) as { spec?: { containers: { resources: unknown }[] } }).spec?.containers[0]?.resources, { limits: { cpu: '2' }, requests: { cpu: '2' } });
  const created = await send(s, 'POST', CMS, cm({ creationTimestamp: '2024-01-01T7:00:00,5+24:00' }));
  assert.equal(created.status, 201, JSON.stringify(body(created)));
  // An update is decoded as a create is.
  const update = await send(s, 'PUT', `${CMS}/c`, cm({ creationTimestamp: '2024-01-01T00:60:00Z' }));
  assert.equal(update.status, 400);
  assert.equal(body(update).message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: parsing time "2024-01-01T00:60:00Z": minute out of range');
});

test('a merge patch whose result has a wrong type is refused the same way', async () => {
  const s = await server();
  assert.equal((await send(s, 'POST', CMS, JSON.stringify({ metadata: { name: 'c' }, data: { a: 'b' } }))).status, 201);
  const r = await send(s, 'PATCH', `${CMS}/c`, JSON.stringify({ data: { a: 1 } }), '', 'application/merge-patch+json');
  assert.equal(r.status, 400);
  assert.equal(body(r).message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string');
});

test('duplicate keys: Strict is a 400 listing them among unknown fields in document order, Warn warns, Ignore keeps the last', async () => {
  const s = await server();
  const text = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","name":"dup2"},"dta":{"x":"1","x":"2"},"data":{"a":"1","a":"2"}}';
  const strict = await send(s, 'POST', CMS, text, 'fieldValidation=Strict');
  assert.equal(strict.status, 400);
  assert.equal(body(strict).message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.name", unknown field "dta", duplicate field "data.a"');
  const warn = await send(s, 'POST', CMS, text, 'fieldValidation=Warn');
  assert.equal(warn.status, 201);
  assert.deepEqual(warn.headers.Warning, ['299 - "duplicate field \\"metadata.name\\""', '299 - "unknown field \\"dta\\""', '299 - "duplicate field \\"data.a\\""']);
  assert.equal(body(warn).metadata?.name, 'dup2');
  const ignore = await send(s, 'POST', CMS, text.replace('dup2', 'dup3'), 'fieldValidation=Ignore');
  assert.equal(ignore.status, 201);
  assert.equal(ignore.headers.Warning, undefined);
  assert.deepEqual(body(ignore).data, { a: '2' });
  const nested = await send(s, 'POST', PODS, '{"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"i","image":"j"}]}}', 'fieldValidation=Strict');
  assert.equal(body(nested).message, 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: duplicate field "spec.containers[0].image"');
});

test('a DELETE body is decoded as DeleteOptions: another kind fails as in 1.32 (a reason-less 500 with the decoder\'s text) and deletes nothing', async () => {
  const s = await server();
  assert.equal((await send(s, 'POST', CMS, JSON.stringify({ metadata: { name: 'c' } }))).status, 201);
  const namespace = await send(s, 'DELETE', `${CMS}/c`, JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }));
  assert.equal(namespace.status, 500);
  assert.equal(body(namespace).reason, undefined);
  assert.equal(body(namespace).message, 'no kind "Namespace" is registered for version "v1" in scheme "pkg/apis/meta/internalversion/scheme/register.go:27"');
  const bare = await send(s, 'DELETE', `${CMS}/c`, JSON.stringify({ kind: 'fixed' }));
  assert.equal(body(bare).message, 'no kind "fixed" is registered for version "meta.k8s.io/v1" in scheme "pkg/apis/meta/internalversion/scheme/register.go:27"');
  const badVersion = await send(s, 'DELETE', `${CMS}/c`, JSON.stringify({ apiVersion: true }));
  assert.equal(body(badVersion).message, 'couldn\'t get version/kind; json parse error: json: cannot unmarshal bool into Go struct field .apiVersion of type string');
  const listOptions = await send(s, 'DELETE', `${CMS}/c`, JSON.stringify({ apiVersion: 'v1', kind: 'ListOptions' }));
  assert.equal(body(listOptions).message, 'decoded object cannot be converted to DeleteOptions');
  const badGrace = await send(s, 'DELETE', `${CMS}/c`, JSON.stringify({ gracePeriodSeconds: 'soon' }));
  assert.equal(body(badGrace).message, 'json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64');
  const collection = await send(s, 'DELETE', CMS, JSON.stringify({ apiVersion: 'v1', kind: 'Pod' }));
  assert.equal(collection.status, 500);
  assert.equal((await s.handle({ method: 'GET', path: `${CMS}/c`, query: new URLSearchParams(), headers: {}, user: ADMIN })).status, 200);
  for (const ok of [{ apiVersion: 'v1', kind: 'DeleteOptions' }, { apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions', propagationPolicy: 'Background' }]) {
    assert.equal((await send(s, 'DELETE', `${CMS}/c`, JSON.stringify(ok), 'dryRun=All')).status, 200);
  }
  assert.equal((await send(s, 'DELETE', `${CMS}/c`, '{}')).status, 200);
});

test('a merge patch that is no object names the JSON value it got, as kube-apiserver\'s strict patch decoding does', async () => {
  const s = await server();
  assert.equal((await send(s, 'POST', CMS, JSON.stringify({ metadata: { name: 'c' } }))).status, 201);
  const cases: [string, string][] = [
    ['0', 'error decoding patch: json: cannot unmarshal number into Go value of type map[string]interface {}'],
    ['""', 'error decoding patch: json: cannot unmarshal string into Go value of type map[string]interface {}'],
    ['[]', 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['null', 'Invalid JSON Patch'],
  ];
  for (const [text, message] of cases) {
    const r = await send(s, 'PATCH', `${CMS}/c`, text, '', 'application/merge-patch+json');
    assert.equal(r.status, 400, text);
    assert.equal(body(r).message, message, text);
  }
});

test('unknown fields a patch adds are warned about and dropped, an empty key and a nested one too: the stored object has only known fields', async () => {
  const s = await server();
  assert.equal((await send(s, 'POST', CMS, JSON.stringify({ metadata: { name: 'c' }, data: { a: 'b' } }))).status, 201);
  const r = await send(s, 'PATCH', `${CMS}/c`, JSON.stringify({ '': { x: 1 }, bar: 2, metadata: { '': 'y' } }), '', 'application/merge-patch+json');
  assert.equal(r.status, 200);
  assert.deepEqual([...(r.headers['Warning'] as string[])].sort(), ['299 - "unknown field \\"\\""', '299 - "unknown field \\"bar\\""', '299 - "unknown field \\"metadata.\\""']);
  const stored = body(await send(s, 'GET', `${CMS}/c`, '')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(stored).sort(), ['apiVersion', 'data', 'kind', 'metadata']);
  assert.equal('' in (stored.metadata as object), false);
});

test('quantities without digits are zero as ParseQuantity takes them, and a pod of the same shape with a malformed one is still a 400', async () => {
  const s = await server();
  const scratch = (name: string, sizeLimit: string) => podWith({ containers: [{ name: 'a', image: 'i' }], volumes: [{ name: 'scratch', emptyDir: { sizeLimit } }] }, { name });
  for (const [name, sizeLimit] of [['kilo', 'k'], ['plus', '+'], ['exp', 'e3'], ['wrapped', '1e4294967296'], ['huge', '1e2147483647']]) {
    const r = await send(s, 'POST', PODS, scratch(name, sizeLimit));
    assert.equal(r.status, 201, `${sizeLimit}: ${JSON.stringify(body(r))}`);
  }
  // The pods above are remembered as clean shapes: a string in the same place must still parse.
  const bad = await send(s, 'POST', PODS, scratch('bad', 'abc'));
  assert.equal(bad.status, 400);
  assert.equal(body(bad).message, "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
});
