/**
 * pods/exec (`kubectl exec`): kube-apiserver's checks (pkg/registry/core/pod: the pod, the
 * container, the node), then the kubelet's (the pod on the node, the container running), then the
 * RemoteCommand stream over WebSocket: stdout/stderr as the process prints, stdin in, and the
 * final Status on channel 3 (Success, or NonZeroExitCode with an ExitCode cause, which kubectl
 * turns into `command terminated with exit code N` and its own exit code N).
 *
 * Errors come as kube-apiserver and the kubelet give them: the apiserver's as Status (kubectl:
 * `Error from server (BadRequest): …`), the kubelet's as plain text (kubectl: `error: unable to
 * upgrade connection: container not found ("web")`). kubectl 1.32 tries WebSocket first and, when
 * the upgrade fails, tries again over SPDY: what it prints is the answer to that second request.
 * Kube Sim speaks only the WebSocket protocols, so SPDY only ever gets errors.
 */
import { badRequest } from '../../api/errors';
import type { Pod } from '../../api/types';
import type { ApiRequest, ApiResponse, ChannelSession, RemoteProcess } from '../types';
import type { ResourceRequest, ServerParts } from './context';
import { textResponse } from './responses';

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

/** RemoteCommand subprotocols served, best first: v5 adds the CLOSE signal (stdin EOF) to v4. */
export const REMOTE_COMMAND_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/** v5's CLOSE signal: a message on this channel names the channel the client closed. */
export const CLOSE_CHANNEL = 255;

const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4 } as const;

export async function execSubresource(parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  const q = r.request.query;
  const name = r.info.name;
  const pod = (await parts.registries.core('pods').get(r.namespace, name)) as Pod;
  const container = validateContainer(q.get('container') ?? '', pod);
  if (!pod.spec.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  const flag = (key: string): boolean => { const v = (q.get(key) ?? '').toLowerCase(); return v === 'true' || v === '1'; };
  const options: ExecOptions = { container, command: q.getAll('command'), stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr'), tty: flag('tty') };
  // kube-apiserver's proxy to the kubelet takes upgrade requests only.
  if (!listHas(r.request.headers['connection'], 'upgrade') || !r.request.headers['upgrade']) throw badRequest('Upgrade request required');
  if (!options.stdin && !options.stdout && !options.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');

  // What follows is the kubelet's: it answers in plain text.
  const provider = parts.execProvider;
  if (!provider) return textResponse(503, 'no kubelet in this cluster runs containers');
  const process = provider(pod, options);
  if ('message' in process) return textResponse(process.status, process.message);
  const protocol = negotiate(r.request);
  return { status: 101, headers: { 'Sec-WebSocket-Protocol': protocol }, upgrade: execSession(protocol, process, options) };
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

/** The subprotocol to answer with; a request that is not a WebSocket upgrade to a RemoteCommand protocol is refused. */
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

/** The final Status of a process that ran, as the kubelet writes it on the error channel (v4+). */
export function exitStatus(command: string[], code: number): string {
  if (code === 0) return JSON.stringify({ metadata: {}, status: 'Success' });
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  });
}

/** The Status of a process the runtime could not run (an InternalError, as the kubelet reports it). */
export function failedStatus(message: string): string {
  const text = `error executing command in container: ${message}`;
  return JSON.stringify({ metadata: {}, status: 'Failure', message: `Internal error occurred: ${text}`, reason: 'InternalError', details: { causes: [{ message: text }] }, code: 500 });
}

/** The RemoteCommand channels of one exec, around the kubelet's process. */
function execSession(protocol: string, process: RemoteProcess, options: ExecOptions): ChannelSession {
  let finished = false;
  let started = false;
  // A terminal turns each newline into CR LF (onlcr); without one output goes as printed.
  const text = options.tty ? (t: string) => t.replace(/\r?\n/g, '\r\n') : (t: string) => t;
  return {
    protocol,
    start(send, end, flow) {
      started = true;
      const finish = (status: string) => {
        if (finished) return;
        finished = true;
        send(CHANNEL.error, status);
        end();
      };
      process.start({
        stdout: (t) => { if (!finished && options.stdout) send(CHANNEL.stdout, text(t)); },
        // With a terminal stderr is the terminal too (kubectl asks for no stderr stream then).
        stderr: (t) => {
          if (finished) return;
          if (options.stderr) send(CHANNEL.stderr, text(t));
          else if (options.tty && options.stdout) send(CHANNEL.stdout, text(t));
        },
        exit: (code) => finish(exitStatus(options.command, code)),
        failed: (message) => finish(failedStatus(message)),
        flow,
      });
    },
    receive(channel, data) {
      if (finished) return;
      if (channel === CHANNEL.stdin && options.stdin) process.stdin(data);
      else if (channel === CHANNEL.resize) {
        try {
          const size = JSON.parse(data.toString('utf8')) as { Width?: number; Height?: number };
          process.resize(Number(size.Width) || 0, Number(size.Height) || 0);
        } catch {
          // A malformed resize is dropped, as the kubelet drops it.
        }
      }
    },
    closeChannel(channel) {
      if (!finished && channel === CHANNEL.stdin) process.closeStdin();
    },
    hangup() {
      if (finished) return;
      finished = true;
      if (started) process.kill();
    },
  };
}
