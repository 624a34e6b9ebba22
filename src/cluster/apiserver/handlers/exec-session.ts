/**
 * The RemoteCommand channels of one exec (k8s.io/apimachinery pkg/util/remotecommand): stdout and
 * stderr as the process prints, stdin and terminal resizes in, and the final Status on the error
 * channel, worded as whoever writes it words it: the kubelet for a client proxied to it, kube-apiserver's
 * stream translator for a v5 client (exec.ts).
 */
import type { ChannelSession, RemoteProcess } from '../types';
import type { ExecOptions } from './exec';

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4 } as const;

/** The final Statuses of a session: the process's exit code, or why it could not run. */
export interface FinalStatuses {
  exit(command: string[], code: number): string;
  failed(message: string): string;
  /** The kubelet's stream broke: the Status then, if any (the connection closes either way). */
  disconnected: string | undefined;
}

/** The final Status of a process that ran, as the kubelet writes it on the error channel (v4+). */
export function exitStatus(command: string[], code: number): string {
  if (code === 0) return SUCCESS;
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  });
}

const SUCCESS = JSON.stringify({ metadata: {}, status: 'Success' });

/** The kubelet's own Status of a process the runtime could not run. */
function kubeletFailedStatus(message: string): string {
  return failedStatus(`error executing command in container: ${message}`);
}

/** An InternalError Status (apierrors.NewInternalError) with `text` as its cause. */
export function failedStatus(text: string): string {
  return JSON.stringify({ metadata: {}, status: 'Failure', message: `Internal error occurred: ${text}`, reason: 'InternalError', details: { causes: [{ message: text }] }, code: 500 });
}

/** The kubelet's statuses, as a client proxied to it reads them. */
export const kubeletStatuses: FinalStatuses = { exit: exitStatus, failed: kubeletFailedStatus, disconnected: undefined };

/**
 * The statuses after the stream translator: client-go's SPDY executor turns the kubelet's exit
 * Status into `command terminated with exit code N` (which the translator wraps once more) and
 * any other Failure into a plain error with its message, which the translator makes an
 * InternalError again (kubectl: `Internal error occurred: Internal error occurred: error executing
 * command in container: …`).
 */
export const translatedStatuses: FinalStatuses = {
  exit(_command, code) {
    if (code === 0) return SUCCESS;
    return JSON.stringify({
      metadata: {},
      status: 'Failure',
      message: `command terminated with non-zero exit code: command terminated with exit code ${code}`,
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
    });
  },
  failed: (message) => failedStatus(`Internal error occurred: error executing command in container: ${message}`),
  // The SPDY executor reads an error stream that ended without a Status as success (kubectl
  // issue 1726: `kubectl exec` exits 0 when the kubelet restarts under it), so the translator says Success.
  disconnected: SUCCESS,
};

/**
 * Before anything else the server writes an empty message on the lowest channel it writes to
 * (stdout, else stderr, else the error channel): the kubelet's and the translator's sign that the
 * streams are set up.
 */
function established(options: ExecOptions): number {
  return options.stdout ? CHANNEL.stdout : options.stderr ? CHANNEL.stderr : CHANNEL.error;
}

/** An upgraded session that only reports why the command could not run. */
export function refusedSession(protocol: string, options: ExecOptions, status: string, release: () => void): ChannelSession {
  return {
    protocol,
    start(send, end) {
      send(established(options), '');
      send(CHANNEL.error, status);
      release();
      end();
    },
    receive() {},
    closeChannel() {},
    hangup: release,
  };
}

/** The RemoteCommand channels of one exec, around the kubelet's process. */
export function execSession(protocol: string, process: RemoteProcess, options: ExecOptions, statuses: FinalStatuses, release: () => void): ChannelSession {
  let finished = false;
  let started = false;
  // A terminal turns each newline into CR LF (onlcr); without one output goes as printed.
  const text = options.tty ? (t: string) => t.replace(/\r?\n/g, '\r\n') : (t: string) => t;
  return {
    protocol,
    start(send, end, flow, input) {
      started = true;
      const finish = (status: string | undefined) => {
        if (finished) return;
        finished = true;
        release();
        if (status !== undefined) send(CHANNEL.error, status);
        end();
      };
      send(established(options), '');
      process.start({
        stdout: (t) => { if (!finished && options.stdout) send(CHANNEL.stdout, text(t)); },
        // With a terminal stderr is the terminal too (kubectl asks for no stderr stream then).
        stderr: (t) => {
          if (finished) return;
          if (options.stderr && !options.tty) send(CHANNEL.stderr, text(t));
          else if (options.tty && options.stdout) send(CHANNEL.stdout, text(t));
        },
        exit: (code) => finish(statuses.exit(options.command, code)),
        failed: (message) => finish(statuses.failed(message)),
        disconnected: () => finish(statuses.disconnected),
        flow,
        input,
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
      release();
      if (finished) return;
      finished = true;
      if (started) process.kill();
    },
  };
}
