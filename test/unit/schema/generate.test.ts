import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { findSchemaAssetsDir } from '../../../src/schema/location';

// The generator is the build's ES module; run it as the build does, in a child process.
const root = dirname(findSchemaAssetsDir(__dirname));
const generator = join(root, 'scripts', 'schema', 'generate.mjs');

function generate(outDir: string, env: Record<string, string> = {}): string {
  const script = `import(${JSON.stringify(generator)}).then((m) => m.generateSchema({ root: ${JSON.stringify(root)}, outDir: ${JSON.stringify(outDir)} })).then((r) => console.log(JSON.stringify(r)))`;
  return execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: 'pipe' });
}

test('the schema step writes the documents, the index and the field index once, then skips while nothing changed', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'kube-sim-generate-'));
  try {
    assert.match(generate(outDir), /"skipped":false/);
    const index = JSON.parse(readFileSync(join(outDir, 'openapi', 'v3', 'index.json'), 'utf8'));
    assert.equal(index.paths['api/v1'].file, 'api__v1.json');
    assert.ok(existsSync(join(outDir, 'schema', 'field-index.json')));
    assert.match(generate(outDir), /"skipped":true/);
    // The same outputs as the build's own dist/: generation is deterministic.
    const dist = JSON.parse(readFileSync(join(findSchemaAssetsDir(__dirname), 'openapi', 'v3', 'index.json'), 'utf8'));
    assert.equal(index.paths['api/v1'].hash, dist.paths['api/v1'].hash);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});

test('a spec that is not the Kubernetes OpenAPI v2 document fails the build with a sentence saying so', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'kube-sim-generate-'));
  try {
    const bogus = join(outDir, 'swagger.json');
    writeFileSync(bogus, '{"openapi":"3.0.0"}');
    assert.throws(() => generate(outDir, { KUBE_OPENAPI_SWAGGER: bogus }), /is not a Kubernetes OpenAPI v2 spec/);
    assert.throws(() => generate(outDir, { KUBE_OPENAPI_SWAGGER: join(outDir, 'missing.json') }), /does not exist/);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
