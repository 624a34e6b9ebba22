/**
 * A running container in the simulated runtime: plays its process's effects on the cluster clock,
 * keeps its log, knows which ports it serves and how much memory it uses, and ends with an exit
 * code and a reason as containerd reports them (Completed, Error, OOMKilled).
 */
import type { Clock, Timer } from '../../clock';
import type { ServerProgram } from './catalog';
import type { Process, ProcessContext } from './interpreter';
import { ContainerLog } from './logs';

export type TerminationReason = 'Completed' | 'Error' | 'OOMKilled' | 'StartError' | 'ContainerCannotRun';

export interface Termination {
  exitCode: number;
  reason: TerminationReason;
  finishedAt: number;
  signal?: number;
  message?: string;
}

export interface ContainerHooks {
  /** Memory the container may use (resources.limits.memory), bytes; undefined: unlimited. */
  memoryLimit?: number;
  /** Delay of the OOM kill once over the limit. */
  oomKillDelay(): number;
  /** Fault injection: exit with this code after this long, whatever the process does. */
  forcedExit?: { code: number; afterMs: number };
  /** Fault injection: the memory the container uses, replacing what its program uses. */
  forcedMemory?: number;
  onExit(termination: Termination): void;
}

export class Container {
  readonly log = new ContainerLog();
  readonly startedAt: number;
  serving: ServerProgram | undefined;
  memoryBytes = 1024 * 1024;
  termination: Termination | undefined;
  private timer: Timer | undefined;
  private oomTimer: Timer | undefined;
  private forcedTimer: Timer | undefined;
  private stopTimer: Timer | undefined;

  constructor(
    readonly id: string,
    readonly name: string,
    private readonly clock: Clock,
    private process: Process | undefined,
    readonly context: ProcessContext,
    private readonly hooks: ContainerHooks,
  ) {
    this.startedAt = clock.now();
  }

  /** Runs the process (separate from construction so the caller holds the container before it can exit). */
  start(): void {
    const hooks = this.hooks;
    if (hooks.forcedExit) {
      const { code, afterMs } = hooks.forcedExit;
      const clock = this.clock;
      this.forcedTimer = clock.setTimer(afterMs, () => this.exit(code, code === 0 ? 'Completed' : 'Error'));
    }
    if (hooks.forcedMemory !== undefined) this.setMemory(hooks.forcedMemory);
    this.step();
  }

  get running(): boolean {
    return this.termination === undefined;
  }

  /** Serves `port` (HTTP/TCP/gRPC probes and, later, Services reach it). */
  listens(port: number): boolean {
    return this.running && !!this.serving?.ports.includes(port);
  }

  /**
   * Sends SIGTERM: a process that handles it exits 0 after `sigtermExitMs`; any other is killed
   * (SIGKILL, exit 137) when the grace period ends.
   */
  stop(graceMs: number, sigtermExitMs: number): void {
    if (!this.running || this.stopTimer) return;
    if (this.serving?.stopsOnSigterm && sigtermExitMs <= graceMs) {
      this.stopTimer = this.clock.setTimer(sigtermExitMs, () => this.exit(0, 'Completed'));
    } else {
      this.stopTimer = this.clock.setTimer(graceMs, () => this.exit(137, 'Error', 9));
    }
  }

  /** Kills at once (SIGKILL). */
  kill(): void {
    if (this.running) this.exit(137, 'Error', 9);
  }

  private step(): void {
    for (;;) {
      if (!this.running) return;
      let next;
      if (!this.process) return;
      try {
        next = this.process.next();
      } catch {
        return this.exit(139, 'Error');
      }
      if (next.done) return this.exit(next.value, next.value === 0 ? 'Completed' : 'Error');
      const effect = next.value;
      if (effect.type === 'out') this.log.append(this.clock.now(), effect.text);
      else if (effect.type === 'memory') { if (this.hooks.forcedMemory === undefined) this.setMemory(effect.bytes); }
      // A process that serves or sleeps forever is never resumed: let it go.
      else if (effect.type === 'serve') { this.serving = effect.program; this.process = undefined; return; }
      else if (effect.type === 'sleep') {
        if (effect.ms === Infinity) { this.process = undefined; return; }
        this.timer = this.clock.setTimer(effect.ms, () => { this.timer = undefined; this.step(); });
        return;
      }
    }
  }

  private setMemory(bytes: number): void {
    this.memoryBytes = bytes;
    if (this.hooks.memoryLimit !== undefined && bytes > this.hooks.memoryLimit && !this.oomTimer) {
      this.oomTimer = this.clock.setTimer(this.hooks.oomKillDelay(), () => this.exit(137, 'OOMKilled'));
    }
  }

  private exit(exitCode: number, reason: TerminationReason, signal?: number): void {
    if (!this.running) return;
    this.termination = { exitCode, reason, finishedAt: this.clock.now() };
    if (signal) this.termination.signal = signal;
    for (const t of [this.timer, this.oomTimer, this.forcedTimer, this.stopTimer]) t?.cancel();
    this.process = undefined;
    this.serving = undefined;
    this.log.end();
    this.hooks.onExit(this.termination);
  }
}
