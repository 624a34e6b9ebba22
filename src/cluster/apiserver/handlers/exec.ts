/**
 * pods/exec (`kubectl exec`): kube-apiserver's checks (pkg/registry/core/pod: the pod, the
 * container, the node and where its kubelet listens), then the kubelet's (the pod on the node, the
 * container running), then the RemoteCommand stream over WebSocket: stdout/stderr as the process
 * prints, stdin in, and the final Status on channel 3 (Success, or NonZeroExitCode with an
 * ExitCode cause, which kubectl turns into `command terminated with exit code N` and its own exit
 * code N).
 *
 * kube-apiserver 1.32 serves a client that offers `v5.channel.k8s.io` (kubectl 1.32 does) itself:
 * it upgrades the connection first, then dials the kubelet (StreamTranslatorHandler, feature
 * TranslateStreamCloseWebsocketRequests), so everything the kubelet says, its refusals and a
 * failed dial included, arrives as an InternalError Status on channel 3 (kubectl: `error: Internal
 * error occurred: unable to upgrade connection: container not found ("web")`). Any other client is
 * proxied to the kubelet as is (UpgradeAwareHandler): the kubelet's refusals come before the
 * upgrade as its plain text (`error: unable to upgrade connection: container not found ("web")`),
 * a failed dial as a 500 Status (`error dialing backend: …`). The API server's own checks always
 * come before the upgrade, as a Status (kubectl: `Error from server (BadRequest): …`); kubectl
 * then tries again over SPDY and prints the answer to that, the same. Kube Sim speaks only the
 * WebSocket protocols, so SPDY only ever gets errors.
 */
import { badRequest, statusFailure } from '../../api/errors';
import type { Pod } from '../../api/types';
import type { ApiRequest, ApiResponse, ChannelSession, RemoteProcess } from '../types';
import type { ResourceRequest, ServerParts } from './context';
import { connectionRefused, kubeletLocation, statusFailureWithoutReason, type KubeletLocation } from './kubelet-connection';
import { execSession, failedStatus, kubeletStatuses, refusedSession, translatedStatuses } from './exec-session';
import { jsonResponse, textResponse } from './responses';

