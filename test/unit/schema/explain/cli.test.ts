import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExplain } from '../../../../src/schema/explain/cli';

function explain(args: (file: string) => string[]): { code: number; out: string; err: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kube-sim-explain-'));
  try {
    const file = join(dir, 'anything.txt');
    writeFileSync(file, 'apiVersion: v1\nkind: Pod\nspec:\n  restartPolicy: Never\n');
    let out = '';
    let err = '';
    const code = runExplain(args(file), (s) => (out += s), (s) => (err += s));
    return { code, out, err };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('explain FILE:LINE:COL prints the Markdown explanation; positions count from 1', () => {
  const r = explain((f) => [`${f}:4:3`]);
  assert.equal(r.code, 0);
  assert.match(r.out, /^\*\*Pod\.spec\.restartPolicy\*\* · `string`\n/);
  assert.match(r.out, /Default: `Always` · Allowed values: `Always`, `Never`, `OnFailure`/);
});

test('--json prints the structured explanation', () => {
  const r = explain((f) => ['--json', `${f}:4:20`]);
  assert.equal(r.code, 0);
  const e = JSON.parse(r.out);
  assert.equal(e.path, 'Pod.spec.restartPolicy');
  assert.equal(e.onKey, false);
  assert.deepEqual(e.gvk, { group: '', version: 'v1', kind: 'Pod' });
});

test('off any field: exit 1 with a sentence; a bad argument: exit 2 with the usage', () => {
  const off = explain((f) => [`${f}:9:1`]);
  assert.equal(off.code, 1);
  assert.match(off.err, /is not on a field of a known Kubernetes kind/);
  const bad = explain(() => ['nothing']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /Usage: kube-sim explain FILE:LINE:COL/);
});
