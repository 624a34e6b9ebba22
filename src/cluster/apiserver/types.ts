/**
 * The request pipeline's contract with its two transports (DESIGN.md: one pipeline, two transports).
 *
 * - The HTTPS transport authenticates the connection, fills `user`, hands the raw body bytes in
 *   `rawBody` and writes the response (JSON, text, or a stream of newline-delimited watch events).
 * - The in-process transport (src/cluster/client) sets `user` to the component's identity and passes
 *   an already-parsed `body`, skipping sockets and serialization. Everything after authentication
 *   (audit, authorization, admission, registry, storage) is the same code for both.
 */
import type { WatchEvent } from '../api/types';

export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
  /** Authenticator-specific facts (a service account token's credential id). */
  extra?: Record<string, string[]>;
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | string;
  /** The URL path without the query, e.g. `/api/v1/namespaces/default/pods/nginx/status`. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /**
   * In-process callers: the body as a JSON value. The pipeline never keeps a reference to it,
   * unless the caller hands it over (`bodyHandedOver`).
   */
  body?: unknown;
  /**
   * In-process callers: `body` is the pipeline's from now on, not copied (a create's objects are
   * stored and shared as they are). The caller promises it is plain JSON (objects, arrays, strings,
   * finite numbers, booleans and null; no undefined member: what a JSON round trip gives back
   * equal) and that it never reads or changes it, nor anything in it, again. An event recorder's
   * Event, built for the one request: copying it was ~7% of an event's create.
   */
  bodyHandedOver?: true;
  /** HTTPS: the body bytes, decoded by the pipeline according to content-type. */
  rawBody?: Buffer;
  /** Who is calling; set by the transport's authentication. Undefined means anonymous (401). */
  user?: UserInfo;
  /** Fires when the client goes away (ends watches and followed logs). */
  signal?: AbortSignal;
  /**
   * In-process callers: a read the caller makes from a cache another component keeps (an
   * informer's reader, see Informer.addReader), told to the API server so that it is authorized
   * and audited as the request it stands for; not served (200 with no body when allowed).
   */
  announced?: true;
}

/**
 * A streamed response body (watch, `logs -f`). The transport calls `start` once; the server calls
 * `write` per chunk in order and `end` when it closes the stream (timeout, expiry, shutdown).
 * The transport calls `close` when the client goes away. Either may happen first.
 */
export interface ResponseStream {
  start(write: (chunk: WatchEvent | string) => void, end: () => void): void;
  close(): void;
}

/**
 * A process run for a client over a streaming connection (pods/exec), as the kubelet hands it to
 * the API server: not started until the connection is upgraded.
 */
export interface RemoteProcess {
  start(output: RemoteOutput): void;
  /** Bytes the client wrote to the process's stdin. */
  stdin(data: Buffer): void;
  /** The client closed stdin (EOF). */
  closeStdin(): void;
  /** The client's terminal changed size (`-t`). */
  resize(width: number, height: number): void;
  /** The client went away: the process is killed. */
  kill(): void;
}

/** What a RemoteProcess tells its client, in order: output, then `exit` or `failed` once. */
export interface RemoteOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  exit(code: number): void;
  /** The process could not be run; the runtime's reason. */
  failed(message: string): void;
  /**
   * The stream broke before the process ended: the kubelet serving it went away (its process is
   * killed with the stream). Absent: the caller does not tell this from a kill.
   */
  disconnected?(): void;
  /**
   * The client's flow control (absent: none). A process that prints waits while the client is
   * behind, as a process blocks on a full pipe; without it a client that does not read makes the
   * server hold everything the process prints (a print loop grows the heap without bound).
   */
  flow?: OutputFlow;
  /**
   * Flow control of what the client sends (absent: none). A process that cannot take more input
   * yet (a terminal whose buffer is full) holds the client back, as a full pty makes the runtime
   * stop reading the stream, instead of the server queueing all of it.
   */
  input?: InputFlow;
}

export interface InputFlow {
  /** Deliver nothing more from the client until `resume` (the connection keeps it, and past a bound stops reading). */
  pause(): void;
  /** Deliver again what was held back, then read on. Calls when not paused do nothing. */
  resume(): void;
}

export interface OutputFlow {
  /** The connection holds more than it should: stop printing until `drained`. */
  blocked(): boolean;
  /** Calls `resume` once, when the connection has caught up (never, if it closes first). */
  drained(resume: () => void): void;
}

/**
 * An upgraded connection carrying RemoteCommand channels (k8s.io/apimachinery
 * pkg/util/remotecommand): 0 stdin, 1 stdout, 2 stderr, 3 the final Status, 4 terminal resize.
 * The transport does the framing; the session knows the channels.
 */
export interface ChannelSession {
  /** The subprotocol agreed with the client (Sec-WebSocket-Protocol), e.g. `v5.channel.k8s.io`. */
  protocol: string;
  /**
   * The connection is upgraded: `send` writes on a channel, `end` closes the connection normally;
   * `flow` says when the client is behind on what was sent; `input` holds the client's messages back.
   */
  start(send: (channel: number, data: string) => void, end: () => void, flow?: OutputFlow, input?: InputFlow): void;
  /** Data from the client on a channel. */
  receive(channel: number, data: Buffer): void;
  /** The client closed a channel (v5's CLOSE signal): stdin has ended. */
  closeChannel(channel: number): void;
  /** The connection is gone (the client hung up, or the server is closing). */
  hangup(): void;
}

export interface ApiResponse {
  status: number;
  /** Header names as they go on the wire (e.g. `Content-Type`, `Warning`). */
  headers: Record<string, string | string[]>;
  /** A JSON value (object, list, Table, Status) or, for text responses such as logs, a string. */
  body?: unknown;
  stream?: ResponseStream;
  /** With status 101: the connection is upgraded for this session (transport/upgrade.ts). */
  upgrade?: ChannelSession;
}

export type Transport = (request: ApiRequest) => Promise<ApiResponse>;
