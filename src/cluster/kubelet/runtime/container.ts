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
  /**
   * The container was started before now, by a previous kubelet process (adoption.ts): its
   * startedAt. The process is replayed from there on the cluster clock (see `start`).
   */
  resumeFrom?: number;
  /**
   * The container ended. One hooks object may serve many containers (a pod worker is the hooks of
   * all its containers), so the container that ended is passed along.
   */
  onExit(termination: Termination, container: Container): void;
}

/** Effects a resumed process may replay before it simply goes on from now (a bound on start-up work). */
const REPLAY_STEPS = 20_000;

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
  /** While a resumed process is replayed: the virtual time it has reached. */
  private replayAt: number | undefined;
  private replaySteps = 0;

  constructor(
    readonly id: string,
    readonly name: string,
    private readonly clock: Clock,
    private process: Process | undefined,
    readonly context: ProcessContext,
    private readonly hooks: ContainerHooks,
  ) {
    this.startedAt = hooks.resumeFrom ?? clock.now();
  }

  /** The time as the process sees it (behind the clock while a resumed process is replayed). */
  now(): number {
    return this.replayAt ?? this.clock.now();
  }

  /** Runs the process (separate from construction so the caller holds the container before it can exit). */
  /**
   * Runs the process (separate from construction so the caller holds the container before it can exit).
   *
   * A resumed container (`resumeFrom`) replays its process from startedAt up to now without waiting:
   * its sleeps pass in virtual time, its output goes to the log with the times it would have had,
   * and it goes on from where it would be now. So `sleep 3600` started 20 minutes ago sleeps 40 more
   * minutes, a server serves at once, a loop that prints every 5 s has printed its lines. What a
   * replay cannot give back exactly: output that depends on the world outside the process (a
   * ConfigMap changed since, `date` is replayed with the replayed time), memory timings, and processes
   * whose replay would take more than REPLAY_STEPS effects: from there they start again at now
   * (their output restarts, which is acceptable for a simulation).
   */
  start(): void {
    const hooks = this.hooks;
    if (hooks.resumeFrom !== undefined) this.replayAt = hooks.resumeFrom;
    if (hooks.forcedExit) {
      const { code, afterMs } = hooks.forcedExit;
      const clock = this.clock;
      const due = this.startedAt + afterMs;
      this.forcedTimer = clock.setTimer(Math.max(0, due - clock.now()), () => this.exit(code, code === 0 ? 'Completed' : 'Error', undefined, due));
    }
    if (hooks.forcedMemory !== undefined) this.setMemory(hooks.forcedMemory);
    this.step();
    this.replayAt = undefined;
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
      if (this.replayAt !== undefined && ++this.replaySteps > REPLAY_STEPS) this.replayAt = undefined;
      if (effect.type === 'out') this.log.append(this.now(), effect.text);
      else if (effect.type === 'memory') { if (this.hooks.forcedMemory === undefined) this.setMemory(effect.bytes); }
      // A process that serves or sleeps forever is never resumed: let it go.
      else if (effect.type === 'serve') { this.serving = effect.program; this.process = undefined; this.log.settle(effect.program.startLog); return; }
      else if (effect.type === 'sleep') {
        if (effect.ms === Infinity) { this.process = undefined; this.log.settle(); return; }
        if (this.replayAt !== undefined) {
          const wakes = this.replayAt + effect.ms;
          if (wakes <= this.clock.now()) { this.replayAt = wakes; continue; }
          // The replay has caught up with the clock: the rest of this sleep is real waiting.
          this.replayAt = undefined;
          this.timer = this.clock.setTimer(wakes - this.clock.now(), () => { this.timer = undefined; this.step(); });
          return;
        }
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

  private exit(exitCode: number, reason: TerminationReason, signal?: number, at = this.now()): void {
    if (!this.running) return;
    this.termination = { exitCode, reason, finishedAt: at };
    if (signal) this.termination.signal = signal;
    for (const t of [this.timer, this.oomTimer, this.forcedTimer, this.stopTimer]) t?.cancel();
    this.process = undefined;
    this.serving = undefined;
    this.log.end();
    this.log.settle();
    this.hooks.onExit(this.termination, this);
  }
}
