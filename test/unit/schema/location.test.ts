import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSchemaAssetsDir, schemaAssetsDir } from '../../../src/schema/location';

test('a test bundle in out/test finds the generated files in the checkout dist/', () => {
  // __dirname is out/test/unit/schema once bundled.
  const dir = findSchemaAssetsDir(__dirname);
  assert.ok(existsSync(join(dir, 'openapi', 'v3', 'index.json')));
  assert.ok(existsSync(join(dir, 'schema', 'field-index.json')));
  assert.equal(schemaAssetsDir(), dir);
});

test('code bundled in dist/ finds the files beside it', () => {
  const dist = findSchemaAssetsDir(__dirname);
  assert.equal(findSchemaAssetsDir(dist), dist);
});

test('the environment override wins, and a wrong one is reported, not ignored', () => {
  const dist = findSchemaAssetsDir(__dirname);
  assert.equal(findSchemaAssetsDir('/', dist), dist);
  const empty = mkdtempSync(join(tmpdir(), 'kube-sim-schema-'));
  try {
    assert.throws(() => findSchemaAssetsDir(__dirname, empty), /KUBE_SIM_SCHEMA_DIR=.*does not exist/);
    assert.throws(() => findSchemaAssetsDir(empty), /run `node scripts\/build.mjs` first/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
