/**
 * The HTTPS transport's `upgrade` listener: requests asking to switch protocols (`kubectl exec`:
 * WebSocket, or its SPDY fallback). They go through the same pipeline as every request
 * (authentication here as in https.ts, then audit, authorization and the handler); a handler
 * that answers 101 with a ChannelSession gets the connection, framed as WebSocket binary messages
 * whose first byte is the channel (the RemoteCommand `channel.k8s.io` framing). Any other answer
 * is written as a plain HTTP response and the connection closed.
 *
 * On the connection: pings are answered with pongs (kubectl pings every 5 s and gives up after a
 * minute without a pong), a close is answered and ends the session, a protocol violation closes
 * with 1002. The session ending sends its last messages, then a normal close (1000), which is what
 * lets kubectl read the final Status as the end of the error channel.
 *
 * The server never pings: neither the kubelet's streaming server nor kube-apiserver's stream
 * translator does (apimachinery wsstream on golang.org/x/net/websocket only answers pings);
 * keeping a quiet connection alive is the client's job. What they do have is an idle timeout,
 * 4 hours by default (the kubelet's streamingConnectionIdleTimeout, the translator's
 * defaultIdleConnectionTimeout): a connection with no data message either way for that long is
 * dropped (pings do not count: the Go library answers them below the deadline it resets), the
 * process killed with it. It is wall time, as the connection's other timeouts are: it protects the
 * server from clients that vanished, which a paused cluster clock would otherwise keep forever.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { statusFailure } from '../../api/errors';
import { CLOSE_CHANNEL } from '../handlers/exec';
import { RawJson } from '../registry/codec';
import type { TokenAuthenticator } from '../auth/tokens';
import type { ApiRequest, ApiResponse, ChannelSession, InputFlow, OutputFlow, Transport, UserInfo } from '../types';
import { certificateUser, headersOf, hostName, LOCAL_HOSTS, originIsLocal } from './https';
import { acceptKey, CLOSE, closePayload, encodeFrame, FrameError, FrameParser, OPCODE } from './websocket';

/** How long a closed session waits for the client's close before dropping the connection (wall time). */
const CLOSE_WAIT_MS = 5_000;

/** Client input a session may have waiting (held back) before the connection stops being read. */
export const HELD_INPUT_BYTES = 1024 * 1024;

/** A session with no data message either way for this long is dropped (wall time; see above). */
export const STREAM_IDLE_TIMEOUT_MS = 4 * 60 * 60 * 1000;

/** The wall clock the idle timeout reads (a test passes a ManualClock). */
export interface IdleClock {
  now(): number;
  setTimer(delayMs: number, callback: () => void): { cancel(): void };
}

