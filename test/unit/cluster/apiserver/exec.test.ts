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
import { PODS } from '../../../../src/cluster/client/client';
import type { Pod } from '../../../../src/cluster/api/types';

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

/** A WebSocket exec as kubectl sends it (GET, v5.channel.k8s.io); reads until the server closes. */
function wsExec(token: string, query: string): Promise<Outcome> {
  const url = new URL(cluster.url!);
  return new Promise((resolve, reject) => {
    const req = httpsRequest({
      method: 'GET', hostname: '127.0.0.1', port: url.port, path: `/api/v1/namespaces/default/pods/web/exec?${query}`, ca, servername: 'localhost', checkServerIdentity: () => undefined,
      headers: { Authorization: `Bearer ${token}`, Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve({ upgraded: false, status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', (res, socket: Duplex, head: Buffer) => {
      assert.equal(res.headers['sec-websocket-accept'], 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
      let data = head;
      const messages: { channel: number; text: string }[] = [];
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
  assert.deepEqual(r.messages.slice(0, 2), [{ channel: 1, text: 'hi\n' }, { channel: 2, text: 'no\n' }]);
  assert.equal(r.messages[2]!.channel, 3);
  assert.deepEqual(JSON.parse(r.messages[2]!.text), {
    metadata: {}, status: 'Failure', reason: 'NonZeroExitCode',
    message: 'command terminated with non-zero exit code: error executing command [sh -c echo hi; echo no >&2; exit 2], exit code 2',
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
  assert.deepEqual(r.messages.map((m) => [m.channel, JSON.parse(m.text)]), [[3, { metadata: {}, status: 'Success' }]]);
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
