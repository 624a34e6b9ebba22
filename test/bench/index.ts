/**
 * The benchmark runner (`npm run bench`): runs each workload, prints one table and writes the same
 * figures to bench-results.json at the repository root. `BENCH_ONLY=store,scheduler` runs a subset.
 *
 * To add a workload: export `async function run(report: BenchReport)` from test/bench/<name>.bench.ts
 * and add one line to `workloads` below.
 *
 * Each workload runs in a process of its own (this file again, with BENCH_WORKLOAD set), so that no
 * workload's figures depend on what ran before it: the heap the earlier ones left (150,000 store
 * keys, 5,000 nodes) and the garbage collector's state.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BenchReport, type BenchResult } from './report';
import * as store from './store.bench';
import * as api from './api.bench';
import * as kubelet from './kubelet.bench';
import * as scheduler from './scheduler.bench';
import * as hover from './hover.bench';

/** `nodeArgs`: flags its process needs besides the runner's own (a heap limit above V8's default). */
type Workload = { name: string; run: (report: BenchReport) => Promise<void>; nodeArgs?: string[] };

const workloads: Workload[] = [
  { name: 'store', run: store.run },
  { name: 'api', run: api.run },
  { name: 'kubelet', run: kubelet.run },
  // Its burst peaks near 4 GB of heap before the store packs and the garbage goes: V8's default
  // limit on a 24 GB machine is about 4 GB.
  { name: 'kubelet-heap', run: kubelet.runHeap, nodeArgs: ['--max-old-space-size=6144'] },
  { name: 'scheduler', run: scheduler.run },
  { name: 'hover', run: hover.run },
];

function repoRoot(): string {
  // Bundled to out/test/bench/index.js; fall back to the working directory.
  const fromBundle = resolve(__dirname, '..', '..', '..');
  return existsSync(join(fromBundle, 'package.json')) ? fromBundle : process.cwd();
}

/** In a child process: runs one workload and writes its results where the parent said. */
async function runChild(name: string, resultsFile: string): Promise<void> {
  const workload = workloads.find((w) => w.name === name);
  if (!workload) throw new Error(`unknown workload ${name}`);
  const report = new BenchReport();
  await workload.run(report);
  writeFileSync(resultsFile, JSON.stringify(report.results));
}

/** Runs one workload in a fresh process (stderr shows its progress); its results, or the reason it failed. */
function runIsolated(workload: Workload, dir: string): BenchResult[] {
  const resultsFile = join(dir, `${workload.name}.json`);
  const child = spawnSync(process.execPath, [...process.execArgv, ...(workload.nodeArgs ?? []), __filename], {
    env: { ...process.env, BENCH_WORKLOAD: workload.name, BENCH_RESULTS_FILE: resultsFile },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (child.status !== 0 || !existsSync(resultsFile)) throw new Error(`exited with ${child.status ?? child.signal}`);
  return JSON.parse(readFileSync(resultsFile, 'utf8')) as BenchResult[];
}

async function main(): Promise<void> {
  const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only.filter((name) => !workloads.some((w) => w.name === name));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY names unknown workloads: ${unknown.join(', ')} (known: ${workloads.map((w) => w.name).join(', ')})`);
  const report = new BenchReport();
  const dir = mkdtempSync(join(tmpdir(), 'kube-sim-bench-'));
  let failed = false;
  for (const workload of workloads) {
    if (only.length > 0 && !only.includes(workload.name)) continue;
    process.stderr.write(`running ${workload.name}…\n`);
    const started = Date.now();
    try {
      for (const result of runIsolated(workload, dir)) report.results.push(result);
    } catch (err) {
      failed = true;
      report.add({ suite: workload.name, name: 'workload failed', value: NaN, unit: '', note: String(err instanceof Error ? err.message : err) });
    }
    process.stderr.write(`${workload.name} took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(report.table());
  const out = join(repoRoot(), 'bench-results.json');
  report.writeJson(out);
  console.log(`\nwrote ${out}`);
  if (failed) process.exitCode = 1;
}

const child = process.env.BENCH_WORKLOAD;
(child ? runChild(child, process.env.BENCH_RESULTS_FILE ?? '') : main()).catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
