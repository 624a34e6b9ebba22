/**
 * The HTTPS transport against a real socket: authentication (bearer token, client certificate,
 * none), the body limit, the cross-site check, and that bad input never takes the server down.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import type { ClientRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { createClientCert } from '../../../../src/cluster/apiserver/certs';

let cluster: Cluster;
let dataDir: string;
let ca: string;
let adminToken: string;
let viewerToken: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kube-sim-https-'));
  cluster = await Cluster.start({ clock: new ManualClock(), nodes: 0, port: 0, dataDir });
  ca = readFileSync(join(dataDir, 'ca.crt'), 'utf8');
  const kubeconfig = parse(readFileSync(cluster.kubeconfigPath!, 'utf8')) as { users: { name: string; user: { token: string } }[] };
  adminToken = kubeconfig.users.find((u) => u.name === 'kube-sim-admin')!.user.token;
  viewerToken = kubeconfig.users.find((u) => u.name === 'kube-sim-viewer')!.user.token;
});

after(async () => {
  await cluster.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request; `send` writes the body itself (in pieces, say) instead of `body` in one go. */
function call(method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer; send?: (req: ClientRequest) => void; cert?: { cert: string; key: string }; hostname?: string } = {}): Promise<Reply> {
  const url = new URL(path, cluster.url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      { method, hostname: options.hostname ?? '127.0.0.1', port: url.port, path, ca, headers: options.headers, servername: 'localhost', checkServerIdentity: () => undefined, ...(options.cert ?? {}) },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => { body += c; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.send) options.send(req);
    else req.end(options.body);
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('the kubeconfig token authenticates the admin; no or a wrong token is 401 Unauthorized', async () => {
  assert.equal((await call('GET', '/api/v1/namespaces', { headers: bearer(adminToken) })).status, 200);
  const none = await call('GET', '/api/v1/namespaces');
  assert.equal(none.status, 401);
  assert.equal(JSON.parse(none.body).reason, 'Unauthorized');
  assert.equal((await call('GET', '/api/v1/namespaces', { headers: bearer('nope') })).status, 401);
});

test('the viewer token reads but may not write', async () => {
  assert.equal((await call('GET', '/api/v1/namespaces/default/pods', { headers: bearer(viewerToken) })).status, 200);
  const denied = await call('POST', '/api/v1/namespaces/default/configmaps', { headers: { ...bearer(viewerToken), 'content-type': 'application/json' }, body: '{"metadata":{"name":"x"}}' });
  assert.equal(denied.status, 403);
});

test('a client certificate signed by the cluster CA authenticates as its CN with its O as groups', async () => {
  const caKey = readFileSync(join(dataDir, 'ca.key'), 'utf8');
  const admin = createClientCert({ cert: ca, key: caKey }, 'alice', ['system:masters']);
  const created = await call('POST', '/api/v1/namespaces/default/configmaps', { headers: { 'content-type': 'application/json' }, body: '{"metadata":{"name":"by-cert"}}', cert: admin });
  assert.equal(created.status, 201, created.body);
  const record = cluster.audit.query({ name: 'by-cert', verb: 'create' })[0]!;
  assert.equal(record.user, 'alice');
  const reader = createClientCert({ cert: ca, key: caKey }, 'bob', []);
  const denied = await call('DELETE', '/api/v1/namespaces/default/configmaps/by-cert', { cert: reader });
  assert.equal(denied.status, 403);
  assert.match(JSON.parse(denied.body).message, /User "bob" cannot delete resource "configmaps"/);
});

test('a body arrives whole whether declared or chunked in pieces; a POST with none is refused, and the connection goes on', async () => {
  const headers = { ...bearer(adminToken), 'content-type': 'application/json' };
  const manifest = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v'.repeat(40_000) } });
  const declared = await call('POST', '/api/v1/namespaces/default/configmaps', { headers, body: manifest('body-declared') });
  assert.equal(declared.status, 201, declared.body);
  const text = manifest('body-chunked');
  const chunked = await call('POST', '/api/v1/namespaces/default/configmaps', {
    headers,
    send: (req) => {
      const third = Math.floor(text.length / 3);
      req.write(text.slice(0, third));
      setImmediate(() => {
        req.write(text.slice(third, 2 * third));
        setImmediate(() => req.end(text.slice(2 * third)));
      });
    },
  });
  assert.equal(chunked.status, 201, chunked.body);
  for (const name of ['body-declared', 'body-chunked']) {
    const got = await call('GET', `/api/v1/namespaces/default/configmaps/${name}`, { headers: bearer(adminToken) });
    assert.equal(JSON.parse(got.body).data.k, 'v'.repeat(40_000), name);
  }
  const empty = await call('POST', '/api/v1/namespaces/default/configmaps', { headers });
  assert.equal(empty.status, 400, empty.body);
  assert.equal(JSON.parse(empty.body).kind, 'Status');
  assert.equal((await call('GET', '/api/v1/namespaces/default/configmaps/body-chunked', { headers: bearer(adminToken) })).status, 200);
});

test('a body over 3 MiB is 413 and stores nothing', async () => {
  const before = await cluster.store.revision();
  const big = Buffer.alloc(3 * 1024 * 1024 + 10, 0x20);
  const reply = await call('POST', '/api/v1/namespaces/default/configmaps', { headers: { ...bearer(adminToken), 'content-type': 'application/json' }, body: big });
  assert.equal(reply.status, 413);
  assert.equal(JSON.parse(reply.body).reason, 'RequestEntityTooLarge');
  assert.equal(await cluster.store.revision(), before);
});

test('a Node client still writing a large body reads the 413 (declared length or chunked, Connection: close as node-fetch sends), not a reset or EPIPE', async () => {
  const big = Buffer.alloc(20 * 1024 * 1024, 0x20);
  const declared = await call('POST', '/api/v1/namespaces/default/configmaps', { headers: { ...bearer(adminToken), 'content-type': 'application/json', connection: 'close' }, body: big });
  assert.equal(declared.status, 413);
  const chunked = await new Promise<Reply>((resolve, reject) => {
    const url = new URL(cluster.url!);
    const req = httpsRequest(
      { method: 'POST', hostname: '127.0.0.1', port: url.port, path: '/api/v1/namespaces/default/configmaps', ca, headers: { ...bearer(adminToken), 'content-type': 'application/json', connection: 'close' }, servername: 'localhost', checkServerIdentity: () => undefined },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => { body += c; });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    for (let i = 0; i < 20; i++) req.write(Buffer.alloc(1024 * 1024, 0x20));
    req.end();
  });
  assert.equal(chunked.status, 413);
  assert.equal(JSON.parse(chunked.body).reason, 'RequestEntityTooLarge');
});

test('answers over 128 KiB are gzipped for clients that accept gzip (as kube-apiserver), smaller ones and other clients get plain JSON', async () => {
  const created = await call('POST', '/api/v1/namespaces/default/configmaps', { headers: { ...bearer(adminToken), 'content-type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'big-gzip' }, data: { blob: 'x'.repeat(200 * 1024) } }) });
  assert.equal(created.status, 201);
  const zipped = await new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const url = new URL(cluster.url!);
    const req = httpsRequest({ method: 'GET', hostname: '127.0.0.1', port: url.port, path: '/api/v1/namespaces/default/configmaps/big-gzip', ca, headers: { ...bearer(adminToken), 'accept-encoding': 'gzip' }, servername: 'localhost', checkServerIdentity: () => undefined }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.equal(JSON.parse(gunzipSync(zipped.body).toString('utf8')).data.blob.length, 200 * 1024);
  const plain = await call('GET', '/api/v1/namespaces/default/configmaps/big-gzip', { headers: bearer(adminToken) });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(JSON.parse(plain.body).metadata.name, 'big-gzip');
  const small = await call('GET', '/api/v1/namespaces/default', { headers: { ...bearer(adminToken), 'accept-encoding': 'gzip' } });
  assert.equal(small.headers['content-encoding'], undefined);
});

test('a request from another site (Origin or Host) is refused with 403', async () => {
  assert.equal((await call('GET', '/api/v1/namespaces', { headers: { ...bearer(adminToken), origin: 'https://evil.example' } })).status, 403);
  assert.equal((await call('GET', '/api/v1/namespaces', { headers: { ...bearer(adminToken), host: 'evil.example' } })).status, 403);
  assert.equal((await call('GET', '/api/v1/namespaces', { headers: { ...bearer(adminToken), origin: 'http://localhost:3000' } })).status, 200);
});

test('garbage bodies and paths get Status errors and the server stays up', async () => {
  const headers = { ...bearer(adminToken), 'content-type': 'application/json' };
  for (const body of ['{', '[]', 'null', '"x"', '{"metadata":5}', '\u0000\u0001']) {
    const reply = await call('POST', '/api/v1/namespaces/default/configmaps', { headers, body });
    assert.ok(reply.status >= 400 && reply.status < 500, `${body}: ${reply.status} ${reply.body}`);
    assert.equal(JSON.parse(reply.body).kind, 'Status');
  }
  assert.equal((await call('GET', '/api/v1/namespaces/%E0%A4%A', { headers })).status, 404);
  assert.equal((await call('GET', '/version', { headers })).status, 200);
});

test('a watch streams newline-delimited events with headers sent at once', async () => {
  const url = new URL('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0', cluster.url);
  const lines: string[] = await new Promise((resolve, reject) => {
    const req = httpsRequest({ hostname: '127.0.0.1', port: url.port, path: url.pathname + url.search, ca, headers: bearer(adminToken) }, (res) => {
      assert.equal(res.statusCode, 200);
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
        if (text.includes('"name":"streamed"')) {
          req.destroy();
          resolve(text.trim().split('\n'));
        }
      });
      void fetchCreate();
    });
    req.on('error', (err) => { if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err); });
    req.end();
    async function fetchCreate() {
      await call('POST', '/api/v1/namespaces/default/configmaps', { headers: { ...bearer(adminToken), 'content-type': 'application/json' }, body: '{"metadata":{"name":"streamed"}}' });
    }
  });
  const last = JSON.parse(lines[lines.length - 1]!) as { type: string; object: { metadata: { name: string } } };
  assert.equal(last.type, 'ADDED');
  assert.equal(last.object.metadata.name, 'streamed');
});

/** Opens a watch and collects its event lines until `done` says the lines so far are enough. */
function watchLines(path: string, done: (lines: string[]) => boolean): Promise<string[]> {
  const url = new URL(path, cluster.url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ hostname: '127.0.0.1', port: url.port, path: url.pathname + url.search, ca, headers: bearer(adminToken) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
        const lines = text.split('\n').filter((l) => l.length > 0 && text.endsWith('\n'));
        if (done(lines)) {
          req.destroy();
          resolve(lines);
        }
      });
    });
    req.on('error', (err) => { if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err); });
    req.end();
  });
}

