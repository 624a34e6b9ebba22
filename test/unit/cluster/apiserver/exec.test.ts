/**
 * pods/exec through the HTTPS transport with a raw WebSocket client: the upgrade goes through the
 * pipeline (authorization, audit) and the RemoteCommand channels carry output and the final Status.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Cluster } from '../../../../src/cluster/cluster';
import { ManualClock } from '../../../../src/cluster/clock';
import { NODES, PODS as PODS } from '../../../../src/cluster/client/client';
import type { Node, Pod } from '../../../../src/cluster/api/types';
import { MAX_EXEC_SESSIONS_PER_USER } from '../../../../src/cluster/apiserver/handlers/exec';

let cluster: Cluster;
let clock: ManualClock;
let dataDir: string;
let ca: string;
let adminToken: string;
let viewerToken: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kube-sim-exec-'));
  clock = new ManualClock();
  cluster = await Cluster.start({ clock, nodes: 1, port: 0, dataDir });
  ca = readFileSync(join(dataDir, 'ca.crt'), 'utf8');
  const kubeconfig = parse(readFileSync(cluster.kubeconfigPath!, 'utf8')) as { users: { name: string; user: { token: string } }[] };
  adminToken = kubeconfig.users.find((u) => u.name === 'kube-sim-admin')!.user.token;
  viewerToken = kubeconfig.users.find((u) => u.name === 'kube-sim-viewer')!.user.token;
  const pods = cluster.client().resource<Pod>(PODS);
  await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'busybox:1.36', command: ['sleep', '3600'] }] } });
  await clock.advance(10_000);
  assert.equal((await pods.get('web', { namespace: 'default' })).status!.phase, 'Running');
});

after(async () => {
  await cluster.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Outcome = { upgraded: true; protocol: string | undefined; messages: { channel: number; text: string }[]; closeCode: number } | { upgraded: false; status: number; body: string };

/**
 * A WebSocket exec as kubectl sends it (GET, v5.channel.k8s.io; `protocol` for other clients);
 * reads until the server closes. `opened` hears of the upgraded socket (to hold a session open).
 */
