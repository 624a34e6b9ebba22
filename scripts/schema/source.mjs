// Where the Kubernetes 1.32 OpenAPI v2 spec comes from (see ../shared/kubernetes-openapi/README.md):
// $KUBE_OPENAPI_SWAGGER, else the shared folder beside the checkout, else a download of the pinned file,
// checked against its sha256. The spec is data the build reads; it is never committed.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const PINNED_SHA256 = '0350c464f4e616e1240676ca629dac47e46d87d6c42d84b42a0bd98dfa0d5139';
export const PINNED_URL =
  'https://raw.githubusercontent.com/kubernetes-client/python/v32.0.1/kubernetes/swagger.json.unprocessed';

export function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Returns `{ path, bytes, sha256 }` of the spec. An explicit or shared file is used as it is (a
 * developer may point at another build of the spec on purpose); a downloaded file must match the pin.
 */
export async function locateSwagger(root) {
  const explicit = process.env.KUBE_OPENAPI_SWAGGER;
  if (explicit) {
    const path = resolve(explicit);
    if (!existsSync(path)) throw new Error(`KUBE_OPENAPI_SWAGGER points at ${path}, which does not exist`);
    const bytes = readFileSync(path);
    return { path, bytes, sha256: sha256(bytes) };
  }
  const shared = join(root, '..', 'shared', 'kubernetes-openapi', 'v1.32', 'swagger.json');
  if (existsSync(shared)) {
    const bytes = readFileSync(shared);
    return { path: shared, bytes, sha256: sha256(bytes) };
  }
  const cached = join(root, '.cache', 'kubernetes-openapi', 'v1.32', 'swagger.json');
  if (existsSync(cached)) {
    const bytes = readFileSync(cached);
    if (sha256(bytes) === PINNED_SHA256) return { path: cached, bytes, sha256: PINNED_SHA256 };
  }
  return download(cached);
}

async function download(target) {
  console.log(`schema: downloading the Kubernetes 1.32 OpenAPI spec from ${PINNED_URL}`);
  let response;
  try {
    response = await fetch(PINNED_URL);
  } catch (err) {
    throw new Error(`schema: cannot download ${PINNED_URL} (${err.message}); set KUBE_OPENAPI_SWAGGER to a local copy`);
  }
  if (!response.ok) throw new Error(`schema: downloading ${PINNED_URL} failed: HTTP ${response.status}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const actual = sha256(bytes);
  if (actual !== PINNED_SHA256) {
    throw new Error(
      `schema: the downloaded spec has sha256 ${actual}, expected ${PINNED_SHA256}; refusing to build from it`,
    );
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(`${target}.tmp`, bytes);
  renameSync(`${target}.tmp`, target);
  return { path: target, bytes, sha256: actual };
}
