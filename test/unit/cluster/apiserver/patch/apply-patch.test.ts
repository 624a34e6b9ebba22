import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, managerFor, recordUpdate, schemaMetaLookup, type PatchContext } from '../../../../../src/cluster/apiserver/patch';
import { StatusError } from '../../../../../src/cluster/api/errors';
import type { JsonObject } from '../../../../../src/cluster/apiserver/patch/json-value';
import { loadFieldIndex } from '../../../../../src/schema/field-index';
import { podMeta } from './pod-meta';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const ctx = (extra: Partial<PatchContext> = {}): PatchContext => ({
  group: '',
  version: 'v1',
  kind: 'Pod',
  resource: { group: '', resource: 'pods' },
  name: 'nginx',
  meta: podMeta,
  now: NOW,
  ...extra,
});
const live = (): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'nginx', namespace: 'default', uid: 'u', labels: { app: 'nginx' } },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] }] },
});

function failure(fn: () => unknown): StatusError['status'] {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err.status;
    throw err;
  }
  assert.fail('expected a StatusError');
}

test('an unknown patch type is 415 listing the four kube-apiserver accepts', () => {
  const s = failure(() => applyPatch('application/json', live(), '{}', ctx()));
  assert.equal(s.code, 415);
  assert.equal(s.reason, 'UnsupportedMediaType');
  assert.equal(s.message, 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml');
});

test('PatchOptions are validated as kube-apiserver words it', () => {
  const noManager = failure(() => applyPatch('application/apply-patch+yaml', live(), '{}', ctx()));
  assert.equal(noManager.code, 422);
  assert.equal(noManager.message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  const force = failure(() => applyPatch('application/merge-patch+json', live(), '{}', ctx({ force: true })));
  assert.equal(force.message, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
});

test('a JSON patch that does not apply is 422 with the generic message kube-apiserver gives', () => {
  const s = failure(() => applyPatch('application/json-patch+json', live(), '[{"op":"test","path":"/spec/nodeName","value":"x"}]', ctx()));
  assert.deepEqual(s, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server rejected our request due to an error in our request', reason: 'Invalid', details: {}, code: 422 });
});

test('malformed patch bodies are 400 with Go decoding messages', () => {
  const cases: [string, unknown, string][] = [
    ['application/json-patch+json', '{"op":"add"}', 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp'],
    ['application/json-patch+json', '[{"op":1,"path":"/a"}]', 'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string'],
    ['application/json-patch+json', 'xyz', "error decoding patch: invalid character 'x' looking for beginning of value"],
    ['application/merge-patch+json', '[1]', 'error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['application/merge-patch+json', 'null', 'Invalid JSON Patch'],
    ['application/strategic-merge-patch+json', Buffer.from('[]'), 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['application/apply-patch+yaml', '- a', 'error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}'],
  ];
  for (const [type, body, message] of cases) {
    const s = failure(() => applyPatch(type, live(), body, ctx({ fieldManager: 'm' })));
    assert.deepEqual([s.code, s.reason, s.message], [400, 'BadRequest', message], `${type} ${String(body)}`);
  }
});

test('strategic merge patch failures keep kube-apiserver status codes', () => {
  const retain = failure(() => applyPatch('application/strategic-merge-patch+json', { ...live(), spec: { containers: [], volumes: [{ name: 'v' }] } }, { spec: { volumes: [{ name: 'v', $retainKeys: [], emptyDir: {} }] } }, ctx()));
  assert.deepEqual([retain.code, retain.message], [400, 'invalid patch format of retainKeys']);
  const lists = failure(() => applyPatch('application/strategic-merge-patch+json', { metadata: { finalizers: [['a']] } }, { metadata: { finalizers: [['b']] } }, ctx()));
  assert.deepEqual([lists.code, lists.reason, lists.message], [422, 'Invalid', 'the server rejected our request due to an error in our request']);
  const merge = failure(() => applyPatch('application/strategic-merge-patch+json', live(), { spec: { containers: [{ name: 'nginx', $patch: 'merge' }] } }, ctx()));
  assert.deepEqual(merge, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'merging lists cannot yet be specified in the patch', code: 500 });
});

test('non-apply patches of a missing object are 404', () => {
  const s = failure(() => applyPatch('application/merge-patch+json', undefined, '{}', ctx()));
  assert.deepEqual([s.code, s.message], [404, 'pods "nginx" not found']);
});

test('each patch type applies: kubectl label (merge), cordon-style SMP, JSON patch', () => {
  const labelled = applyPatch('application/merge-patch+json', live(), Buffer.from('{"metadata":{"labels":{"env":"dev"}}}'), ctx({ fieldManager: 'kubectl-label' }));
  assert.deepEqual((labelled.object.metadata as JsonObject).labels, { app: 'nginx', env: 'dev' });
  const smp = applyPatch('application/strategic-merge-patch+json', live(), { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } }, ctx());
  assert.deepEqual((smp.object.spec as JsonObject).containers, [{ name: 'nginx', image: 'nginx:1.28', ports: [{ containerPort: 80, protocol: 'TCP' }] }]);
  const jp = applyPatch('application/json-patch+json', live(), [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.29' }], ctx());
  assert.equal(((jp.object.spec as JsonObject).containers as JsonObject[])[0]!.image, 'nginx:1.29');
});

test('kubectl apply --server-side as the request log shows it: create, then the kubectl-last-applied apply', () => {
  // scenario [12] of kubectl-1.32-request-log.txt; the body is JSON sent as apply-patch+yaml.
  const body = '{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"app":"nginx"},"name":"nginx","namespace":"default"},"spec":{"containers":[{"image":"nginx:1.27","name":"nginx","ports":[{"containerPort":80}]}]}}';
  const created = applyPatch('application/apply-patch+yaml', undefined, Buffer.from(body), ctx({ fieldManager: 'kubectl', force: false, fieldValidation: 'Strict' }));
  assert.equal(created.created, true);
  const annotation = '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"labels":{"app":"nginx"},"name":"nginx","namespace":"default"},"spec":{"containers":[{"image":"nginx:1.27","name":"nginx","ports":[{"containerPort":80}]}]}}\n';
  const second = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': annotation }, name: 'nginx', namespace: 'default' } });
  const stored = { ...created.object, metadata: { ...(created.object.metadata as JsonObject), uid: 'u' } };
  const r = applyPatch('application/apply-patch+yaml', stored, second, ctx({ fieldManager: 'kubectl-last-applied', now: NOW + 1000 }));
  assert.equal(r.created, false);
  const mf = (r.object.metadata as JsonObject).managedFields as JsonObject[];
  assert.deepEqual(mf.map((m) => [m.manager, m.operation, m.time]), [
    ['kubectl', 'Apply', '2026-11-24T10:00:00Z'],
    ['kubectl-last-applied', 'Apply', '2026-11-24T10:00:01Z'],
  ]);
  assert.deepEqual(mf[1]!.fieldsV1, { 'f:metadata': { 'f:annotations': { 'f:kubectl.kubernetes.io/last-applied-configuration': {} } } });
  assert.equal(((r.object.metadata as JsonObject).annotations as JsonObject)['kubectl.kubernetes.io/last-applied-configuration'], annotation);
});

test('the manager defaults to the user agent before its first slash', () => {
  assert.equal(managerFor({ userAgent: 'kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07' }), 'kubectl');
  assert.equal(managerFor({ fieldManager: 'kubectl-client-side-apply', userAgent: 'kubectl/v1.32.4' }), 'kubectl-client-side-apply');
  assert.equal(managerFor({ userAgent: 'x'.repeat(200) }), 'x'.repeat(128));
});

test('with the generated 1.32 schema: kubectl client-side apply patch and a server-side apply of the same pod', () => {
  const meta = schemaMetaLookup(loadFieldIndex(), { group: '', version: 'v1', kind: 'Pod' });
  const smp = { metadata: { labels: { tier: 'web' } }, spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.28', name: 'nginx' }] } };
  const patched = applyPatch('application/strategic-merge-patch+json', live(), smp, ctx({ meta, fieldManager: 'kubectl-client-side-apply' }));
  assert.deepEqual((patched.object.spec as JsonObject).containers, [{ name: 'nginx', image: 'nginx:1.28', ports: [{ containerPort: 80, protocol: 'TCP' }] }]);
  const mf = recordUpdate({ old: live(), updated: patched.object, manager: 'kubectl-client-side-apply', apiVersion: 'v1', now: NOW, meta });
  assert.deepEqual(mf, []); // the live object had no managedFields: not tracked
  const applied = applyPatch('application/apply-patch+yaml', undefined, JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nginx' }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] } }), ctx({ meta, fieldManager: 'kubectl' }));
  const fields = JSON.stringify(((applied.object.metadata as JsonObject).managedFields as JsonObject[])[0]!.fieldsV1);
  assert.match(fields, /"k:\{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"\}"/);
});
