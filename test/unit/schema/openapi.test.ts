import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { loadOpenApiV3 } from '../../../src/schema/openapi';

interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
  'x-kubernetes-action'?: string;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string };
}
type PathItem = Partial<Record<'get' | 'put' | 'post' | 'delete' | 'patch', Operation>> & { parameters?: unknown[] };
interface Document {
  openapi: string;
  info: { title: string };
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

const openapi = loadOpenApiV3();
const coreV1 = (): Document => JSON.parse(openapi.document('api/v1')!.body.toString('utf8')) as Document;

test('api/v1 carries the pod PATCH operation kubectl looks for to use server-side field validation', () => {
  const doc = coreV1();
  assert.equal(doc.openapi, '3.0.0');
  const patch = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch!;
  assert.equal(patch.operationId, 'patchCoreV1NamespacedPod');
  assert.equal(patch['x-kubernetes-action'], 'patch');
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'Pod' });
  const names = patch.parameters!.map((p) => p.name);
  for (const name of ['dryRun', 'fieldManager', 'fieldValidation', 'force']) assert.ok(names.includes(name), name);
  assert.ok(patch.parameters!.every((p) => p.in === 'query'), 'operation parameters are inline, not $ref');
  assert.ok('application/strategic-merge-patch+json' in patch.requestBody!.content);
  assert.ok('application/apply-patch+yaml' in patch.requestBody!.content);
  assert.deepEqual(patch.responses['200'].content!['application/json'].schema, {
    $ref: '#/components/schemas/io.k8s.api.core.v1.Pod',
  });
});

test('components.schemas holds Pod with its group-version-kind, and refs with siblings are wrapped in allOf', () => {
  const pod = coreV1().components.schemas['io.k8s.api.core.v1.Pod'];
  assert.deepEqual(pod['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  const spec = (pod.properties as Record<string, Record<string, unknown>>).spec;
  assert.deepEqual(spec.allOf, [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }]);
  assert.equal(spec.$ref, undefined);
  assert.match(String(spec.description), /Specification of the desired behavior of the pod/);
});

test('Quantity and IntOrString are oneOf schemas, so kubectl explain names them instead of saying string', () => {
  const schemas = coreV1().components.schemas;
  assert.deepEqual(schemas['io.k8s.apimachinery.pkg.api.resource.Quantity'].oneOf, [{ type: 'string' }, { type: 'number' }]);
  const intOrString = schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'];
  assert.deepEqual(intOrString.oneOf, [{ type: 'integer' }, { type: 'string' }]);
  assert.equal(intOrString.format, 'int-or-string');
  assert.equal(intOrString.type, undefined);
});

test('enum values the v2 spec lacks are served, as kube-apiserver serves them', () => {
  const podSpec = coreV1().components.schemas['io.k8s.api.core.v1.PodSpec'];
  const restartPolicy = (podSpec.properties as Record<string, { enum?: string[] }>).restartPolicy;
  assert.deepEqual(restartPolicy.enum, ['Always', 'Never', 'OnFailure']);
});

test('every $ref in every document resolves inside that document', () => {
  for (const path of openapi.paths()) {
    const doc = JSON.parse(openapi.document(path)!.body.toString('utf8')) as Document;
    const refs = new Set<string>();
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          // JSONSchemaProps has a field named `$ref`: only a string value is a reference.
          if (key === '$ref' && typeof value === 'string') refs.add(value);
          else visit(value);
        }
      }
    };
    visit(doc);
    for (const ref of refs) {
      assert.ok(ref.startsWith('#/components/schemas/'), `${path}: ${ref}`);
      assert.ok(ref.slice('#/components/schemas/'.length) in doc.components.schemas, `${path}: ${ref}`);
    }
  }
});

test('the index hash of a document is the uppercase sha512 of its bytes, and discovery links to it', () => {
  const doc = openapi.document('apis/apps/v1')!;
  const expected = createHash('sha512').update(doc.body).digest('hex').toUpperCase();
  assert.equal(doc.hash, expected);
  const discovery = openapi.discovery((path) => path === 'api/v1' || path === 'apis/apps/v1');
  assert.deepEqual(Object.keys(discovery.paths), ['api/v1', 'apis/apps/v1']);
  assert.equal(discovery.paths['apis/apps/v1'].serverRelativeURL, `/openapi/v3/apis/apps/v1?hash=${expected}`);
});

test('the documents cover the group-versions kube-apiserver 1.32 serves, and nothing else is invented', () => {
  const paths = openapi.paths();
  for (const path of ['api', 'api/v1', 'apis', 'apis/apps/v1', 'apis/coordination.k8s.io/v1', 'apis/events.k8s.io/v1', 'version']) {
    assert.ok(paths.includes(path), path);
  }
  assert.equal(openapi.document('apis/nope/v1'), undefined);
});
