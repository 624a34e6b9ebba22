/**
 * API server workloads (issue 3 §8): GET and create requests/s over HTTPS against a raw node:http
 * server answering the same JSON in the same run (the ratio is the figure; a raw node:https server
 * is measured too, since the API server always speaks TLS), a 10,000-pod list as a Table, and watch
 * fan-out latency to 100 watchers. Client and servers share this process, as the raw baseline does.
 */
import http from 'node:http';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { Cluster } from '../../src/cluster/cluster';
import { createCa, createServingCert } from '../../src/cluster/apiserver/certs';
import { PODS } from '../../src/cluster/client/client';
import type { KubeObject, WatchEvent } from '../../src/cluster/api/types';
import { BenchReport } from './report';

const SUITE = 'apiserver';
const CONCURRENCY = 16;
const REQUESTS = 6000;
const TABLE_PODS = 10_000;
const WATCHERS = 100;
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

interface Target {
  port: number;
  protocol: 'http' | 'https';
  agent: http.Agent;
  headers: Record<string, string>;
}

function send(t: Target, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const mod = t.protocol === 'https' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request({ agent: t.agent, hostname: '127.0.0.1', port: t.port, method, path, headers: { ...t.headers, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Requests/s for `REQUESTS` calls of `one(i)` with CONCURRENCY in flight. */
async function rate(one: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < REQUESTS) await one(next++);
  }));
  return REQUESTS / ((performance.now() - started) / 1000);
}

function podManifest(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'bench' } }, spec: { schedulerName: 'bench-none', containers: [{ name: 'app', image: 'nginx:1.27' }] } };
}

/** A raw server answering GET with `getBody` and POST (after reading the body) with 201 `getBody`. */
async function rawServer(protocol: 'http' | 'https', getBody: string, tls?: { cert: string; key: string }): Promise<{ server: http.Server; port: number }> {
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(getBody) });
      res.end(getBody);
    });
  };
  const server = protocol === 'https' ? https.createServer(tls!, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

export async function run(report: BenchReport): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kube-sim-bench-'));
  const cluster = await Cluster.start({ port: 0, nodes: 0, kubeconfigPath: join(dir, 'kubeconfig'), speed: 1 });
  try {
    const kubeconfig = parse(readFileSync(join(dir, 'kubeconfig'), 'utf8')) as { users: { user: { token: string } }[]; clusters: { cluster: Record<string, string> }[] };
    const ca = Buffer.from(kubeconfig.clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString('utf8');
    const api: Target = {
      port: Number(new URL(cluster.url!).port), protocol: 'https',
      agent: new https.Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca }),
      headers: { authorization: `Bearer ${kubeconfig.users[0]!.user.token}`, accept: 'application/json' },
    };
    const pods = cluster.client().resource(PODS);
    const sample = await pods.create(podManifest('sample'));
    const sampleJson = JSON.stringify(sample);

    const plain = await rawServer('http', sampleJson);
    const rawCa = createCa();
    const rawTls = await rawServer('https', sampleJson, createServingCert(rawCa));
    const rawHttp: Target = { port: plain.port, protocol: 'http', agent: new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY }), headers: {} };
    const rawHttps: Target = { port: rawTls.port, protocol: 'https', agent: new https.Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: rawCa.cert }), headers: {} };

    // GET
    await rate(() => send(api, 'GET', '/api/v1/namespaces/default/pods/sample')); // warm-up
    const rawGet = await rate(() => send(rawHttp, 'GET', '/'));
    const rawTlsGet = await rate(() => send(rawHttps, 'GET', '/'));
    const apiGet = await rate(() => send(api, 'GET', '/api/v1/namespaces/default/pods/sample'));
    report.add({ suite: SUITE, name: 'raw node:http GET (same JSON)', value: rawGet, unit: 'req/s' });
    report.add({ suite: SUITE, name: 'raw node:https GET (same JSON)', value: rawTlsGet, unit: 'req/s' });
    report.add({ suite: SUITE, name: 'API GET pod over HTTPS', value: apiGet, unit: 'req/s', ratio: apiGet / rawGet, note: `ratio to raw node:http (target 0.5x); ${(apiGet / rawTlsGet).toFixed(2)}x raw node:https` });

    // create
    const rawCreate = await rate((i) => send(rawHttp, 'POST', '/', JSON.stringify(podManifest(`raw-${i}`)), { 'content-type': 'application/json' }));
    const apiCreate = await rate((i) => send(api, 'POST', '/api/v1/namespaces/default/pods', JSON.stringify(podManifest(`p-${i}`)), { 'content-type': 'application/json' }));
    report.add({ suite: SUITE, name: 'raw node:http POST (same JSON)', value: rawCreate, unit: 'req/s' });
    report.add({ suite: SUITE, name: 'API create pod over HTTPS (in-memory store)', value: apiCreate, unit: 'req/s', ratio: apiCreate / rawCreate, note: 'ratio to raw node:http (target 0.25x)' });

    // A 10,000-pod list as a Table (kubectl get pods -A).
    const have = (await pods.list({ namespace: 'default' })).items.length;
    for (let i = have; i < TABLE_PODS; i++) await pods.create(podManifest(`t-${i}`));
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const started = performance.now();
      const res = await send(api, 'GET', '/api/v1/pods', undefined, { accept: TABLE_ACCEPT });
      if (res.status !== 200) throw new Error(`table list answered ${res.status}`);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    report.add({ suite: SUITE, name: `list ${TABLE_PODS} pods as a Table over HTTPS (median of 6)`, value: times[3]!, unit: 'ms', target: 200 });

    // Watch fan-out: 100 in-process watchers on pods; latency from a create's acknowledgement to each watcher's event.
    const latencies: number[] = [];
    const pending = new Map<string, number>();
    // From the current resourceVersion: only pods created from now on are delivered and timed.
    const from = (await pods.list({ namespace: 'default', limit: 1 })).metadata.resourceVersion!;
    const handles = Array.from({ length: WATCHERS }, () => pods.watch({ namespace: 'default', resourceVersion: from }, (e: WatchEvent) => {
      const sent = pending.get(e.object.metadata.name ?? '');
      if (sent !== undefined && e.type === 'ADDED') latencies.push(performance.now() - sent);
    }, () => undefined));
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < 200; i++) {
      const name = `w-${i}`;
      const sent = performance.now();
      pending.set(name, sent);
      await pods.create(podManifest(name));
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 200));
    for (const h of handles) h.stop();
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
    report.add({ suite: SUITE, name: `watch fan-out to ${WATCHERS} watchers, p50`, value: pct(0.5), unit: 'ms', note: `${latencies.length} deliveries` });
    report.add({ suite: SUITE, name: `watch fan-out to ${WATCHERS} watchers, p99`, value: pct(0.99), unit: 'ms' });

    for (const t of [api, rawHttp, rawHttps]) t.agent.destroy();
    plain.server.close();
    rawTls.server.close();
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
