/**
 * API server workloads (issue 3 §8), each measured once, against the cluster `kube-sim serve` runs
 * (Cluster.start with a data directory: the durable store, fsync'd writes) in this process:
 *   - GET of one pod and pod creates, requests/s over HTTPS, beside a raw node:http server answering
 *     the same JSON in the same run, alternating rounds. The target is the ratio to raw node:http
 *     (GET ≥ 0.5×, create ≥ 0.25×). A raw node:https server with the same certificate is measured
 *     too, as context: the API server only speaks TLS, so TLS is part of our cost against node:http.
 *   - ConfigMap creates, as context: the same write path without pod defaulting and admission.
 *   - a list of 10,000 pods as a Table over HTTPS (target < 200 ms).
 *   - watch fan-out: 100 HTTPS watchers on pods, latency from sending a create to each watcher's
 *     ADDED, p50 and p99.
 * Client and servers share this process (and its CPU), for the raw servers as for the API server.
 * Next to wall-clock rates the notes give requests per CPU-second of the process, which a busy
 * machine sways less.
 */
import http from 'node:http';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { parse } from 'yaml';
import { Cluster } from '../../src/cluster/cluster';
import { SERVER_TLS_PREFERENCES } from '../../src/cluster/apiserver/transport/https';
import { ApiHttp, type WatchHandle } from '../e2e/http';
import { format, type BenchReport } from './report';

const SUITE = 'api';
const CONCURRENCY = 16;
const WARMUP_MS = 300;
const MEASURE_MS = 2000;
/** Rounds per target, alternating targets; the best round counts (a slow round is the neighbours'). */
const ROUNDS = 3;
const TABLE_PODS = 10_000;
const WATCHERS = 100;
const WATCH_WRITES = 100;
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const NAMESPACES = ['bench-get', 'bench-create', 'bench-table', 'bench-watch'];

/** One server to load: the same client code (node:http or node:https, keep-alive) for all. */
interface Target {
  readonly name: string;
  readonly port: number;
  readonly protocol: 'http' | 'https';
  readonly agent: http.Agent;
  readonly headers: Record<string, string>;
}

interface Rate {
  /** Completed requests per wall-clock second. */
  perSecond: number;
  /** Completed requests per second of this process's CPU time (client and server both). */
  perCpuSecond: number;
}

function podManifest(namespace: string, name: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'bench' } },
    // No scheduler picks these up: the figures are the API server's alone.
    spec: { schedulerName: 'bench-no-scheduler', containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
  };
}

function configMapManifest(name: string): object {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'bench' } }, data: { 'config.yaml': 'x'.repeat(400) } };
}

export async function run(report: BenchReport): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kube-sim-bench-api-'));
  const cluster = await Cluster.start({ dataDir, port: 0, nodes: 0 });
  const api = ApiHttp.fromKubeconfig(cluster.kubeconfigPath!, { maxSockets: CONCURRENCY });
  const servers: http.Server[] = [];
  const targets: Target[] = [];
  try {
    for (const ns of NAMESPACES) {
      await expectStatus(api.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } }), 201);
    }
    // As on a real cluster, pods are refused until their namespace's default service account exists.
    for (const ns of NAMESPACES) await defaultServiceAccount(api, ns);
    const getPath = '/api/v1/namespaces/bench-get/pods/sample';
    const created = await expectStatus(api.request('POST', '/api/v1/namespaces/bench-get/pods', { body: podManifest('bench-get', 'sample') }), 201);
    const getBody = (await expectStatus(api.request('GET', getPath), 200)).text;

    const tls = { cert: readFileSync(join(dataDir, 'apiserver.crt'), 'utf8'), key: readFileSync(join(dataDir, 'apiserver.key'), 'utf8') };
    const plain = await rawServer(undefined, getBody, created.text);
    const secure = await rawServer(tls, getBody, created.text);
    servers.push(plain.server, secure.server);
    const kubeconfig = parse(readFileSync(cluster.kubeconfigPath!, 'utf8')) as { users: { name: string; user: { token: string } }[] };
    const token = kubeconfig.users.find((u) => u.name === 'kube-sim-admin')!.user.token;
    const rawHttp: Target = { name: 'raw node:http', port: plain.port, protocol: 'http', agent: new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY }), headers: {} };
    const rawHttps: Target = { name: 'raw node:https', port: secure.port, protocol: 'https', agent: new https.Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: api.ca }), headers: {} };
    const server: Target = {
      name: 'API server',
      port: Number(new URL(cluster.url!).port),
      protocol: 'https',
      agent: new https.Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: api.ca }),
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    };
    targets.push(rawHttp, rawHttps, server);

    const get = await compare(targets, () => getPath, 'GET');
    reportPair(report, 'GET pod', get, server, rawHttp, rawHttps, 0.5);

    let n = 0;
    const podCreate = await compare(targets, () => '/api/v1/namespaces/bench-create/pods', 'POST', () => podManifest('bench-create', `pod-${n++}`));
    reportPair(report, 'create pod', podCreate, server, rawHttp, rawHttps, 0.25, "durable store, fsync'd");

    const cmCreate = await best(server, () => '/api/v1/namespaces/bench-create/configmaps', 'POST', () => configMapManifest(`cm-${n++}`));
    report.add({
      suite: SUITE,
      name: 'create configmap: API server over HTTPS',
      value: cmCreate.perSecond,
      unit: 'req/s',
      note: `${(cmCreate.perSecond / podCreate.get(rawHttp)!.perSecond).toFixed(2)}x raw node:http's create; ${format(cmCreate.perCpuSecond)}/CPU-s. Context: the write path without pod defaulting and admission`,
    });

    await tableList(report, cluster, api);
    await watchFanOut(report, api);
  } finally {
    for (const t of targets) t.agent.destroy();
    for (const s of servers) {
      s.close();
      s.closeAllConnections();
    }
    api.close();
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Alternating rounds over every target; the best round of each. */
async function compare(targets: Target[], path: () => string, method: string, body?: () => object): Promise<Map<Target, Rate>> {
  const out = new Map<Target, Rate>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of targets) {
      const r = await load(t, path, method, body);
      const prev = out.get(t);
      out.set(t, { perSecond: Math.max(prev?.perSecond ?? 0, r.perSecond), perCpuSecond: Math.max(prev?.perCpuSecond ?? 0, r.perCpuSecond) });
    }
  }
  return out;
}