test('watchers replaying the same history each get every event with its own type and resourceVersion', async () => {
  const headers = { ...bearer(adminToken), 'content-type': 'application/json' };
  const from = JSON.parse((await call('GET', '/api/v1/namespaces/default/configmaps?limit=1', { headers: bearer(adminToken) })).body).metadata.resourceVersion as string;
  const created = JSON.parse((await call('POST', '/api/v1/namespaces/default/configmaps', { headers, body: '{"metadata":{"name":"replayed","labels":{"tier":"x"}},"data":{"a":"1"}}' })).body);
  // Leaves the label selector below: a MODIFIED for one watcher, a DELETED for the other.
  const relabelled = JSON.parse((await call('PUT', '/api/v1/namespaces/default/configmaps/replayed', { headers, body: JSON.stringify({ ...created, metadata: { ...created.metadata, labels: { tier: 'y' } }, data: { a: '2' } }) })).body);
  assert.equal((await call('DELETE', '/api/v1/namespaces/default/configmaps/replayed', { headers: bearer(adminToken) })).status, 200);
  const path = `/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dreplayed&resourceVersion=${from}`;
  const count = (n: number) => (lines: string[]) => lines.length >= n;
  const [a, b, selected] = await Promise.all([watchLines(path, count(3)), watchLines(path, count(3)), watchLines(`${path}&labelSelector=tier%3Dx`, count(2))]);
  assert.deepEqual(a, b);
  type Event = { type: string; object: { metadata: { resourceVersion: string }; data: { a: string } } };
  const events = a.map((l) => JSON.parse(l) as Event);
  assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
  assert.equal(events[0]!.object.metadata.resourceVersion, created.metadata.resourceVersion);
  assert.equal(events[1]!.object.metadata.resourceVersion, relabelled.metadata.resourceVersion);
  assert.equal(events[1]!.object.data.a, '2');
  assert.ok(Number(events[2]!.object.metadata.resourceVersion) > Number(relabelled.metadata.resourceVersion));
  const left = selected.map((l) => JSON.parse(l) as Event);
  assert.deepEqual(left.map((e) => e.type), ['ADDED', 'DELETED']);
  assert.equal(left[1]!.object.metadata.resourceVersion, relabelled.metadata.resourceVersion);
});

