/**
 * The HTTPS transport: node:https on 127.0.0.1 and ::1 (same port; loopback only), with the
 * cluster's serving certificate.
 *
 * - Authentication: a bearer token from the kubeconfig, or a client certificate signed by the
 *   cluster CA (user = CN, groups = O). A request with neither reaches the pipeline anonymous (401).
 * - Safety: bodies over 3 MiB get 413 and are not buffered (the rest is read and
 *   dropped, so that a client still writing reads the 413 rather than a reset); a browser page on another site
 *   (an Origin or Host that is not this machine) gets 403; slow clients time out; no input crashes
 *   the server.
 * - Answers over 128 KiB are gzipped (level 1) for clients sending Accept-Encoding: gzip, as
 *   kube-apiserver does; kubectl and client-node do, and big lists shrink about twentyfold.
 * - Watches: headers are flushed at once (clients time out waiting for them otherwise) and events
 *   go out as newline-delimited JSON; the client going away (`res` close) ends the stream.
 */
import { createServer, type Server } from 'node:https';
import { DEFAULT_CIPHERS } from 'node:tls';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { UpgradeListener } from './upgrade';
import type { WatchEvent } from '../../api/types';
import { constants as zlibConstants, gzip } from 'node:zlib';
import { requestEntityTooLarge, statusFailure, StatusError, internalError } from '../../api/errors';
import { MAX_BODY_BYTES } from '../body';
import { RawJson, servedJsonOf } from '../registry/codec';
import type { TokenAuthenticator } from '../auth/tokens';
import { SYSTEM_AUTHENTICATED } from '../auth/identities';
import type { ApiRequest, ApiResponse, Transport, UserInfo } from '../types';

/** How much of a refused body is read and dropped before the connection is cut instead. */
const MAX_DRAINED_BYTES = 64 * 1024 * 1024;
/** kube-apiserver gzips answers larger than this for clients that accept gzip (kubectl does), at level 1. */
const GZIP_THRESHOLD_BYTES = 128 * 1024;

function acceptsGzip(acceptEncoding: string | string[] | undefined): boolean {
  const value = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : acceptEncoding ?? '';
  return value.split(',').some((e) => e.split(';')[0]!.trim().toLowerCase() === 'gzip');
}

export interface HttpsTransportOptions {
  handle: Transport;
  tokens: TokenAuthenticator;
  cert: string;
  key: string;
  /** The CA that signs client certificates. */
  ca: string;
  log?: (line: string) => void;
}

export const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function hostName(hostHeader: string): string {
  if (hostHeader.startsWith('[')) {
    const end = hostHeader.indexOf(']');
    return end > 0 ? hostHeader.slice(0, end + 1) : hostHeader;
  }
  const colon = hostHeader.indexOf(':');
  return (colon >= 0 ? hostHeader.slice(0, colon) : hostHeader).toLowerCase();
}

export function originIsLocal(origin: string): boolean {
  try {
    const url = new URL(origin);
    return LOCAL_HOSTS.has(url.hostname.toLowerCase());
  } catch {
    return false;
  }
}

export function certificateUser(req: IncomingMessage): UserInfo | undefined {
  const socket = req.socket as TLSSocket;
  if (!socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.subject) return undefined;
  const cn = cert.subject.CN;
  const name = Array.isArray(cn) ? cn[0] : cn;
  if (!name) return undefined;
  const o = cert.subject.O;
  const groups = o === undefined ? [] : Array.isArray(o) ? [...o] : [o];
  if (!groups.includes(SYSTEM_AUTHENTICATED)) groups.push(SYSTEM_AUTHENTICATED);
  return { name, groups };
}

/**
 * The request's headers, one string each. Node already joins repeated headers with ', ' except
 * Set-Cookie (an array), which no client sends to an API server: the common case takes Node's
 * own (per-request) object as it is instead of copying every header.
 */
export function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const headers = req.headers;
  if (headers['set-cookie'] === undefined) return headers as Record<string, string | undefined>;
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

const NO_BODY = Buffer.alloc(0);

/**
 * A request as the pipeline gets it from this transport. The abort signal is made on first use
 * (only streaming handlers ask): most requests need none. Only a client leaving early aborts (a
 * completed response closes too; aborting it would be waste).
 */
class HttpsRequest implements ApiRequest {
  rawBody?: Buffer;
  user?: UserInfo;
  private controller: AbortController | undefined;

  constructor(
    readonly method: string,
    readonly path: string,
    readonly query: URLSearchParams,
    readonly headers: Record<string, string | undefined>,
    private readonly res: ServerResponse,
  ) {}

  get signal(): AbortSignal {
    if (!this.controller) {
      const c = (this.controller = new AbortController());
      const res = this.res;
      if (res.closed) {
        if (!res.writableFinished) c.abort();
      } else {
        res.on('close', () => { if (!res.writableFinished) c.abort(); });
      }
    }
    return this.controller.signal;
  }
}

/**
 * Encoded watch event lines by object. Watch objects are shared by every watcher they are sent
 * to and come from stored text: their JSON is cut from that text, once, and the encoded line is
 * reused for each of the other watchers (100 informers on pods cost one encoding per event, not
 * 100).
 */