async function best(target: Target, path: () => string, method: string, body?: () => object): Promise<Rate> {
  return (await compare([target], path, method, body)).get(target)!;
}

function reportPair(report: BenchReport, what: string, rates: Map<Target, Rate>, server: Target, rawHttp: Target, rawHttps: Target, target: number, serverNote = ''): void {
  const api = rates.get(server)!;
  const plain = rates.get(rawHttp)!;
  const tls = rates.get(rawHttps)!;
  const rawNote = method(what) === 'POST' ? 'reads and parses the body, answers the same JSON' : 'answers the same JSON';
  report.add({ suite: SUITE, name: `${what}: raw node:http`, value: plain.perSecond, unit: 'req/s', note: `${rawNote}; ${format(plain.perCpuSecond)}/CPU-s; ${CONCURRENCY} concurrent, keep-alive` });
  report.add({ suite: SUITE, name: `${what}: raw node:https (context)`, value: tls.perSecond, unit: 'req/s', note: `same certificate as the API server; ${format(tls.perCpuSecond)}/CPU-s` });
  report.add({ suite: SUITE, name: `${what}: API server over HTTPS`, value: api.perSecond, unit: 'req/s', note: [serverNote, `${format(api.perCpuSecond)}/CPU-s`].filter(Boolean).join('; ') });
  report.add({
    suite: SUITE,
    name: `${what}: ratio API server / raw node:http`,
    value: api.perSecond / plain.perSecond,
    unit: 'x',
    target,
    higherIsBetter: true,
    note: `${(api.perCpuSecond / plain.perCpuSecond).toFixed(2)}x per CPU-second; ${(api.perSecond / tls.perSecond).toFixed(2)}x raw node:https (TLS is part of our cost)`,
  });
}

const method = (what: string) => (what.startsWith('GET') ? 'GET' : 'POST');

/** CONCURRENCY workers send requests for a warm-up, then for MEASURE_MS. */
async function load(target: Target, path: () => string, method: string, body?: () => object): Promise<Rate> {
  let measuring = false;
  let stop = false;
  let count = 0;
  let failure: Error | undefined;
  const expected = method === 'POST' ? 201 : 200;
  const worker = async () => {
    try {
      while (!stop) {
        const r = await send(target, method, path(), body && JSON.stringify(body()));
        if (r.status !== expected) throw new Error(`${target.name}: expected ${expected}, got ${r.status}: ${r.body.slice(0, 200)}`);
        if (measuring) count++;
      }
    } catch (err) {
      failure ??= err as Error;
      stop = true;
    }
  };
  const workers = Array.from({ length: CONCURRENCY }, worker);
  await sleep(WARMUP_MS);
  measuring = true;
  const [wall, cpu] = [performance.now(), cpuSeconds()];
  await sleep(MEASURE_MS);
  measuring = false;
  const seconds = (performance.now() - wall) / 1000;
  const cpuUsed = cpuSeconds() - cpu;
  stop = true;
  await Promise.all(workers);
  if (failure) throw failure;
  return { perSecond: count / seconds, perCpuSecond: count / cpuUsed };
}

