/**
 * API server workloads over HTTPS (issue 3 §8), against the cluster the standalone server runs
 * (Cluster.start with a data directory and a port, in this process) and, in the same run, a raw
 * node:https server with the same certificate answering the same JSON, so the ratios say what the
 * API server's pipeline costs over the bare transport:
 *   - GET of one object, requests/s (target ≥ 0.5× raw)
 *   - create, requests/s (target ≥ 0.25× raw; the raw server parses the body and echoes an object)
 *   - list of 10,000 pods as a Table, ms (target < 200 ms)
 *   - watch fan-out: 100 watchers, latency from a create being sent to each watcher's ADDED, p50/p99
 * Fixed concurrency, keep-alive agents, bounded durations (about 30 s in all).
 */
import { createServer, type Server } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { Cluster } from '../../src/cluster/cluster';
import { ApiHttp, type WatchHandle } from '../e2e/http';
import type { BenchReport } from './report';

const SUITE = 'api';
const CONCURRENCY = 16;
const WARMUP_MS = 500;
const MEASURE_MS = 3000;
const TABLE_PODS = 10_000;
const WATCHERS = 100;
const WATCH_WRITES = 100;
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export async function run(report: BenchReport): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kube-sim-bench-api-'));
  const cluster = await Cluster.start({ dataDir, port: 0, nodes: 0 });
  const api = ApiHttp.fromKubeconfig(cluster.kubeconfigPath!, { maxSockets: CONCURRENCY });
  let raw: RawServer | undefined;
  try {
    for (const ns of ['bench-get', 'bench-create', 'bench-table', 'bench-watch']) {
      await expectStatus(api.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } }), 201);
    }
    const created = await expectStatus(api.request('POST', '/api/v1/namespaces/bench-get/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bench', labels: { app: 'bench' } }, data: { 'config.yaml': 'x'.repeat(400) } },
    }), 201);
    const getPath = '/api/v1/namespaces/bench-get/configmaps/bench';
    const getBody = (await expectStatus(api.request('GET', getPath), 200)).text;

    raw = await RawServer.start(readFileSync(join(dataDir, 'apiserver.crt'), 'utf8'), readFileSync(join(dataDir, 'apiserver.key'), 'utf8'), getBody, created.text);
    const rawApi = new ApiHttp(raw.url, api.ca, { admin: 'unused', viewer: 'unused' }, { maxSockets: CONCURRENCY });

    // GET of one object.
    const rawGet = await load(() => rawApi.request('GET', getPath), 200);
    const apiGet = await load(() => api.request('GET', getPath), 200);
    report.add({ suite: SUITE, name: 'raw node:https GET (same JSON)', value: rawGet, unit: 'req/s', note: `${CONCURRENCY} concurrent, keep-alive` });
    report.add({ suite: SUITE, name: 'API server GET configmap', value: apiGet, unit: 'req/s', ratio: apiGet / rawGet, note: `target ≥ 0.5× raw; ${CONCURRENCY} concurrent` });
    report.add({ suite: SUITE, name: 'GET ratio API/raw', value: apiGet / rawGet, unit: 'x', target: 0.5, higherIsBetter: true });

    // Creates.
    let n = 0;
    const body = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'bench' } }, data: { 'config.yaml': 'x'.repeat(400) } });
    const rawCreate = await load(() => rawApi.request('POST', '/api/v1/namespaces/bench-create/configmaps', { body: body(`cm-${n++}`) }), 201);
    const apiCreate = await load(() => api.request('POST', '/api/v1/namespaces/bench-create/configmaps', { body: body(`cm-${n++}`) }), 201);
    report.add({ suite: SUITE, name: 'raw node:https create (parse + echo JSON)', value: rawCreate, unit: 'req/s', note: `${CONCURRENCY} concurrent` });
    report.add({ suite: SUITE, name: 'API server create configmap (durable store)', value: apiCreate, unit: 'req/s', ratio: apiCreate / rawCreate, note: `target ≥ 0.25× raw; ${CONCURRENCY} concurrent, fsync'd` });
    report.add({ suite: SUITE, name: 'create ratio API/raw', value: apiCreate / rawCreate, unit: 'x', target: 0.25, higherIsBetter: true });
    rawApi.close();

    await tableList(report, cluster, api);
    await watchFanOut(report, api);
  } finally {
    api.close();
    await raw?.close();
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** 10,000 pods in one namespace, listed as a Table over HTTPS (what `kubectl get pods` without paging would ask). */
async function tableList(report: BenchReport, cluster: Cluster, api: ApiHttp): Promise<void> {
  const pods = cluster.client().resource({ group: '', version: 'v1', resource: 'pods' });
  // As on a real cluster, pods are refused until the namespace's default service account exists.
  for (let tries = 0; (await api.request('GET', '/api/v1/namespaces/bench-table/serviceaccounts/default')).status !== 200; tries++) {
    if (tries > 100) throw new Error('no default service account in bench-table');
    await sleep(50);
  }
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < TABLE_PODS) {
      const i = next++;
      await pods.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `pod-${String(i).padStart(5, '0')}`, namespace: 'bench-table', labels: { app: `app-${i % 50}` } },
        // No scheduler picks these up, so the list measures the API server alone.
        spec: { schedulerName: 'bench-no-scheduler', containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
      }, { namespace: 'bench-table' });
    }
  }));
  report.add({ suite: SUITE, name: 'in-process pod creates (setup, 32 concurrent)', value: TABLE_PODS / ((performance.now() - started) / 1000), unit: 'creates/s' });

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
  report.add({ suite: SUITE, name: `list ${TABLE_PODS.toLocaleString('en-US')} pods as a Table (HTTPS, median of 5)`, value: times[2]!, unit: 'ms', target: 200, note: `min ${times[0]!.toFixed(0)} ms, max ${times[4]!.toFixed(0)} ms` });

  const t0 = performance.now();
  const page = await api.request('GET', `${path}?limit=500`, { headers: { accept: TABLE_ACCEPT } });
  if (page.status !== 200) throw new Error(`Table page: ${page.status}`);
  report.add({ suite: SUITE, name: 'first page (limit=500) of the same list as a Table', value: performance.now() - t0, unit: 'ms', note: 'what kubectl get pods asks' });
}

