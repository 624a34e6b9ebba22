// The schema step of the build (issue 2, deliverable 3). From the Kubernetes 1.32 OpenAPI v2 spec it writes
//   <outDir>/openapi/v3/<gv>.json      one OpenAPI 3.0 document per /openapi/v3 path (api__v1.json, apis__apps__v1.json, ...)
//   <outDir>/openapi/v3/index.json     {"paths": {"api/v1": {"file": "api__v1.json", "hash": "<SHA512 HEX>"}, ...}}
//   <outDir>/schema/field-index.json   the compact field index (see ./field-index.mjs)
//   <outDir>/schema/stamp.json         what they were generated from; when it matches, the step is skipped
// The stamp holds the spec's sha256 and a hash of this folder's sources, so editing the generator or
// pointing at another spec regenerates, and an unchanged build costs one hash of the spec (~10 ms).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateSwagger } from './source.mjs';
import { buildV3Documents, documentFileName, documentHash } from './openapi-v3.mjs';
import { buildFieldIndex } from './field-index.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

function generatorVersion() {
  const hash = createHash('sha256');
  for (const name of readdirSync(here).filter((n) => n.endsWith('.mjs')).sort()) {
    hash.update(name).update(readFileSync(join(here, name)));
  }
  return hash.digest('hex');
}

function readStamp(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function replaceFile(path, data) {
  const aside = `${path}.${process.pid}.tmp`;
  writeFileSync(aside, data);
  renameSync(aside, path);
}

export async function generateSchema({ root, outDir }) {
  const started = Date.now();
  const source = await locateSwagger(root);
  const stampPath = join(outDir, 'schema', 'stamp.json');
  const stamp = { sourceSha256: source.sha256, generator: generatorVersion() };
  const previous = readStamp(stampPath);
  const outputsPresent =
    existsSync(join(outDir, 'openapi', 'v3', 'index.json')) && existsSync(join(outDir, 'schema', 'field-index.json'));
  if (outputsPresent && previous?.sourceSha256 === stamp.sourceSha256 && previous?.generator === stamp.generator) {
    return { skipped: true };
  }

  let swagger;
  try {
    swagger = JSON.parse(source.bytes.toString('utf8'));
  } catch (err) {
    throw new Error(`schema: ${source.path} is not JSON: ${err.message}`);
  }
  if (swagger.swagger !== '2.0' || !swagger.definitions || !swagger.paths) {
    throw new Error(`schema: ${source.path} is not a Kubernetes OpenAPI v2 spec`);
  }

  // Several builds may run at once in one checkout, and tests may be reading these files: every file
  // is replaced whole (write aside, then rename), and the stamp is written last.
  const v3Dir = join(outDir, 'openapi', 'v3');
  mkdirSync(v3Dir, { recursive: true });
  const index = { paths: {} };
  let v3Bytes = 0;
  for (const [gvPath, doc] of buildV3Documents(swagger)) {
    const bytes = Buffer.from(JSON.stringify(doc));
    const file = documentFileName(gvPath);
    replaceFile(join(v3Dir, file), bytes);
    index.paths[gvPath] = { file, hash: documentHash(bytes) };
    v3Bytes += bytes.length;
  }
  replaceFile(join(v3Dir, 'index.json'), JSON.stringify(index));
  const current = new Set(['index.json', ...Object.values(index.paths).map((entry) => entry.file)]);
  for (const name of readdirSync(v3Dir)) {
    if (name.endsWith('.json') && !current.has(name)) rmSync(join(v3Dir, name), { force: true });
  }

  const schemaDir = join(outDir, 'schema');
  mkdirSync(schemaDir, { recursive: true });
  const fieldIndex = Buffer.from(JSON.stringify(buildFieldIndex(swagger, source.sha256)));
  replaceFile(join(schemaDir, 'field-index.json'), fieldIndex);
  replaceFile(stampPath, JSON.stringify(stamp));

  const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  console.log(
    `schema: ${Object.keys(index.paths).length} OpenAPI v3 documents (${mb(v3Bytes)}) and the field index ` +
      `(${mb(fieldIndex.length)}) from ${source.path} in ${Date.now() - started} ms`,
  );
  return { skipped: false };
}
