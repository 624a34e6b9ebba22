/**
 * Property: whatever a client sends (any method, path, content type and body, JSON or bytes,
 * deep or huge-ish), the pipeline answers with a status code, every failure is a Status object,
 * and a failed request leaves the store exactly as it was. The server has no background
 * components here, so any change of revision during a failed request would be its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ApiServer } from '../../../../src/cluster/apiserver/server';
import { allResources } from '../../../../src/cluster/apiserver/registry/kinds';
import { MemoryStore } from '../../../../src/cluster/store/memory';
import { ManualClock } from '../../../../src/cluster/clock';
import { ADMIN } from '../../../../src/cluster/apiserver/auth/identities';
import type { ApiRequest } from '../../../../src/cluster/apiserver/types';

const PATHS = [
  '/api/v1/namespaces/default/pods', '/api/v1/namespaces/default/pods/p', '/api/v1/namespaces/default/pods/p/status',
  '/api/v1/namespaces/default/pods/p/binding', '/api/v1/namespaces/default/pods/p/eviction', '/api/v1/namespaces/default/pods/p/log',
  '/api/v1/namespaces/default/configmaps', '/api/v1/namespaces/default/configmaps/c', '/api/v1/namespaces', '/api/v1/namespaces/default',
  '/api/v1/nodes', '/api/v1/nodes/n', '/api/v1/namespaces/default/bindings', '/apis/coordination.k8s.io/v1/namespaces/default/leases',
  '/apis/events.k8s.io/v1/namespaces/default/events', '/api', '/apis', '/api/v1', '/version', '/openapi/v3', '/healthz',
  '/api/v1/namespaces/%E0%A4%A/pods', '/api/v1/namespaces/default/pods/..%2F..', '/apis/nope/v1/things',
];
const CONTENT_TYPES = [
  'application/json', 'application/yaml', 'application/json-patch+json', 'application/merge-patch+json',
  'application/strategic-merge-patch+json', 'application/apply-patch+yaml', 'application/vnd.kubernetes.protobuf', 'text/plain', '',
];

const podLike = fc.record({
  apiVersion: fc.constantFrom('v1', 'apps/v1', '', 'v2'),
  kind: fc.constantFrom('Pod', 'ConfigMap', 'Binding', 'Eviction', 'Namespace', 'Status'),
  metadata: fc.oneof(fc.record({ name: fc.constantFrom('p', 'c', 'default', 'n', '', 'UPPER', 'a'.repeat(300)), resourceVersion: fc.constantFrom(undefined, '1', 'x') }, { requiredKeys: [] }), fc.jsonValue()),
  spec: fc.oneof(fc.jsonValue(), fc.record({ containers: fc.array(fc.record({ name: fc.string(), image: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }), { maxLength: 3 }) })),
  data: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())),
  target: fc.record({ name: fc.constantFrom('n', '') }, { requiredKeys: [] }),
}, { requiredKeys: [] });

const body = fc.oneof(
  podLike.map((v) => JSON.stringify(v)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.array(fc.record({ op: fc.constantFrom('add', 'remove', 'replace', 'test', 'move', 'copy', 'bogus'), path: fc.constantFrom('/metadata/labels', '/spec', '', '/a/b', '/metadata/name'), value: fc.jsonValue(), from: fc.constantFrom('/spec', '/x') }, { requiredKeys: [] })).map((v) => JSON.stringify(v)),
  fc.string(),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.integer({ min: 50, max: 400 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.constant('a: &a [x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n'),
);

test('hostile requests never crash the pipeline, always get a Status on failure, and never change state when they fail', async () => {
  const clock = new ManualClock();
  const kv = new MemoryStore();
  const server = new ApiServer({ kv, clock, resources: allResources });
  for (const name of ['default']) {
    const r = await server.handle({ method: 'POST', path: '/api/v1/namespaces', query: new URLSearchParams(), headers: { 'content-type': 'application/json' }, body: { metadata: { name } }, user: ADMIN });
    assert.equal(r.status, 201);
  }
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
      fc.constantFrom(...PATHS),
      fc.constantFrom('', 'watch=true&resourceVersion=abc', 'limit=-1', 'continue=zzz', 'labelSelector=a%20in%20(', 'fieldSelector=spec.x=1', 'dryRun=Nope', 'fieldValidation=Maybe', 'gracePeriodSeconds=x', 'resourceVersion=99999999&resourceVersionMatch=Exact', 'force=maybe'),
      fc.constantFrom(...CONTENT_TYPES),
      body,
      async (method, path, query, contentType, text) => {
        const request: ApiRequest = { method, path, query: new URLSearchParams(query), headers: { 'content-type': contentType, accept: 'application/json' }, rawBody: Buffer.from(text), user: ADMIN };
        const before = await kv.revision();
        const response = await server.handle(request);
        response.stream?.close();
        assert.ok(Number.isInteger(response.status) && response.status >= 200 && response.status < 600);
        if (response.status >= 400) {
          const status = response.body as { kind?: string; code?: number };
          assert.equal(status.kind, 'Status');
          assert.equal(status.code, response.status);
          assert.equal(await kv.revision(), before, `${method} ${path}?${query} (${contentType}) answered ${response.status} but changed the store`);
        }
      },
    ),
    { numRuns: 400 },
  );
  await kv.close();
  clock.dispose();
});