/** 100 watchers (one HTTPS connection each) see each of 100 sequential creates; latency per (watcher, event). */
async function watchFanOut(report: BenchReport, api: ApiHttp): Promise<void> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let received = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((r) => { resolveAll = r; });
  const list = await expectStatus(api.request('GET', '/api/v1/namespaces/bench-watch/configmaps?labelSelector=app%3Dfan-out'), 200);
  const rv = list.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion;
  const watches: WatchHandle[] = [];
  for (let w = 0; w < WATCHERS; w++) {
    watches.push(await api.watch(`/api/v1/namespaces/bench-watch/configmaps?watch=true&labelSelector=app%3Dfan-out&resourceVersion=${rv}`, (event) => {
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
    await expectStatus(api.request('POST', '/api/v1/namespaces/bench-watch/configmaps', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'fan-out' } } } }), 201);
  }
  const timeout = new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`watch fan-out: ${received} of ${WATCHERS * WATCH_WRITES} events within 20 s`)), 20_000).unref());
  await Promise.race([all, timeout]);
  for (const w of watches) w.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  report.add({ suite: SUITE, name: `watch fan-out latency p50 (${WATCHERS} watchers)`, value: pct(0.5), unit: 'ms', note: `${WATCH_WRITES} sequential creates, from send to each watcher's ADDED` });
  report.add({ suite: SUITE, name: `watch fan-out latency p99 (${WATCHERS} watchers)`, value: pct(0.99), unit: 'ms' });
}

/** Runs `send` from CONCURRENCY workers: a warm-up, then MEASURE_MS; returns completed requests per second. */
async function load(send: () => Promise<{ status: number; text: string }>, expected: number): Promise<number> {
  let measuring = false;
  let stop = false;
  let count = 0;
  let failure: Error | undefined;
  const worker = async () => {
    try {
      while (!stop) {
        const r = await send();
        if (r.status !== expected) throw new Error(`expected ${expected}, got ${r.status}: ${r.text.slice(0, 200)}`);
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
  const t0 = performance.now();
  await sleep(MEASURE_MS);
  measuring = false;
  const seconds = (performance.now() - t0) / 1000;
  stop = true;
  await Promise.all(workers);
  if (failure) throw failure;
  return count / seconds;
}

async function expectStatus<T extends { status: number; text: string }>(p: Promise<T>, status: number): Promise<T> {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${r.text.slice(0, 300)}`);
  return r;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The baseline: node:https with the cluster's serving certificate, no pipeline, no store. */
class RawServer {
  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(cert: string, key: string, getBody: string, createdBody: string): Promise<RawServer> {
    const template = JSON.parse(createdBody) as { metadata: Record<string, unknown> };
    let rv = 1_000_000;
    const server = createServer({ cert, key, keepAliveTimeout: 30_000 }, (req, res) => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(getBody);
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const object = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { metadata: Record<string, unknown> };
        const out = { ...object, metadata: { ...template.metadata, ...object.metadata, uid: randomUUID(), resourceVersion: String(rv++), creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } };
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(out));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address() as { port: number };
    return new RawServer(server, `https://127.0.0.1:${address.port}`);
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.server.close(() => r());
      this.server.closeAllConnections();
    });
  }
}
