/**
 * The peer in the kubelet benchmark: @ngrok/webernetes 0.3.5, a TypeScript Kubernetes simulator
 * with 3 fixed nodes, driven the way ../shared/reference/peers/webernetes-bench.mjs (beside the checkout) drives it
 * ("virtual" mode: its clock paused and stepped straight to the next due timer, so its periodic
 * kubelet work costs no waiting). Same workload as ours: N single-container pods applied, until
 * every one is Running and Ready as its informer shows; then deleted, until all are gone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface PeerResult {
  version: string;
  readyMs: number;
  goneMs: number;
  ok: boolean;
}

// The published dist/ imports "./clock" without ".js": retry such specifiers with the extension.
const RESOLVE_HOOK = `
export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); }
  catch (e) {
    if ((specifier.startsWith('./') || specifier.startsWith('../')) && (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'ERR_UNSUPPORTED_DIR_IMPORT')) {
      for (const suffix of ['.js', '/index.js']) { try { return await next(specifier + suffix, context); } catch {} }
    }
    throw e;
  }
}`;

function packageDir(): string | undefined {
  for (let dir = __dirname; ; dir = resolve(dir, '..')) {
    const candidate = join(dir, 'node_modules', '@ngrok', 'webernetes');
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (resolve(dir, '..') === dir) return undefined;
  }
}

// esbuild rewrites import() into require() in a CJS bundle; the peer is ESM only.
const importESM = new Function('url', 'return import(url)') as (url: string) => Promise<any>;

const immediate = () => new Promise<void>((r) => setImmediate(r));

export async function runPeer(podCount: number, timeoutMs = 60_000): Promise<PeerResult | undefined> {
  const dir = packageDir();
  if (!dir) return undefined;
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const { register } = await import('node:module');
  (register as (url: string) => void)('data:text/javascript,' + encodeURIComponent(RESOLVE_HOOK));
  const W = await importESM(pathToFileURL(join(dir, meta.exports['.'].import)).href);

  class Sleeper extends W.BaseImage {
    static imageName = 'bench/sleeper';
    static imageVersion = '1.0';
    defaultCommand = ['run-forever'];
    async exec(ctx: any, argv: string[]): Promise<any> {
      if (argv[0] !== 'run-forever') return super.exec(ctx, argv);
      return ctx.waitUntilKilled();
    }
  }
  const cluster = new W.Cluster({ latencyProvider: W.newLatencyProvider() });
  cluster.registerImage(Sleeper);
  const clock = cluster.clock;
  clock.pause();
  const tasks: Map<unknown, { cancelled?: boolean; dueAtMs: number }> | undefined = clock.tasks;
  const micro: unknown[] | undefined = clock.microtasks;
  const until = async (cond: () => boolean): Promise<boolean> => {
    const start = performance.now();
    for (;;) {
      await immediate();
      if (cond()) return true;
      if (performance.now() - start > timeoutMs) return false;
      if (!(tasks instanceof Map) || !Array.isArray(micro)) { clock.step(5); continue; }
      if (micro.length > 0) { clock.step(0); continue; }
      let next = Infinity;
      for (const t of tasks.values()) if (!t.cancelled && t.dueAtMs < next) next = t.dueAtMs;
      if (next === Infinity) return false;
      clock.step(Math.max(0, next - clock.nowMs()));
    }
  };
  let initDone = false;
  cluster.init().then(() => { initDone = true; });
  const pods = new Map<string, any>();
  const ready = (p: any) => p?.status?.phase === 'Running' && (p.status.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
  if (!(await until(() => initDone))) return { version: meta.version, readyMs: NaN, goneMs: NaN, ok: false };
  const informer = cluster.informer('pods', (type: string, pod: any) => {
    if (pod.metadata?.namespace !== 'default') return;
    if (type === 'delete') pods.delete(pod.metadata.name);
    else pods.set(pod.metadata.name, pod);
  });
  const names = Array.from({ length: podCount }, (_, i) => `peer-${i}`);
  const t0 = performance.now();
  let applied = false;
  cluster.apply(names.map((name) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'main', image: 'bench/sleeper:1.0' }] } }))).then(() => { applied = true; });
  const up = await until(() => applied && names.every((n) => ready(pods.get(n))));
  const readyMs = performance.now() - t0;
  const t1 = performance.now();
  let deleted = false;
  void (async () => { for (const name of names) await cluster.api.corev1.deleteNamespacedPod({ name, namespace: 'default' }); })().then(() => { deleted = true; });
  const down = await until(() => deleted && names.every((n) => !pods.has(n)));
  const goneMs = performance.now() - t1;
  try { await informer?.stop?.(); } catch { /* the peer's informer may not stop cleanly */ }
  try { await cluster.shutdown?.(); } catch { /* nothing to clean up in a bench process */ }
  return { version: meta.version, readyMs, goneMs, ok: up && down };
}
