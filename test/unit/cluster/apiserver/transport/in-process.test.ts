import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RawJson } from '../../../../../src/cluster/apiserver/registry/codec';
import type { ApiServer } from '../../../../../src/cluster/apiserver/server';
import { inProcessTransport } from '../../../../../src/cluster/apiserver/transport/in-process';
import { ApiClient, PODS } from '../../../../../src/cluster/client/client';

class CountingRawJson extends RawJson {
  parses = 0;
  override parse(): unknown {
    this.parses++;
    return super.parse();
  }
}

function serverAnswering(text: string, status = 200): { server: ApiServer; raws: CountingRawJson[] } {
  const raws: CountingRawJson[] = [];
  const server = {
    handle: async () => {
      const raw = new CountingRawJson(text);
      raws.push(raw);
      return { status, headers: {}, body: raw };
    },
  } as unknown as ApiServer;
  return { server, raws };
}

const POD = '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web","namespace":"default"}}';
const admin = { name: 'admin', groups: ['system:masters'] };

test('a response kept as JSON text is parsed once, when first read, into an object the caller owns', async () => {
  const { server, raws } = serverAnswering(POD);
  const transport = inProcessTransport(server);
  const response = await transport({ method: 'GET', path: '/api/v1/namespaces/default/pods/web', query: new URLSearchParams(), headers: {}, user: admin });
  assert.equal(raws[0]!.parses, 0);
  const body = response.body as { metadata: { name: string; labels?: Record<string, string> } };
  assert.equal(body.metadata.name, 'web');
  body.metadata.labels = { changed: 'yes' };
  assert.deepEqual((response.body as typeof body).metadata.labels, { changed: 'yes' }, 'the same object on every read');
  assert.equal(raws[0]!.parses, 1);
  response.body = { replaced: true };
  assert.deepEqual(response.body, { replaced: true });
  const again = await transport({ method: 'GET', path: '/api/v1/namespaces/default/pods/web', query: new URLSearchParams(), headers: {}, user: admin });
  assert.notEqual(again.body, body, 'every response its own object');
});

test('a writer that does not read the result of its write costs no parse; one that does gets the object', async () => {
  const { server, raws } = serverAnswering(POD);
  const pods = new ApiClient(inProcessTransport(server), admin).resource(PODS);
  const result = await pods.patchWithWarnings('web', 'merge', { metadata: { labels: { a: 'b' } } }, { namespace: 'default' });
  assert.deepEqual(result.warnings, []);
  assert.equal(raws[0]!.parses, 0);
  const pod = await pods.patch('web', 'merge', {}, { namespace: 'default' });
  assert.equal(pod.metadata.name, 'web');
  assert.equal(raws[1]!.parses, 1);
  await pods.deleteWithWarnings('web', { namespace: 'default', gracePeriodSeconds: 0 });
  assert.equal(raws[2]!.parses, 0);
  const deleted = await pods.delete('web', { namespace: 'default' });
  assert.equal(deleted.kind, 'Pod');
  assert.equal(raws[3]!.parses, 1);
});

test('an error response is still read into a StatusError', async () => {
  const { server } = serverAnswering('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"web\\" not found","reason":"NotFound","code":404}', 404);
  const pods = new ApiClient(inProcessTransport(server), admin).resource(PODS);
  await assert.rejects(pods.patchWithWarnings('web', 'merge', {}, { namespace: 'default' }), /pods "web" not found/);
});
