/**
 * A raw HTTPS client for e2e tests that need to see exactly what the server sends (status codes,
 * headers, bodies the typed clients would hide): reads the server URL, CA and bearer tokens from
 * the kubeconfig the standalone server wrote, and keeps connections alive like kubectl does.
 *
 *   const api = ApiHttp.fromKubeconfig(server.kubeconfig);
 *   const r = await api.request('GET', '/api/v1/namespaces/default/pods');   // { status, headers, text }
 *   r.json<PodList>()
 */
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json<T = unknown>(): T;
}

export interface RequestOptions {
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** `viewer` sends the read-only user's token; `none` sends no Authorization header. */
  user?: 'admin' | 'viewer' | 'none';
  /** Abort the request after this long (wall time; default 30 s). */
  timeoutMs?: number;
}

interface KubeconfigDoc {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: { token: string } }[];
}

export class ApiHttp {
  readonly agent: Agent;

  constructor(
    readonly url: string,
    readonly ca: string,
    private readonly tokens: { admin: string; viewer: string },
    options: { maxSockets?: number } = {},
  ) {
    this.agent = new Agent({ keepAlive: true, ca, maxSockets: options.maxSockets ?? 16 });
  }

  static fromKubeconfig(path: string, options: { maxSockets?: number } = {}): ApiHttp {
    const doc = parse(readFileSync(path, 'utf8')) as KubeconfigDoc;
    const cluster = doc.clusters[0]!.cluster;
    const token = (name: string) => doc.users.find((u) => u.name === name)!.user.token;
    return new ApiHttp(
      cluster.server,
      Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8'),
      { admin: token('kube-sim-admin'), viewer: token('kube-sim-viewer') },
      options,
    );
  }

  request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const body = options.body === undefined ? undefined : typeof options.body === 'string' || Buffer.isBuffer(options.body) ? options.body : JSON.stringify(options.body);
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    const user = options.user ?? 'admin';
    if (user !== 'none') headers['authorization'] = `Bearer ${this.tokens[user]}`;
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    // Node frames a GET, DELETE or OPTIONS body only when told its length (no chunking by default).
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const target = new URL(path, this.url);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        { hostname: target.hostname, port: target.port, path: target.pathname + target.search, method, headers, agent: this.agent, timeout: options.timeoutMs ?? 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no response within ${options.timeoutMs ?? 30_000} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /**
   * Opens a watch and hands each decoded event line to `onEvent`; resolves with a handle once the
   * headers arrived. `done` settles when the server ends the stream.
   */
  watch(path: string, onEvent: (event: { type: string; object: Record<string, unknown> }) => void): Promise<WatchHandle> {
    const target = new URL(path, this.url);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        { hostname: target.hostname, port: target.port, path: target.pathname + target.search, method: 'GET', headers: { accept: 'application/json', authorization: `Bearer ${this.tokens.admin}` }, agent: false, ca: this.ca },
        (res) => {
          let buffered = '';
          let endDone!: () => void;
          const done = new Promise<void>((r) => { endDone = r; });
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffered += chunk;
            let nl: number;
            while ((nl = buffered.indexOf('\n')) >= 0) {
              const line = buffered.slice(0, nl).trim();
              buffered = buffered.slice(nl + 1);
              if (line) onEvent(JSON.parse(line) as { type: string; object: Record<string, unknown> });
            }
          });
          res.on('end', () => endDone());
          res.on('close', () => endDone());
          res.on('error', () => endDone()); // close() aborts the stream on purpose
          resolve({ status: res.statusCode ?? 0, done, close: () => req.destroy() });
        },
      );
      req.on('error', (err) => reject(err)); // after the response, reject is a no-op
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface WatchHandle {
  status: number;
  done: Promise<void>;
  close(): void;
}
