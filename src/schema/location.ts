/**
 * Finds the generated schema files (dist/openapi, dist/schema; see scripts/schema/generate.mjs)
 * wherever the code runs: bundled in dist/ (extension.js, cli.js sit beside them), or a test bundle in
 * out/test/** (walk up to the checkout and into dist/). `KUBE_SIM_SCHEMA_DIR` overrides both; it names
 * the directory that holds `openapi/` and `schema/`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const SCHEMA_DIR_ENV = 'KUBE_SIM_SCHEMA_DIR';
const MARKER = join('openapi', 'v3', 'index.json');

let cached: string | undefined;

/** The directory holding `openapi/v3/` and `schema/`. Throws, naming where it looked, when absent. */
export function schemaAssetsDir(): string {
  if (cached !== undefined) return cached;
  const found = findSchemaAssetsDir(__dirname, process.env[SCHEMA_DIR_ENV]);
  cached = found;
  return found;
}

/** The search itself, without caching: `start` is where the running code lives. */
export function findSchemaAssetsDir(start: string, override?: string): string {
  if (override) {
    const dir = resolve(override);
    if (!existsSync(join(dir, MARKER))) {
      throw new Error(`${SCHEMA_DIR_ENV}=${override}, but ${join(dir, MARKER)} does not exist`);
    }
    return dir;
  }
  const looked: string[] = [];
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    for (const candidate of [dir, join(dir, 'dist')]) {
      looked.push(candidate);
      if (existsSync(join(candidate, MARKER))) return candidate;
    }
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    `the generated Kubernetes schema (${MARKER}) was not found in ${looked.slice(0, 4).join(', ')} or above; ` +
      'run `node scripts/build.mjs` first',
  );
}
