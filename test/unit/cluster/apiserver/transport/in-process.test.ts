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

/** A server whose every request waits until the test answers it, in any order. */
function serverAnsweringOnDemand(): { server: ApiServer; started: string[]; answer(path: string, fail?: boolean): void } {
  const started: string[] = [];
  const pending = new Map<string, { resolve(): void; reject(err: Error): void }>();
  const server = {
    handle: (request: { path: string }) => {
      started.push(request.path);
      return new Promise((resolve, reject) => {
        pending.set(request.path, { resolve: () => resolve({ status: 200, headers: {}, body: { kind: 'Status' } }), reject });
      });
    },
  } as unknown as ApiServer;
  return {
    server,
    started,
    answer(path, fail = false) {
      const p = pending.get(path)!;
      pending.delete(path);
      if (fail) p.reject(new Error('broken'));
      else p.resolve();
    },
  };
}

const settle = () => new Promise<void>((r) => setImmediate(r));
const get = (path: string) => ({ method: 'GET', path, query: new URLSearchParams(), headers: {}, user: admin });

test('at most maxInFlight requests are handled at once; the others start in arrival order as places free up', async () => {
  const { server, started, answer } = serverAnsweringOnDemand();
  const transport = inProcessTransport(server, 2);
  const answers = ['/a', '/b', '/c', '/d'].map((p) => transport(get(p)));
  await settle();
  assert.deepEqual(started, ['/a', '/b'], 'two handled, two waiting');
  answer('/b');
  await settle();
  assert.deepEqual(started, ['/a', '/b', '/c'], 'the oldest waiting request takes the freed place');
  answer('/a');
  await settle();
  assert.deepEqual(started, ['/a', '/b', '/c', '/d']);
  answer('/c');
  answer('/d');
  const statuses = (await Promise.all(answers)).map((r) => r.status);
  assert.deepEqual(statuses, [200, 200, 200, 200]);
  // All places are free again: the next two start at once.
  void transport(get('/e'));
  void transport(get('/f'));
  await settle();
  assert.deepEqual(started.slice(4), ['/e', '/f']);
});

test('a request the server fails gives its place up all the same', async () => {
  const { server, started, answer } = serverAnsweringOnDemand();
  const transport = inProcessTransport(server, 1);
  const failing = transport(get('/a'));
  const next = transport(get('/b'));
  await settle();
  assert.deepEqual(started, ['/a']);
  answer('/a', true);
  await assert.rejects(failing, /broken/);
  await settle();
  assert.deepEqual(started, ['/a', '/b']);
  answer('/b');
  assert.equal((await next).status, 200);
});

test('thousands of waiting requests start one by one in arrival order', async () => {
  const { server, started, answer } = serverAnsweringOnDemand();
  const transport = inProcessTransport(server, 1);
  const paths = Array.from({ length: 3000 }, (_, i) => `/p${i}`);
  const answers = paths.map((p) => transport(get(p)));
  for (let i = 0; i < paths.length; i++) {
    await settle();
    assert.equal(started.length, i + 1, `one handled at a time (at ${i})`);
    answer(paths[i]!);
  }
  await Promise.all(answers);
  assert.deepEqual(started, paths);
  void transport(get('/after'));
  await settle();
  assert.equal(started.at(-1), '/after', 'a place is free at once when the queue has run dry');
});