test('the server answers on ::1 too, at the same port; the URL names 127.0.0.1', async () => {
  assert.match(cluster.url!, /^https:\/\/127\.0\.0\.1:\d+$/);
  const reply = await call('GET', '/version', { hostname: '::1', headers: bearer(adminToken) });
  assert.equal(reply.status, 200);
  assert.equal((JSON.parse(reply.body) as { major: string }).major, '1');
});


test('a dot-dot name segment names an object called "..", never the namespace above it', async () => {
  const auth = { authorization: `Bearer ${adminToken}` };
  for (const segment of ['%2e%2e', '%2E%2E', '..']) {
    const got = await call('GET', `/api/v1/namespaces/default/pods/${segment}`, { headers: auth });
    assert.equal(got.status, 404, `GET pods/${segment}: ${got.body}`);
    assert.match(JSON.parse(got.body).message, /^pods "\.\." not found$/);
    const deleted = await call('DELETE', `/api/v1/namespaces/default/pods/${segment}`, { headers: auth });
    assert.equal(deleted.status, 404, `DELETE pods/${segment}: ${deleted.body}`);
  }
  const ns = await call('GET', '/api/v1/namespaces/default', { headers: auth });
  assert.equal(ns.status, 200);
  assert.equal(JSON.parse(ns.body).metadata.deletionTimestamp, undefined);
});

test('without credentials only health and version answer (system:public-info-viewer); a wrong token is still 401', async () => {
  for (const path of ['/healthz', '/livez', '/readyz', '/version']) {
    const got = await call('GET', path);
    assert.equal(got.status, 200, `${path}: ${got.body}`);
  }
  assert.equal(JSON.parse((await call('GET', '/version')).body).minor, '32');
  assert.equal((await call('GET', '/readyz', { headers: bearer('nope') })).status, 401);
  assert.equal((await call('GET', '/api')).status, 401);
  assert.equal((await call('GET', '/openapi/v3')).status, 401);
  assert.equal((await call('POST', '/healthz', { body: '{}' })).status, 401);
});