const eventLines = new WeakMap<object, { type: string; line: Buffer }>();

function eventLine(event: WatchEvent): string | Buffer {
  const cached = eventLines.get(event.object);
  if (cached !== undefined && cached.type === event.type) return cached.line;
  const objectJson = servedJsonOf(event.object);
  if (objectJson === undefined) return JSON.stringify(event) + '\n';
  const line = Buffer.from(`{"type":"${event.type}","object":${objectJson}}\n`);
  eventLines.set(event.object, { type: event.type, line });
  return line;
}

/**
 * Cipher suites in the order Go's crypto/tls (so kube-apiserver) prefers them on hardware with AES
 * instructions: AES-128-GCM first. Node's default puts AES-256-GCM first, which costs a third more
 * AES work on every byte of every response for no gain a client can see; the server's order wins.
 */
export const SERVER_TLS_PREFERENCES = {
  ciphers: `TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384:${DEFAULT_CIPHERS}`,
  honorCipherOrder: true,
} as const;

export class HttpsTransport {
  private servers: Server[] = [];
  private readonly sockets = new Set<Duplex>();
  private readonly upgrades: UpgradeListener;

  constructor(private readonly options: HttpsTransportOptions) {
    this.upgrades = new UpgradeListener(options);
  }

  /**
   * Starts listening on 127.0.0.1:`port` and [::1]:`port` (0: a port free on both); resolves with
   * the port. A machine without IPv6 loopback gets 127.0.0.1 alone.
   */
  async listen(port: number): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const v4 = this.newServer();
      const chosen = await listenOn(v4, port, '127.0.0.1');
      const v6 = this.newServer();
      try {
        await listenOn(v6, chosen, '::1');
        this.servers = [v4, v6];
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') {
          this.options.log?.('HTTPS: no IPv6 loopback (::1); listening on 127.0.0.1 only');
          this.servers = [v4];
        } else {
          await new Promise<void>((resolve) => v4.close(() => resolve()));
          // A free IPv4 port that IPv6 has taken: pick another one (only when the caller let us choose).
          if (code === 'EADDRINUSE' && port === 0 && attempt < 10) continue;
          throw err;
        }
      }
      return chosen;
    }
  }

  private newServer(): Server {
    const server = createServer({
      cert: this.options.cert,
      key: this.options.key,
      ca: [this.options.ca],
      ...SERVER_TLS_PREFERENCES,
      requestCert: true,
      rejectUnauthorized: false,
      // Stalled clients: headers within 30 s, a whole request (not a response: watches stream) within 60 s.
      headersTimeout: 30_000,
      requestTimeout: 60_000,
      keepAliveTimeout: 30_000,
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.onRequest(req, res).catch((err: unknown) => this.fail(res, err));
    });
    // pods/exec over WebSocket: its own listener (upgrade.ts), the same pipeline.
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrades.onUpgrade(req, socket, head));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('tlsClientError', () => { /* bad handshakes are the client's problem */ });
    server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    return server;
  }

  /** Stops accepting connections and closes open ones (watch streams included). */
  async close(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
      server.closeAllConnections?.();
    })));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = req.headers.origin;
    const host = req.headers.host ?? '';
    if ((origin !== undefined && !originIsLocal(origin)) || (host && host !== this.localHost && !this.isLocalHost(host))) {
      req.resume();
      return this.send(res, errorToResponse(statusFailure(403, 'Forbidden', 'cross-site requests are not allowed: the Origin or Host header names another site', {})));
    }
    // The path is taken as sent: the WHATWG URL parser would resolve `%2e%2e` segments, so that
    // `.../pods/%2e%2e` became the namespace itself (a GET or DELETE aimed at a pod named `..`
    // would hit the namespace). Segments are decoded one by one later (request-info.ts).
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const pathname = queryAt < 0 ? target : target.slice(0, queryAt);
    if (!pathname.startsWith('/')) {
      req.resume();
      return this.send(res, errorToResponse(statusFailure(400, 'BadRequest', 'the request URL is malformed', {})));
    }
    // Most requests (GET, DELETE, watches) have no body: no stream to read, no tick to wait for.
    let body: Buffer = NO_BODY;
    if (hasBody(req)) {
      const read = await this.readBody(req, res);
      if (read === undefined) return;
      body = read;
    }

    const headers = headersOf(req);
    const request = new HttpsRequest(req.method ?? 'GET', pathname, new URLSearchParams(queryAt < 0 ? '' : target.slice(queryAt + 1)), headers, res);
    const authorization = headers['authorization'];
    const user = authorization !== undefined ? this.options.tokens.authenticate(authorization) : certificateUser(req);
    if (body.length > 0) request.rawBody = body;
    if (user) request.user = user;
    const response = await this.options.handle(request);
    this.send(res, response, req.method === 'HEAD', req.headers['accept-encoding']);
  }

  /** The last Host header found local: clients send the same one on every request. */
  private localHost = '';

  private isLocalHost(host: string): boolean {
    if (!LOCAL_HOSTS.has(hostName(host))) return false;
    this.localHost = host;
    return true;
  }

  /** Reads the body up to the limit; on overflow answers 413 itself and resolves undefined. */
  private readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > MAX_BODY_BYTES) {
      this.tooLarge(req, res);
      return Promise.resolve(undefined);
    }
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      req.on('data', (chunk: Buffer) => {
        if (done) return;
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          done = true;
          this.tooLarge(req, res);
          resolve(undefined);
          return;
        }
        chunks.push(chunk);
      });
      // A small body usually arrives as one chunk: hand that over rather than copy it.
      req.on('end', () => { if (!done) { done = true; resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)); } });
      req.on('error', () => { if (!done) { done = true; resolve(undefined); } });
      req.on('aborted', () => { if (!done) { done = true; resolve(undefined); } });
    });
  }

  private tooLarge(req: IncomingMessage, res: ServerResponse): void {
    // The whole 413 goes out at once (headers and a Content-Length body, so the client can read
    // it), but the response is only ended once the client has finished sending: Node closes the
    // connection when a response ends for a `Connection: close` request (node-fetch, hence
    // client-node, sends that), and closing under a client still writing gives it EPIPE or
    // ECONNRESET instead of this answer. Meanwhile the rest of the body is read and dropped; a
    // client sending without end is cut off.
    const response = errorToResponse(requestEntityTooLarge(MAX_BODY_BYTES));
    const text = JSON.stringify(response.body);
    res.writeHead(response.status, { ...response.headers, 'Content-Length': String(Buffer.byteLength(text)) });
    res.write(text);
    const end = () => { if (!res.writableEnded) res.end(); };
    let drained = 0;
    req.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > MAX_DRAINED_BYTES) req.socket.destroy();
    });
    req.on('end', end);
    req.on('close', end);
    req.resume();
  }

  /** `acceptEncoding`: the request's Accept-Encoding, read only for answers big enough to compress. */
  private send(res: ServerResponse, response: ApiResponse, headOnly = false, acceptEncoding?: string | string[]): void {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string | string[]> = { ...response.headers };
    if (response.stream) {
      const stream = response.stream;
      headers['Transfer-Encoding'] = 'chunked';
      headers['Cache-Control'] = 'no-cache, private';
      res.writeHead(response.status, headers);
      res.flushHeaders();
      let ended = false;
      let corked = false;
      const uncork = () => {
        corked = false;
        res.uncork();
      };
      res.on('close', () => { ended = true; stream.close(); });
      stream.start(
        (chunk) => {
          if (ended) return;
          // The events of one delivery (a replay, a busy revision) leave as one TLS record and one
          // write, not one each.
          if (!corked) {
            corked = true;
            res.cork();
            process.nextTick(uncork);
          }
          res.write(typeof chunk === 'string' ? chunk : eventLine(chunk));
        },
        () => { if (!ended) { ended = true; res.end(); } },
      );
      return;
    }
    // Served JSON goes out as bytes: a shared body (an object read again) was encoded once, and a
    // Buffer needs neither a length scan nor flattening and encoding on the way to the socket.
    let payload: string | Buffer | undefined;
    const body = response.body;
    if (body === undefined) payload = undefined;
    else if (body instanceof RawJson) payload = body.bytes;
    else if (typeof body === 'string') payload = body;
    else if (Buffer.isBuffer(body)) payload = body;
    else payload = JSON.stringify(body);
    const length = payload === undefined ? 0 : typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    if (payload !== undefined && !headOnly && length > GZIP_THRESHOLD_BYTES && acceptsGzip(acceptEncoding)) {
      // Compressed off the event loop (zlib's thread pool): a 10,000-pod Table is ~8 MB of JSON.
      gzip(payload, { level: zlibConstants.Z_BEST_SPEED }, (err, compressed) => {
        if (res.destroyed) return;
        if (err) {
          headers['Content-Length'] = String(length);
          res.writeHead(response.status, headers);
          res.end(payload);
          return;
        }
        headers['Content-Encoding'] = 'gzip';
        headers['Vary'] = 'Accept-Encoding';
        headers['Content-Length'] = String(compressed.length);
        res.writeHead(response.status, headers);
        res.end(compressed);
      });
      return;
    }
    if (payload !== undefined) headers['Content-Length'] = String(length);
    res.writeHead(response.status, headers);
    res.end(headOnly ? undefined : payload);
  }

  private fail(res: ServerResponse, err: unknown): void {
    this.options.log?.(`kube-sim: request failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    try {
      this.send(res, errorToResponse(err instanceof StatusError ? err : internalError(err)));
    } catch {
      res.destroy();
    }
  }
}

function errorToResponse(err: StatusError): ApiResponse {
  return { status: err.status.code, headers: { 'Content-Type': 'application/json' }, body: err.status };
}

/**
 * Whether a request carries a body (RFC 9112 §6.3: a Content-Length above zero or a
 * Transfer-Encoding). One without is complete once its headers are parsed; Node discards its empty
 * stream when the response finishes.
 */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
