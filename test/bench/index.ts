/**
 * The benchmark runner (`npm run bench`): runs each workload, prints one table and writes the same
 * figures to bench-results.json at the repository root. `BENCH_ONLY=store,scheduler` runs a subset.
 *
 * To add a workload: export `async function run(report: BenchReport)` from test/bench/<name>.bench.ts
 * and add one line to `workloads` below.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BenchReport } from './report';
import * as store from './store.bench';
import * as api from './api.bench';
import * as kubelet from './kubelet.bench';
import * as scheduler from './scheduler.bench';
import * as hover from './hover.bench';

type Workload = { name: string; run: (report: BenchReport) => Promise<void> };

const workloads: Workload[] = [
  { name: 'store', run: store.run },
  { name: 'api', run: api.run },
  { name: 'kubelet', run: kubelet.run },
  { name: 'scheduler', run: scheduler.run },
  { name: 'hover', run: hover.run },
];

function repoRoot(): string {
  // Bundled to out/test/bench/index.js; fall back to the working directory.
  const fromBundle = resolve(__dirname, '..', '..', '..');
  return existsSync(join(fromBundle, 'package.json')) ? fromBundle : process.cwd();
}

async function main(): Promise<void> {
  const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only.filter((name) => !workloads.some((w) => w.name === name));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY names unknown workloads: ${unknown.join(', ')} (known: ${workloads.map((w) => w.name).join(', ')})`);
  const report = new BenchReport();
  let failed = false;
  for (const workload of workloads) {
    if (only.length > 0 && !only.includes(workload.name)) continue;
    process.stderr.write(`running ${workload.name}…\n`);
    const started = Date.now();
    try {
      await workload.run(report);
    } catch (err) {
      failed = true;
      report.add({ suite: workload.name, name: 'workload failed', value: NaN, unit: '', note: String(err instanceof Error ? err.message : err) });
    }
    process.stderr.write(`${workload.name} took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  console.log(report.table());
  const out = join(repoRoot(), 'bench-results.json');
  report.writeJson(out);
  console.log(`\nwrote ${out}`);
  if (failed) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