function wsExec(token: string, query: string, options: { pod?: string; protocol?: string; opened?: (socket: Duplex) => void } = {}): Promise<Outcome> {
  const url = new URL(cluster.url!);
  return new Promise((resolve, reject) => {
    const req = httpsRequest({
      method: 'GET', hostname: '127.0.0.1', port: url.port, path: `/api/v1/namespaces/default/pods/${options.pod ?? 'web'}/exec?${query}`, ca, servername: 'localhost', checkServerIdentity: () => undefined,
      headers: { Authorization: `Bearer ${token}`, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': options.protocol ?? 'v5.channel.k8s.io' },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve({ upgraded: false, status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', (res, socket: Duplex, head: Buffer) => {
      assert.equal(res.headers['sec-websocket-accept'], 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
      options.opened?.(socket);
      let data = head;
      const messages: { channel: number; text: string }[] = [];
      socket.on('close', () => resolve({ upgraded: true, protocol: res.headers['sec-websocket-protocol'] as string | undefined, messages, closeCode: 1006 }));
      socket.on('data', (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        while (data.length >= 2) {
          let length = data[1]! & 0x7f; // no 64-bit lengths in this test
          let offset = 2;
          if (length === 126) {
            if (data.length < 4) return;
            length = data.readUInt16BE(2);
            offset = 4;
          }
          if (data.length < offset + length) return;
          const opcode = data[0]! & 0x0f;
          const payload = data.subarray(offset, offset + length);
          data = data.subarray(offset + length);
          if (opcode === 0x2) messages.push({ channel: payload[0]!, text: payload.subarray(1).toString('utf8') });
          if (opcode === 0x8) {
            socket.destroy();
            resolve({ upgraded: true, protocol: res.headers['sec-websocket-protocol'] as string | undefined, messages, closeCode: payload.readUInt16BE(0) });
          }
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

test('an exec streams stdout and stderr, ends with the exit Status on channel 3 and a normal close, and is audited', async () => {
  const r = await wsExec(adminToken, 'command=sh&command=-c&command=echo%20hi%3B%20echo%20no%20%3E%262%3B%20exit%202&stdout=true&stderr=true');
  assert.ok(r.upgraded);
  assert.equal(r.protocol, 'v5.channel.k8s.io');
  assert.equal(r.closeCode, 1000);
  // First an empty message on stdout (the streams are set up), then the output.
  assert.deepEqual(r.messages.slice(0, 3), [{ channel: 1, text: '' }, { channel: 1, text: 'hi\n' }, { channel: 2, text: 'no\n' }]);
  assert.equal(r.messages[3]!.channel, 3);
  // v5 is served by kube-apiserver's stream translator, which words the exit code its own way.
  assert.deepEqual(JSON.parse(r.messages[3]!.text), {
    metadata: {}, status: 'Failure', reason: 'NonZeroExitCode',
    message: 'command terminated with non-zero exit code: command terminated with exit code 2',
    details: { causes: [{ reason: 'ExitCode', message: '2' }] },
  });
  const record = cluster.audit.query({ verb: 'get', resource: 'pods' }).filter((a) => a.subresource === 'exec').at(-1)!;
  assert.equal(record.user, 'kube-sim-admin');
  assert.equal(record.code, 101);
  assert.equal(record.name, 'web');
});

test('a successful command ends with status Success', async () => {
  const r = await wsExec(adminToken, 'command=true&stdout=true');
  assert.ok(r.upgraded);
  assert.deepEqual(r.messages.map((m) => [m.channel, m.text && JSON.parse(m.text)]), [[1, ''], [3, { metadata: {}, status: 'Success' }]]);
});

test('the viewer is refused before any upgrade, and that is audited too', async () => {
  const r = await wsExec(viewerToken, 'command=ls&stdout=true');
  assert.ok(!r.upgraded);
  assert.equal(r.status, 403);
  assert.equal(JSON.parse(r.body).message, 'pods "web" is forbidden: User "viewer" cannot get resource "pods/exec" in API group "" in the namespace "default"');
  const record = cluster.audit.query({ user: 'viewer' }).filter((a) => a.subresource === 'exec').at(-1)!;
  assert.equal(record.code, 403);
});

test('other requests asking for an upgrade are answered plainly; a watch among them is refused, not left open', async () => {
  const url = new URL(cluster.url!);
  const ask = (path: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpsRequest({
      method: 'GET', hostname: '127.0.0.1', port: url.port, path, ca, servername: 'localhost', checkServerIdentity: () => undefined,
      headers: { Authorization: `Bearer ${adminToken}`, Connection: 'Upgrade', Upgrade: 'SPDY/3.1' },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', () => reject(new Error('upgraded')));
    req.on('error', reject);
    req.end();
  });
  const get = await ask('/api/v1/namespaces/default/pods/web');
  assert.equal(get.status, 200);
  assert.equal(JSON.parse(get.body).metadata.name, 'web');
  const watch = await ask('/api/v1/namespaces/default/pods?watch=true');
  assert.equal(watch.status, 400);
  const spdyExec = await ask('/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true');
  assert.equal(spdyExec.status, 400);
  assert.match(JSON.parse(spdyExec.body).message, /^unable to upgrade: Kube Sim serves exec over WebSocket/);
  const plain = await new Promise<number>((resolve, reject) => {
    const req = httpsRequest({ method: 'POST', hostname: '127.0.0.1', port: url.port, path: '/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true', ca, servername: 'localhost', checkServerIdentity: () => undefined, headers: { Authorization: `Bearer ${adminToken}` } });
    req.on('response', (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.end();
  });
  assert.equal(plain, 400, 'Upgrade request required');
});

/** A plain GET as the admin. */
function get(path: string): Promise<{ status: number; body: string }> {
  const url = new URL(cluster.url!);
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ method: 'GET', hostname: '127.0.0.1', port: url.port, path, ca, servername: 'localhost', checkServerIdentity: () => undefined, headers: { Authorization: `Bearer ${adminToken}` } });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const statusOf = (m: { text: string }) => JSON.parse(m.text) as { message: string; reason?: string; code?: number; details?: unknown };

test('v5 clients get the kubelet\'s refusals after the upgrade, through the stream translator; others get them before it, plainly', async () => {
  const pods = cluster.client().resource<Pod>(PODS);
  await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unpulled', namespace: 'default' }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'registry.invalid/none:1' }] } });
  const notRunning = await wsExec(adminToken, 'command=ls&stdout=true', { pod: 'unpulled' });
  assert.ok(notRunning.upgraded);
  assert.equal(statusOf(notRunning.messages.at(-1)!).message, 'Internal error occurred: unable to upgrade connection: container not found ("app")');
  const notRunningV4 = await wsExec(adminToken, 'command=ls&stdout=true', { pod: 'unpulled', protocol: 'v4.channel.k8s.io' });
  assert.deepEqual(notRunningV4, { upgraded: false, status: 500, body: 'container not found ("app")' });
  await pods.delete('unpulled', { namespace: 'default', gracePeriodSeconds: 0 });
  const v5 = await wsExec(adminToken, 'command=nosuch&stdout=true');
  assert.ok(v5.upgraded);
  const v5Status = statusOf(v5.messages.at(-1)!);
  assert.equal(v5Status.reason, 'InternalError');
  assert.match(v5Status.message, /^Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch": executable file not found in \$PATH: unknown$/);
  const v4 = await wsExec(adminToken, 'command=nosuch&stdout=true', { protocol: 'v4.channel.k8s.io' });
  assert.ok(v4.upgraded);
  assert.equal(v4.protocol, 'v4.channel.k8s.io');
  assert.match(statusOf(v4.messages.at(-1)!).message, /^Internal error occurred: error executing command in container: failed to exec/);
  const v4Exit = await wsExec(adminToken, 'command=sh&command=-c&command=exit%203&stdout=true', { protocol: 'v4.channel.k8s.io' });
  assert.ok(v4Exit.upgraded);
  assert.equal(statusOf(v4Exit.messages.at(-1)!).message, 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3');
  const noStreams = await wsExec(adminToken, 'command=ls');
  assert.ok(noStreams.upgraded);
  assert.deepEqual(noStreams.messages.map((m) => m.channel), [3, 3]);
  assert.equal(statusOf(noStreams.messages[1]!).message, 'Internal error occurred: unable to upgrade connection: you must specify at least 1 of stdin, stdout, stderr');
  const noStreamsV4 = await wsExec(adminToken, 'command=ls', { protocol: 'v4.channel.k8s.io' });
  assert.deepEqual(noStreamsV4, { upgraded: false, status: 400, body: 'you must specify at least 1 of stdin, stdout, stderr' });
});

test('an empty command is not refused by the API server or the kubelet: the runtime refuses it', async () => {
  const r = await wsExec(adminToken, 'stdout=true');
  assert.ok(r.upgraded);
  assert.match(statusOf(r.messages.at(-1)!).message, /^Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: args must not be empty: unknown$/);
});

test('a stopped kubelet cannot be dialed: exec and logs fail as kube-apiserver words a refused connection', async () => {
  const node = await cluster.client().resource<Node>(NODES).get('node-1');
  const ip = node.status!.addresses!.find((a) => a.type === 'InternalIP')!.address;
  cluster.nodes.stopKubelet('node-1');
  try {
    const v5 = await wsExec(adminToken, 'command=sh&command=-c&command=echo%20a%20b%3B%20ls&stdout=true&stderr=true');
    assert.ok(v5.upgraded);
    assert.deepEqual(v5.messages.map((m) => m.channel), [1, 3]);
    assert.deepEqual(statusOf(v5.messages[1]!), {
      metadata: {}, status: 'Failure', reason: 'InternalError', code: 500,
      message: `Internal error occurred: error sending request: Post "https://${ip}:10250/exec/default/web/web?command=sh&command=-c&command=echo+a+b%3B+ls&error=1&output=1": dial tcp ${ip}:10250: connect: connection refused`,
      details: { causes: [{ message: `error sending request: Post "https://${ip}:10250/exec/default/web/web?command=sh&command=-c&command=echo+a+b%3B+ls&error=1&output=1": dial tcp ${ip}:10250: connect: connection refused` }] },
    });
    const v4 = await wsExec(adminToken, 'command=ls&stdout=true', { protocol: 'v4.channel.k8s.io' });
    assert.ok(!v4.upgraded);
    assert.equal(v4.status, 500);
    assert.deepEqual(JSON.parse(v4.body), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `error dialing backend: dial tcp ${ip}:10250: connect: connection refused`, code: 500 });

    const logs = await get('/api/v1/namespaces/default/pods/web/log?container=web&follow=true&tailLines=5');
    assert.equal(logs.status, 500);
    assert.deepEqual(JSON.parse(logs.body), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `Get "https://${ip}:10250/containerLogs/default/web/web?follow=true&tailLines=5": dial tcp ${ip}:10250: connect: connection refused`, code: 500 });
  } finally {
    await cluster.nodes.startKubelet('node-1');
  }
  const back = await get('/api/v1/namespaces/default/pods/web/log');
  assert.equal(back.status, 200);
  const again = await wsExec(adminToken, 'command=true&stdout=true');
  assert.ok(again.upgraded);
  assert.equal(statusOf(again.messages.at(-1)!).message, undefined, 'Success again');
});

test('a pod whose node is gone: NotFound for the node, before any upgrade', async () => {
  const nodes = cluster.client().resource<Node>(NODES);
  const pods = cluster.client().resource<Pod>(PODS);
  await nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'gone' } });
  await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace: 'default' }, spec: { nodeName: 'gone', containers: [{ name: 'app', image: 'busybox:1.36' }] } });
  await nodes.delete('gone');
  const exec = await wsExec(adminToken, 'command=ls&stdout=true', { pod: 'orphan' });
  assert.ok(!exec.upgraded);
  assert.equal(exec.status, 404);
  assert.equal(JSON.parse(exec.body).message, 'nodes "gone" not found');
  const logs = await get('/api/v1/namespaces/default/pods/orphan/log');
  assert.equal(logs.status, 404);
  assert.equal(JSON.parse(logs.body).message, 'nodes "gone" not found');
  await pods.delete('orphan', { namespace: 'default', gracePeriodSeconds: 0 });
});

test(`one user holds at most ${MAX_EXEC_SESSIONS_PER_USER} exec sessions at once; the next is refused until one ends`, async () => {
  const sockets: Duplex[] = [];
  const ended: Promise<Outcome>[] = [];
  for (let i = 0; i < MAX_EXEC_SESSIONS_PER_USER; i++) {
    await new Promise<void>((opened) => { ended.push(wsExec(adminToken, 'command=sleep&command=3600&stdout=true', { opened: (s) => { sockets.push(s); opened(); } })); });
  }
  const refused = await wsExec(adminToken, 'command=true&stdout=true');
  assert.ok(!refused.upgraded);
  assert.equal(refused.status, 429);
  assert.equal(JSON.parse(refused.body).reason, 'TooManyRequests');
  const other = await wsExec(viewerToken, 'command=true&stdout=true');
  assert.ok(!other.upgraded && other.status === 403, 'the limit is per user: the viewer is refused for its own reason');
  sockets.pop()!.destroy();
  await ended.pop();
  await new Promise((r) => setImmediate(r));
  const next = await wsExec(adminToken, 'command=true&stdout=true');
  assert.ok(next.upgraded);
  for (const s of sockets) s.destroy();
  await Promise.all(ended);
  await new Promise((r) => setImmediate(r));
  const fresh = await wsExec(adminToken, 'command=true&stdout=true');
  assert.ok(fresh.upgraded, 'ended sessions are no longer counted');
});

test('the kubelet stopping under open streams breaks them: exec ends as the translator reads a broken stream (Success), logs -f ends', async () => {
  // Each stream is with the kubelet once its answer (101, or the log's headers) is back.
  let opened = 0;
  let allOpen: () => void = () => {};
  const open = new Promise<void>((resolve) => { allOpen = resolve; });
  const one = () => { if (++opened === 3) allOpen(); };
  const v5 = wsExec(adminToken, 'command=sh&command=-c&command=echo%20started%3B%20sleep%203600&stdout=true&stderr=true', { opened: one });
  const v4 = wsExec(adminToken, 'command=sleep&command=3600&stdout=true', { protocol: 'v4.channel.k8s.io', opened: one });
  const url = new URL(cluster.url!);
  const follow = new Promise<number>((resolve, reject) => {
    const req = httpsRequest({ method: 'GET', hostname: '127.0.0.1', port: url.port, path: '/api/v1/namespaces/default/pods/web/log?follow=true', ca, servername: 'localhost', checkServerIdentity: () => undefined, headers: { Authorization: `Bearer ${adminToken}` } });
    req.on('response', (res) => { one(); res.resume().on('end', () => resolve(res.statusCode ?? 0)); });
    req.on('error', reject);
    req.end();
  });
  await open;
  cluster.nodes.stopKubelet('node-1');
  try {
    const ended = await v5;
    assert.ok(ended.upgraded);
    assert.equal(ended.closeCode, 1000);
    assert.deepEqual(ended.messages.map((m) => [m.channel, m.text]), [[1, ''], [1, 'started\n'], [3, JSON.stringify({ metadata: {}, status: 'Success' })]]);
    const direct = await v4;
    assert.ok(direct.upgraded);
    assert.deepEqual(direct.messages.map((m) => m.channel), [1], 'proxied to the kubelet: the connection just ends, no Status');
    assert.equal(await follow, 200);
  } finally {
    await cluster.nodes.startKubelet('node-1');
  }
});
