/**
 * Hover latency (issue 7): explanations at positions spread over a 2,000-line multi-document
 * manifest, the way an editor asks for them: the first hover of a text version parses it (reported
 * on its own), the rest walk the cached parse. The target is p99 < 5 ms.
 */
import { performance } from 'node:perf_hooks';
import { manifestDiagnostics } from '../../src/schema/explain/diagnostics';
import { explainAt } from '../../src/schema/explain/explain';
import { loadFieldIndex } from '../../src/schema/field-index';
import type { BenchReport } from './report';

const SUITE = 'hover';

/** A manifest of `lines` lines or a few more: Pods and Deployments separated by `---`. */
export function largeManifest(lines: number): string {
  const out: string[] = [];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      '---', 'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: web-${i}`, '  labels: {app: web}', 'spec:',
      '  replicas: 2', '  selector:', '    matchLabels:', '      app: web', '  template:', '    metadata:', '      labels:',
      '        app: web', '    spec:', '      containers:', '      - name: nginx', '        image: nginx:1.27',
      '        resources:', '          requests: {cpu: 100m, memory: 64Mi}', '        ports:', '        - containerPort: 80',
      '---', 'apiVersion: v1', 'kind: Pod', 'metadata:', `  name: pod-${i}`, 'spec:', '  restartPolicy: Never',
      '  tolerations:', '  - key: dedicated', '    operator: Exists', '  containers:', '  - name: main',
      '    image: busybox:1.36', '    command: ["sh", "-c", "sleep 3600"]',
    );
  }
  return `${out.join('\n')}\n`;
}

export async function run(report: BenchReport): Promise<void> {
  const index = loadFieldIndex();
  const text = largeManifest(2000);
  const lineCount = text.split('\n').length - 1;
  const t0 = performance.now();
  explainAt(text, text.length - 10, index);
  const first = performance.now() - t0;
  const samples: number[] = [];
  const step = Math.max(1, Math.floor(text.length / 5000));
  for (let offset = 0; offset < text.length; offset += step) {
    const start = performance.now();
    explainAt(text, offset, index);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))];
  report.add({ suite: SUITE, name: `first hover of a ${lineCount}-line file (parse)`, value: first, unit: 'ms' });
  report.add({ suite: SUITE, name: `hover p50 (${samples.length} positions)`, value: pct(50), unit: 'ms' });
  report.add({ suite: SUITE, name: 'hover p99', value: pct(99), unit: 'ms', target: 5 });
  const reparses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const edited = `${text}# edit ${i}\n`;
    const start = performance.now();
    explainAt(edited, 100, index);
    reparses.push(performance.now() - start);
  }
  reparses.sort((a, b) => a - b);
  report.add({ suite: SUITE, name: 'first hover after an edit (re-parse), median of 5', value: reparses[2], unit: 'ms' });
  const checked = `${text}# checked\n`;
  explainAt(checked, 0, index); // parsed: the figure is the schema walk alone
  const d0 = performance.now();
  const found = manifestDiagnostics(checked, index);
  report.add({ suite: SUITE, name: `schema diagnostics of the ${lineCount}-line file (after its parse)`, value: performance.now() - d0, unit: 'ms', note: `${found.length} found` });
  report.add({ suite: SUITE, name: 'hover max', value: samples[samples.length - 1], unit: 'ms' });
}