const WALL_CLOCK: IdleClock = {
  now: () => performance.now(),
  setTimer(delayMs, callback) {
    const t = setTimeout(callback, delayMs);
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};

export class UpgradeListener {
  constructor(private readonly options: { handle: Transport; tokens: TokenAuthenticator; log?: (line: string) => void }) {}

  onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    this.serve(req, socket, head).catch((err: unknown) => {
      this.options.log?.(`kube-sim: upgrade request failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      socket.destroy();
    });
  }

  private async serve(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const origin = req.headers.origin;
    const host = req.headers.host ?? '';
    if ((origin !== undefined && !originIsLocal(origin)) || (host && !LOCAL_HOSTS.has(hostName(host)))) {
      const status = statusFailure(403, 'Forbidden', 'cross-site requests are not allowed: the Origin or Host header names another site', {}).status;
      return writeResponse(socket, { status: 403, headers: { 'Content-Type': 'application/json' }, body: status });
    }
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const path = queryAt < 0 ? target : target.slice(0, queryAt);
    const headers = headersOf(req);
    let user: UserInfo | undefined;
    if (headers['authorization'] !== undefined) user = this.options.tokens.authenticate(headers['authorization']);
    else user = certificateUser(req);
    const controller = new AbortController();
    socket.on('close', () => controller.abort());
    const request: ApiRequest = {
      method: req.method ?? 'GET',
      path,
      query: new URLSearchParams(queryAt < 0 ? '' : target.slice(queryAt + 1)),
      headers,
      signal: controller.signal,
    };
    if (user) request.user = user;
    const response = await this.options.handle(request);
    if (socket.destroyed) {
      response.upgrade?.hangup();
      return;
    }
    const session = response.upgrade;
    if (response.stream) {
      // A watch or a followed log asked for with an Upgrade header: streams are served on the
      // ordinary request path only.
      response.stream.close();
      return writeResponse(socket, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'streaming responses are not served on an upgraded connection: send the request without Upgrade' });
    }
    if (response.status !== 101 || !session) return writeResponse(socket, response);
    const key = headers['sec-websocket-key'];
    if (!key || headers['sec-websocket-version'] !== '13') {
      session.hangup();
      return writeResponse(socket, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'unable to upgrade: a WebSocket handshake needs Sec-WebSocket-Key and Sec-WebSocket-Version 13' });
    }
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${acceptKey(key)}\r\nSec-WebSocket-Protocol: ${session.protocol}\r\n\r\n`,
    );
    connect(socket, head, session);
  }
}

/** Runs `session` over the upgraded `socket` until either side ends it. */
export function connect(socket: Duplex, head: Buffer, session: ChannelSession, idle: { clock?: IdleClock; timeoutMs?: number } = {}): void {
  let closing = false;
  let over = false;
  const send = (opcode: number, payload: Buffer) => { if (socket.writable) socket.write(encodeFrame(opcode, payload)); };
  // Idle timeout: one timer for the whole session, moved on lazily (a busy stream does not re-arm it per message).
  const clock = idle.clock ?? WALL_CLOCK;
  const timeoutMs = idle.timeoutMs ?? STREAM_IDLE_TIMEOUT_MS;
  let lastData = clock.now();
  const touch = () => { lastData = clock.now(); };
  let idleTimer: { cancel(): void } | undefined;
  const checkIdle = () => {
    idleTimer = undefined;
    if (socket.destroyed) return;
    const quiet = clock.now() - lastData;
    if (quiet < timeoutMs) {
      idleTimer = clock.setTimer(timeoutMs - quiet, checkIdle);
      return;
    }
    // Dropped, not closed: past the deadline the Go server cannot write a close frame either.
    hangup();
    socket.destroy();
  };
  idleTimer = clock.setTimer(timeoutMs, checkIdle);
  socket.on('close', () => { idleTimer?.cancel(); idleTimer = undefined; });
  const close = (code: number, reason = '') => {
    if (closing) return;
    closing = true;
    send(OPCODE.close, closePayload(code, reason));
    socket.end();
    setTimeout(() => socket.destroy(), CLOSE_WAIT_MS).unref();
  };
  const hangup = () => {
    if (over) return;
    over = true;
    session.hangup();
  };
  // Input flow: while the session holds input back, its messages wait here in order. The socket is
  // still read (pings keep being answered: kubectl gives up on a connection after a minute without
  // a pong) until HELD_INPUT_BYTES wait; then it is no longer read until the session takes input.
  let held = false;
  let socketPaused = false;
  let heldBytes = 0;
  const heldBack: Buffer[] = [];
  const deliver = (payload: Buffer) => {
    if (closing || payload.length === 0) return;
    const channel = payload[0]!;
    if (channel === CLOSE_CHANNEL) {
      if (payload.length > 1) session.closeChannel(payload[1]!);
    } else session.receive(channel, payload.subarray(1));
  };
  const input: InputFlow = {
    pause() {
      held = true;
    },
    resume() {
      if (!held) return;
      held = false;
      while (!held && heldBack.length > 0) {
        const payload = heldBack.shift()!;
        heldBytes -= payload.length;
        deliver(payload);
      }
      if (socketPaused && heldBytes < HELD_INPUT_BYTES) {
        socketPaused = false;
        socket.resume();
      }
    },
  };
  const holdBack = (payload: Buffer) => {
    heldBack.push(payload);
    heldBytes += payload.length;
    if (heldBytes >= HELD_INPUT_BYTES && !socketPaused) {
      socketPaused = true;
      socket.pause();
    }
  };
  const parser = new FrameParser((message) => {
    switch (message.opcode) {
      case OPCODE.binary: {
        touch();
        if (held) holdBack(message.payload);
        else deliver(message.payload);
        return;
      }
      case OPCODE.ping:
        send(OPCODE.pong, message.payload);
        return;
      case OPCODE.close: {
        // The client ends the session: answer with its code (or a normal close) and let go.
        const code = message.payload.length >= 2 ? message.payload.readUInt16BE(0) : CLOSE.normal;
        hangup();
        close(code >= 1000 && code < 5000 && code !== 1005 && code !== 1006 ? code : CLOSE.normal);
        return;
      }
      default:
        // Text messages belong to the base64 protocols, which are not offered; pongs need nothing.
        return;
    }
  });
  const onData = (chunk: Buffer) => {
    try {
      parser.push(chunk);
    } catch (err) {
      socket.off('data', onData);
      hangup();
      close(err instanceof FrameError ? err.closeCode : CLOSE.protocolError, err instanceof Error ? err.message : '');
    }
  };
  socket.on('data', onData);
  socket.on('close', hangup);
  // Past the socket's high-water mark the client is not keeping up (or not reading at all).
  const flow: OutputFlow = { blocked: () => socket.writableNeedDrain, drained: (resume) => { socket.once('drain', resume); } };
  session.start(
    (channel, data) => {
      if (closing) return;
      const text = Buffer.from(data, 'utf8');
      const payload = Buffer.allocUnsafe(text.length + 1);
      payload[0] = channel;
      text.copy(payload, 1);
      touch();
      send(OPCODE.binary, payload);
    },
    () => {
      over = true; // the session is over: a hang-up now is nobody's news
      // Nothing held back matters any more; read on, for the client's close.
      heldBack.length = 0;
      heldBytes = 0;
      held = false;
      if (socketPaused) { socketPaused = false; socket.resume(); }
      close(CLOSE.normal);
    },
    flow,
    input,
  );
  if (head.length > 0) onData(head);
}

/** A non-upgraded answer on the raw connection, then the connection closes. */
function writeResponse(socket: Duplex, response: ApiResponse): void {
  const b = response.body;
  const body = b === undefined ? '' : typeof b === 'string' || Buffer.isBuffer(b) ? b : b instanceof RawJson ? b.text : JSON.stringify(b);
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  let head = `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}\r\n`;
  for (const [name, value] of Object.entries(response.headers)) {
    for (const v of Array.isArray(value) ? value : [value]) head += `${name}: ${v}\r\n`;
  }
  head += `Content-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`;
  socket.end(Buffer.concat([Buffer.from(head), bytes]));
}
