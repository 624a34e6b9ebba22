// Builds everything the extension, the CLI and the tests run from:
//   dist/extension.js   the VS Code extension (vscode is external: the host provides it)
//   dist/cli.js         the standalone server, `node dist/cli.js serve`
//   dist/openapi/, dist/schema/   generated from the Kubernetes 1.32 OpenAPI spec (scripts/schema)
//   out/test/**         each test, benchmark and the VS Code suite bundled on its own
// Flags: --watch (rebuild on change), --production (minified, no source maps; used by `npm run package`).
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSchema } from './schema/generate.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

function findFiles(dir, pattern) {
  let out = [];
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(findFiles(p, pattern));
    else if (pattern.test(name)) out.push(p);
  }
  return out;
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // The yaml package and others ship ESM and CJS; prefer the CJS entry in a CJS bundle.
  mainFields: ['main', 'module'],
};

await generateSchema({ root, outDir: join(root, 'dist') });

const builds = [
  // `navigator`: node-forge probes `typeof navigator`, and VS Code's extension host (Node >= 21, where
  // navigator is a global) answers that probe with a logged PendingMigrationError; we are never a browser.
  { ...common, entryPoints: { extension: join(root, 'src/extension.ts') }, outdir: join(root, 'dist'), external: ['vscode'], define: { navigator: 'undefined' } },
  { ...common, entryPoints: { cli: join(root, 'src/cluster/cli.ts') }, outdir: join(root, 'dist'), banner: { js: '#!/usr/bin/env node' } },
];

if (!production) {
  const testEntries = [
    ...findFiles(join(root, 'test/unit'), /\.test\.ts$/),
    ...findFiles(join(root, 'test/e2e'), /\.test\.ts$/),
    ...findFiles(join(root, 'test/vscode'), /\.ts$/), // the suite (suite/), its browser drivers, electron.ts
    ...findFiles(join(root, 'test/bench'), /^index\.ts$/),
  ];
  // `out/` is not wiped: several builds may run at once in one tree, and a wipe would pull test files
  // from under a running test. `--clean` removes bundles of deleted tests.
  if (process.argv.includes('--clean')) rmSync(join(root, 'out'), { recursive: true, force: true });
  mkdirSync(join(root, 'out'), { recursive: true });
  if (testEntries.length > 0) {
    builds.push({
      ...common,
      entryPoints: testEntries,
      outbase: root,
      outdir: join(root, 'out'),
      // vscode exists only inside the extension host; playwright-core and mocha are loaded from node_modules.
      external: ['vscode', 'playwright-core', 'mocha', 'fsevents'],
    });
  }
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching for changes…');
} else {
  const started = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  console.log(`built ${builds.length} bundles in ${Date.now() - started} ms → ${relative(process.cwd(), join(root, 'dist')) || 'dist'}`);
}
