/**
 * Liveness, readiness and startup probes with the kubelet's timing fields and thresholds.
 *
 * - Probing starts once the kubelet has seen the container running; the first probe runs
 *   `initialDelaySeconds` after the container started (or at once if that is past), then every `periodSeconds`.
 * - A result changes the probe's state only after `failureThreshold` consecutive failures or
 *   `successThreshold` consecutive successes. Before any result, readiness is failure, liveness is
 *   success and startup is unknown (not started).
 * - Every failed probe is reported (the Unhealthy event); a change of state is reported once.
 * - HTTP/TCP/gRPC probes succeed when the container serves the port; exec probes run the command
 *   in the container and fail on a non-zero exit or when they run past `timeoutSeconds`.
 */
import type { Container as ContainerSpec } from '../api/types';
import type { Clock, Timer } from '../clock';
import type { Container } from './runtime/container';
import { startProcess } from './runtime/interpreter';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

export interface ProbeSpec {
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string };
  tcpSocket?: { port: number | string };
  grpc?: { port: number };
  exec?: { command?: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
}

export const PROBE_LABEL: Record<ProbeKind, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

export interface ProbeResult {
  ok: boolean;
  /** For failures: what the Unhealthy event says after `<Kind> probe failed: `. */
  output: string;
}

function resolvePort(port: number | string, spec: ContainerSpec): number {
  if (typeof port === 'number') return port;
  const named = spec.ports?.find((p) => p.name === port);
  return named ? named.containerPort : Number(port);
}

/**
 * A copy of a container's probe, its named port resolved against the container's ports: what a
 * ProbeWorker runs for as long as the container does, holding nothing of the pod object.
 */
export function probeCopy(probe: ProbeSpec | undefined, spec: ContainerSpec): ProbeSpec | undefined {
  if (!probe) return undefined;
  const copy: ProbeSpec = { ...probe };
  if (probe.httpGet) copy.httpGet = { ...probe.httpGet, port: resolvePort(probe.httpGet.port, spec) };
  if (probe.tcpSocket) copy.tcpSocket = { port: resolvePort(probe.tcpSocket.port, spec) };
  if (probe.grpc) copy.grpc = { ...probe.grpc };
  if (probe.exec) copy.exec = probe.exec.command ? { command: [...probe.exec.command] } : {};
  return copy;
}

/**
 * Runs one probe against the container now. `failFault` is fault injection (the probe fails). The
 * probe's ports are numbers (probeCopy resolved the named ones).
 */
export function runProbe(probe: ProbeSpec, container: Container, podIP: string, failFault: boolean): ProbeResult {
  if (probe.httpGet) {
    const port = Number(probe.httpGet.port);
    const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    const url = `${scheme}://${probe.httpGet.host ?? podIP}:${port}${probe.httpGet.path ?? '/'}`;
    if (!container.listens(port)) return { ok: false, output: `Get "${url}": dial tcp ${podIP}:${port}: connect: connection refused` };
    if (failFault) return { ok: false, output: 'HTTP probe failed with statuscode: 500' };
    const http = container.serving?.httpPorts;
    if (http && !http.includes(port)) return { ok: false, output: `Get "${url}": net/http: HTTP/1.x transport connection broken: malformed HTTP response` };
    return { ok: true, output: '' };
  }
  if (probe.tcpSocket) {
    const port = Number(probe.tcpSocket.port);
    if (!container.listens(port) || failFault) return { ok: false, output: `dial tcp ${podIP}:${port}: connect: connection refused` };
    return { ok: true, output: '' };
  }
  if (probe.grpc) {
    if (!container.listens(probe.grpc.port) || failFault) return { ok: false, output: `timeout: failed to connect service "${podIP}:${probe.grpc.port}" within 1s` };
    return { ok: true, output: '' };
  }
  if (probe.exec) {
    const command = probe.exec.command ?? [];
    if (failFault) return { ok: false, output: '' };
    const started = startProcess(command, container.context);
    if ('error' in started) return { ok: false, output: started.error };
    const out: string[] = [];
    const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
    let slept = 0;
    for (let i = 0; i < 10_000; i++) {
      const step = started.process.next();
      if (step.done) return step.value === 0 ? { ok: true, output: '' } : { ok: false, output: out.join('\n') };
      if (step.value.type === 'out') out.push(step.value.text);
      if (step.value.type === 'sleep' || step.value.type === 'serve') {
        slept += step.value.type === 'sleep' ? step.value.ms : Infinity;
        if (slept > timeoutMs) return { ok: false, output: `command ${JSON.stringify(command.join(' '))} timed out` };
      }
    }
    return { ok: false, output: `command ${JSON.stringify(command.join(' '))} timed out` };
  }
  return { ok: true, output: '' };
}

export interface ProbeCallbacks {
  /** Every failed probe (the Unhealthy event). */
  onFailure(output: string): void;
  /** The state crossed a threshold: true = success. */
  onChange(success: boolean): void;
}

export class ProbeWorker {
  private timer: Timer | undefined;
  private state: boolean | undefined;
  private lastResult: boolean | undefined;
  private run = 0;
  private stopped = false;

  constructor(
    readonly kind: ProbeKind,
    /** A probeCopy. */
    private readonly probe: ProbeSpec,
    private readonly container: Container,
    private readonly podIP: string,
    private readonly clock: Clock,
    private readonly failFaultAfterMs: number | undefined,
    private readonly callbacks: ProbeCallbacks,
  ) {
    this.state = kind === 'readiness' ? false : kind === 'liveness' ? true : undefined;
  }

  /** Current state: readiness (ready), liveness (alive), startup (started; undefined = not yet). */
  get success(): boolean | undefined {
    return this.state;
  }

  /**
   * The state a previous kubelet process reported (adoption.ts): a ready container stays ready
   * until its probe fails `failureThreshold` times, instead of flapping to not ready on restart.
   */
  assume(success: boolean): void {
    this.state = success;
  }

  /** Starts probing; `initialDelaySeconds` counts from the container's start, not from this call. */
  start(): void {
    const first = this.container.startedAt + (this.probe.initialDelaySeconds ?? 0) * 1000;
    this.timer = this.clock.setTimer(Math.max(0, first - this.clock.now()), () => this.tick());
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private tick(): void {
    if (this.stopped || !this.container.running) return;
    const fault = this.failFaultAfterMs !== undefined && this.clock.now() - this.container.startedAt >= this.failFaultAfterMs;
    const result = runProbe(this.probe, this.container, this.podIP, fault);
    if (result.ok === this.lastResult) this.run++;
    else { this.lastResult = result.ok; this.run = 1; }
    if (!result.ok) this.callbacks.onFailure(result.output);
    const threshold = result.ok ? this.probe.successThreshold ?? 1 : this.probe.failureThreshold ?? 3;
    if (this.run >= threshold && this.state !== result.ok) {
      this.state = result.ok;
      this.callbacks.onChange(result.ok);
    }
    if (this.stopped) return;
    // A startup probe stops once it has succeeded; the others keep going.
    if (this.kind === 'startup' && this.state === true) return;
    this.timer = this.clock.setTimer((this.probe.periodSeconds ?? 10) * 1000, () => this.tick());
  }
}
