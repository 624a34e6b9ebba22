import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/**
 * What every benchmark workload reports: one figure per `add`. The runner prints them as a table
 * and writes the same figures as JSON (`bench-results.json`), so CI and people read one source.
 */
export interface BenchResult {
  /** The workload, e.g. "store". */
  suite: string;
  /** What was measured, e.g. "MemoryStore puts (sequential, awaited)". */
  name: string;
  value: number;
  /** e.g. "ops/s", "ms". */
  unit: string;
  /** The figure to reach, if there is one. */
  target?: number;
  /** Whether a larger value is better; by default lower is better for time units (ms, s, µs), higher otherwise. */
  higherIsBetter?: boolean;
  /** A comparison the workload computed itself (e.g. speed-up over a baseline). */
  ratio?: number;
  note?: string;
}

const TIME_UNITS = new Set(['ns', 'µs', 'us', 'ms', 's']);

export class BenchReport {
  readonly results: BenchResult[] = [];
  private readonly loadAtStart = loadavg()[0];

  add(result: BenchResult): void {
    this.results.push(result);
    process.stderr.write(`  ${result.suite}: ${result.name} = ${format(result.value)} ${result.unit}\n`);
  }

  /** Whether the result reached its target (undefined: no target). */
  static met(r: BenchResult): boolean | undefined {
    if (r.target === undefined) return undefined;
    const higher = r.higherIsBetter ?? !TIME_UNITS.has(r.unit);
    return higher ? r.value >= r.target : r.value <= r.target;
  }

  table(): string {
    const header = ['suite', 'benchmark', 'value', 'unit', 'target', 'ratio', 'note'];
    const rows = this.results.map((r) => {
      const met = BenchReport.met(r);
      const target = r.target === undefined ? '' : `${format(r.target)} ${met ? 'ok' : 'MISSED'}`;
      return [r.suite, r.name, format(r.value), r.unit, target, r.ratio === undefined ? '' : `${format(r.ratio)}x`, r.note ?? ''];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
    const context = `${cpus().length} CPUs, load average ${this.loadAtStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end`;
    return [context, '', line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
  }

  writeJson(path: string): void {
    const doc = {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus().length,
      // Figures from a machine busy with other work are not comparable; this says how busy it was.
      loadAverageAtStart: this.loadAtStart,
      loadAverageAtEnd: loadavg()[0],
      results: this.results.map((r) => ({ ...r, met: BenchReport.met(r) })),
    };
    writeFileSync(path, JSON.stringify(doc, null, 2) + '\n');
  }
}

export function format(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toPrecision(3);
}