export interface ExecOptions {
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** The kubelets' side of exec: the process to run, or the kubelet's refusal (its status and text). */
export type ExecProvider = (pod: Pod, options: ExecOptions) => RemoteProcess | { status: number; message: string };

/** RemoteCommand subprotocols the kubelet serves, best first: v5 adds the CLOSE signal (stdin EOF) to v4. */
export const REMOTE_COMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/** The protocol kube-apiserver serves itself (the stream translator); other clients go to the kubelet. */
const TRANSLATED_PROTOCOL = 'v5.channel.k8s.io';

/** v5's CLOSE signal: a message on this channel names the channel the client closed. */
export const CLOSE_CHANNEL = 255;

/**
 * Exec sessions one user may hold open at once. Kubernetes sets none (exec is a long-running
 * request, outside max-requests-inflight and priority and fairness; the kubelet and the runtime
 * do not count sessions either), but every Kube Sim session lives in this process: its interpreter,
 * its stdin (up to 16 MiB held until it ends) and its terminal's type-ahead. 32 is far more than
 * the terminals and parallel scripts one person runs, and keeps what one client can pin to about
 * half a gigabyte at the very worst.
 */
export const MAX_EXEC_SESSIONS_PER_USER = 32;

/** Open sessions per user, per server (a test may run several servers in one process). */
const openSessions = new WeakMap<ServerParts, Map<string, number>>();

export async function execSubresource(parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  const q = r.request.query;
  const name = r.info.name;
  const pod = (await parts.registries.core('pods').get(r.namespace, name)) as Pod;
  const container = validateContainer(q.get('container') ?? '', pod);
  if (!pod.spec.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  const kubelet = await kubeletLocation(parts, pod.spec.nodeName);
  const flag = (key: string): boolean => { const v = (q.get(key) ?? '').toLowerCase(); return v === 'true' || v === '1'; };
  const options: ExecOptions = { container, command: q.getAll('command'), stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr'), tty: flag('tty') };
  const url = kubelet.url(`/exec/${r.namespace}/${name}/${container}`, kubeletParams(options));
  // kube-apiserver's proxy to the kubelet takes upgrade requests only.
  if (!listHas(r.request.headers['connection'], 'upgrade') || !r.request.headers['upgrade']) throw badRequest('Upgrade request required');
  const sessions = sessionCount(parts, r.user.name);
  if (sessions.open >= MAX_EXEC_SESSIONS_PER_USER) {
    const err = statusFailure(429, 'TooManyRequests', `Kube Sim runs at most ${MAX_EXEC_SESSIONS_PER_USER} exec sessions at once for one user (${r.user.name}): end one and try again`, { retryAfterSeconds: 1 });
    return { ...jsonResponse(429, err.status), headers: { 'Content-Type': 'application/json', 'Retry-After': '1' } };
  }
  if (offers(r.request, TRANSLATED_PROTOCOL)) return translated(parts, pod, options, kubelet, url, sessions);

  // Proxied to the kubelet: a failed dial is the proxy's error; then the kubelet answers plainly.
  if (!kubelet.listening) throw statusFailureWithoutReason(500, `error dialing backend: ${connectionRefused(kubelet)}`);
  const kubeletOptions = kubeletView(options);
  if (!kubeletOptions) return textResponse(400, NO_STREAMS);
  const provider = parts.execProvider;
  if (!provider) return textResponse(503, 'no kubelet in this cluster runs containers');
  const process = provider(pod, kubeletOptions);
  if ('message' in process) return textResponse(process.status, process.message);
  const protocol = negotiate(r.request);
  return { status: 101, headers: { 'Sec-WebSocket-Protocol': protocol }, upgrade: execSession(protocol, process, kubeletOptions, kubeletStatuses, sessions.hold()) };
}

/**
 * The stream translator: the connection is upgraded before the kubelet is dialed, and what the
 * kubelet says comes back as it comes out of client-go's SPDY executor, wrapped in a Status.
 */
function translated(parts: ServerParts, pod: Pod, options: ExecOptions, kubelet: KubeletLocation, url: string, sessions: SessionCount): ApiResponse {
  const upgraded = (upgrade: ChannelSession): ApiResponse => ({ status: 101, headers: { 'Sec-WebSocket-Protocol': TRANSLATED_PROTOCOL }, upgrade });
  const refused = (message: string) => upgraded(refusedSession(TRANSLATED_PROTOCOL, options, failedStatus(message), sessions.hold()));
  if (!kubelet.listening) return refused(`error sending request: Post ${JSON.stringify(url)}: ${connectionRefused(kubelet)}`);
  const kubeletOptions = kubeletView(options);
  if (!kubeletOptions) return refused(`unable to upgrade connection: ${NO_STREAMS}`);
  const provider = parts.execProvider;
  if (!provider) return refused('unable to upgrade connection: no kubelet in this cluster runs containers');
  const process = provider(pod, kubeletOptions);
  if ('message' in process) return refused(`unable to upgrade connection: ${process.message}`);
  return upgraded(execSession(TRANSLATED_PROTOCOL, process, options, translatedStatuses, sessions.hold()));
}

const NO_STREAMS = 'you must specify at least 1 of stdin, stdout, stderr';

/**
 * The options as the kubelet reads them (remotecommand NewOptions): a terminal has no stderr of
 * its own; undefined when no stream at all is asked for.
 */
function kubeletView(options: ExecOptions): ExecOptions | undefined {
  const view = options.tty && options.stderr ? { ...options, stderr: false } : options;
  return view.stdin || view.stdout || view.stderr ? view : undefined;
}

/** The kubelet's exec query as streamParams builds it. */
function kubeletParams(options: ExecOptions): [string, string][] {
  const params: [string, string][] = [];
  if (options.stdin) params.push(['input', '1']);
  if (options.stdout) params.push(['output', '1']);
  if (options.stderr) params.push(['error', '1']);
  if (options.tty) params.push(['tty', '1']);
  for (const c of options.command) params.push(['command', c]);
  return params;
}

interface SessionCount {
  open: number;
  /** Counts one more open session; the returned release (idempotent) counts it closed. */
  hold(): () => void;
}

function sessionCount(parts: ServerParts, user: string): SessionCount {
  let byUser = openSessions.get(parts);
  if (!byUser) openSessions.set(parts, (byUser = new Map()));
  const users = byUser;
  return {
    open: users.get(user) ?? 0,
    hold() {
      users.set(user, (users.get(user) ?? 0) + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (users.get(user) ?? 1) - 1;
        if (left > 0) users.set(user, left);
        else users.delete(user);
      };
    },
  };
}

/** kube-apiserver's validateContainer: an empty name means the only container. */
function validateContainer(container: string, pod: Pod): string {
  const name = pod.metadata.name ?? '';
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers, ...((pod.spec.ephemeralContainers ?? []) as { name: string }[])].map((c) => c.name);
  if (!container) {
    if (pod.spec.containers.length === 1) return pod.spec.containers[0]!.name;
    if (pod.spec.containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`);
  }
  if (!all.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

const listHas = (header: string | undefined, token: string): boolean =>
  (header ?? '').toLowerCase().split(',').some((t) => t.trim() === token);

/** Whether the request is a WebSocket upgrade offering `protocol` (wsstream.IsWebSocketRequestWithStreamCloseProtocol). */
function offers(request: ApiRequest, protocol: string): boolean {
  const headers = request.headers;
  return listHas(headers['upgrade'], 'websocket') && (headers['sec-websocket-protocol'] ?? '').split(',').some((p) => p.trim() === protocol);
}

/** The subprotocol the kubelet answers with; a request that is not a WebSocket upgrade to a RemoteCommand protocol is refused. */
function negotiate(request: ApiRequest): string {
  const headers = request.headers;
  if (!listHas(headers['upgrade'], 'websocket')) {
    throw badRequest(`unable to upgrade: Kube Sim serves exec over WebSocket (${REMOTE_COMMAND_PROTOCOLS.join(', ')}) only, not ${headers['upgrade']}`);
  }
  const offered = (headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const chosen = offered.find((p) => REMOTE_COMMAND_PROTOCOLS.includes(p));
  if (!chosen) {
    throw badRequest(`unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${REMOTE_COMMAND_PROTOCOLS.join(' ')}]`);
  }
  return chosen;
}