function send(t: Target, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  const mod = t.protocol === 'https' ? https : http;
  const headers: Record<string, string> = { ...t.headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = mod.request({ agent: t.agent, hostname: '127.0.0.1', port: t.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The baseline: node:http (or node:https with `tls`), no pipeline, no store. GET answers the pod
 * the API server answers; POST reads and parses the body, as any server must, and answers the
 * created pod's JSON with the posted name and a fresh uid, resourceVersion and timestamp.
 */
async function rawServer(tls: { cert: string; key: string } | undefined, getBody: string, createdBody: string): Promise<{ server: http.Server; port: number }> {
  const template = JSON.parse(createdBody) as { metadata: Record<string, unknown> };
  let rv = 1_000_000;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(getBody) });
      res.end(getBody);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const object = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { metadata: { name: string } };
      const metadata = { ...template.metadata, name: object.metadata.name, uid: randomUUID(), resourceVersion: String(rv++), creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
      const out = JSON.stringify({ ...template, metadata });
      res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(out) });
      res.end(out);
    });
  };
  // The raw TLS server negotiates what the API server does (same certificate, same cipher order).
  const server = tls ? https.createServer({ ...tls, ...SERVER_TLS_PREFERENCES, keepAliveTimeout: 30_000 }, handler) : http.createServer({ keepAliveTimeout: 30_000 }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

/** 10,000 pods in one namespace, listed as a Table over HTTPS (what `kubectl get pods` without paging asks). */
async function tableList(report: BenchReport, cluster: Cluster, api: ApiHttp): Promise<void> {
  const pods = cluster.client().resource({ group: '', version: 'v1', resource: 'pods' });
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < TABLE_PODS) {
      const i = next++;
      const manifest = podManifest('bench-table', `pod-${String(i).padStart(5, '0')}`) as { metadata: { labels: Record<string, string> } };
      manifest.metadata.labels = { app: `app-${i % 50}` };
      await pods.create(manifest as never, { namespace: 'bench-table' });
    }
  }));

  const path = '/api/v1/namespaces/bench-table/pods';
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const r = await api.request('GET', path, { headers: { accept: TABLE_ACCEPT } });
    const t1 = performance.now();
    if (r.status !== 200) throw new Error(`Table list: ${r.status} ${r.text.slice(0, 200)}`);
    const table = r.json<{ kind: string; rows: unknown[] }>();
    if (table.kind !== 'Table' || table.rows.length !== TABLE_PODS) throw new Error(`Table list: ${table.kind} with ${table.rows.length} rows`);
    if (i > 0) times.push(t1 - t0); // the first run warms the decoded-object cache
  }
  times.sort((a, b) => a - b);
  report.add({ suite: SUITE, name: `list ${TABLE_PODS.toLocaleString('en-US')} pods as a Table over HTTPS (median of 5)`, value: times[2]!, unit: 'ms', target: 200, note: `min ${times[0]!.toFixed(0)} ms, max ${times[4]!.toFixed(0)} ms; identity encoding (kubectl asks gzip, compressed off the event loop)` });

  const t0 = performance.now();
  const page = await api.request('GET', `${path}?limit=500`, { headers: { accept: TABLE_ACCEPT } });
  if (page.status !== 200) throw new Error(`Table page: ${page.status}`);
  report.add({ suite: SUITE, name: 'first page (limit=500) of the same list as a Table', value: performance.now() - t0, unit: 'ms', note: 'what kubectl get pods asks' });
}

/** 100 watchers (one HTTPS connection each) see each of 100 sequential pod creates; latency per (watcher, event). */
async function watchFanOut(report: BenchReport, api: ApiHttp): Promise<void> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let received = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => { resolveAll = r; });
  const list = await expectStatus(api.request('GET', '/api/v1/namespaces/bench-watch/pods?labelSelector=app%3Dbench'), 200);
  const rv = list.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
  const watches: WatchHandle[] = [];
  for (let w = 0; w < WATCHERS; w++) {
    watches.push(await api.watch(`/api/v1/namespaces/bench-watch/pods?watch=true&labelSelector=app%3Dbench&resourceVersion=${rv}`, (event) => {
      const now = performance.now();
      if (event.type !== 'ADDED') return;
      const name = (event.object['metadata'] as { name: string }).name;
      latencies.push(now - sentAt.get(name)!);
      if (++received === WATCHERS * WATCH_WRITES) resolveAll();
    }));
  }
  for (let i = 0; i < WATCH_WRITES; i++) {
    const name = `fan-${i}`;
    sentAt.set(name, performance.now());
    await expectStatus(api.request('POST', '/api/v1/namespaces/bench-watch/pods', { body: podManifest('bench-watch', name) }), 201);
  }
  const timeout = new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`watch fan-out: ${received} of ${WATCHERS * WATCH_WRITES} events within 20 s`)), 20_000).unref());
  await Promise.race([all, timeout]);
  for (const w of watches) w.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  report.add({ suite: SUITE, name: `watch fan-out latency p50 (${WATCHERS} watchers)`, value: pct(0.5), unit: 'ms', note: `${WATCH_WRITES} sequential pod creates over HTTPS, from send to each watcher's ADDED` });
  report.add({ suite: SUITE, name: `watch fan-out latency p99 (${WATCHERS} watchers)`, value: pct(0.99), unit: 'ms' });
}

async function defaultServiceAccount(api: ApiHttp, ns: string): Promise<void> {
  for (let tries = 0; (await api.request('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status !== 200; tries++) {
    if (tries > 100) throw new Error(`no default service account in ${ns}`);
    await sleep(50);
  }
}

async function expectStatus<T extends { status: number; text: string }>(p: Promise<T>, status: number): Promise<T> {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 300)}`);
  return r;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const cpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
