/**
 * /version and the health endpoints. The version says 1.32 (kubectl's dispatcher picks kubectl
 * 1.32 from the minor) and names Kube Sim in gitVersion, as k3s names itself (`v1.32.4+k3s1`).
 */
import { jsonResponse, textResponse } from './handlers/responses';
import type { ApiResponse } from './types';

export const KUBERNETES_VERSION = { major: '1', minor: '32', patch: '4' };

export const VERSION_INFO = {
  major: KUBERNETES_VERSION.major,
  minor: KUBERNETES_VERSION.minor,
  gitVersion: `v${KUBERNETES_VERSION.major}.${KUBERNETES_VERSION.minor}.${KUBERNETES_VERSION.patch}+kubesim`,
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export function versionResponse(): ApiResponse {
  return jsonResponse(200, VERSION_INFO);
}

const HEALTH_CHECKS = ['ping', 'log', 'etcd', 'poststarthook/start-apiserver-admission-initializer', 'poststarthook/generic-apiserver-start-informers'];

/** /healthz, /livez, /readyz (and their `/<check>` forms, and `?verbose`). */
export function healthResponse(path: string, query: URLSearchParams): ApiResponse | undefined {
  const m = /^\/(healthz|livez|readyz)(?:\/(.+))?$/.exec(path);
  if (!m) return undefined;
  if (m[2] !== undefined) {
    if (!HEALTH_CHECKS.includes(m[2])) return undefined;
    return textResponse(200, 'ok');
  }
  if (query.has('verbose')) {
    const lines = HEALTH_CHECKS.map((c) => `[+]${c} ok`);
    return textResponse(200, `${lines.join('\n')}\n${m[1]} check passed\n`);
  }
  return textResponse(200, 'ok');
}
