/**
 * A running container in the simulated runtime: plays its process's effects on the cluster clock,
 * keeps its log, knows which ports it serves and how much memory it uses, and ends with an exit
 * code and a reason as containerd reports them (Completed, Error, OOMKilled).
 *
 * A large cluster runs a container per pod for as long as the pod runs, and most of them do nothing
 * once started (a server serves, a `sleep infinity` sleeps): one object is all such a container
 * is. It is its own log (containerd keeps a log per container instance), its own process context
 * (what its processes, `kubectl exec` and exec probes read: image, environment, files, hostname,
 * clock), its id is kept as the seed it is made from, and what only a busy container has (timers,
 * a replay under way) is made while it is needed.
 */
import type { Clock, Timer } from '../../clock';
import type { CatalogImage, ServerProgram } from './catalog';
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

/**
 * What a container has while its process goes on or a timer is pending: made when first needed,
 * let go when it holds nothing (a server once it serves, a `sleep infinity` once it sleeps).
 */
interface Activity {
  process: Process | undefined;
  /** The process's sleep. */
  step: Timer | undefined;
  oom: Timer | undefined;
  forced: Timer | undefined;
  stop: Timer | undefined;
  /** While a resumed process is replayed. */
  replay: Replay | undefined;
}

/** How far a resumed process's replay has come (see `start`). */
interface Replay {
  /** The virtual time it has reached. */
  at: number;
  steps: number;
}

/** What a container runs with (the context of its processes). */
export interface ContainerSetup {
  image: CatalogImage;
  env: Readonly<Record<string, string>>;
  files: Map<string, string>;
  hostname: string;
}

export class Container extends ContainerLog implements ProcessContext {
  readonly startedAt: number;
  readonly image: CatalogImage;
  /** Read through processEnv (runtime/env.ts): it may be an image's shared environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly files: Map<string, string>;
  readonly hostname: string;
  serving: ServerProgram | undefined = undefined;
  memoryBytes = 1024 * 1024;
  termination: Termination | undefined = undefined;
  private activity: Activity | undefined = undefined;

  /**
   * `idSeed`: the id's text (an adopted container's), or its number in its kubelet's ContainerIds,
   * made into the text when asked: a small integer, not 80 bytes of string per running container.
   * The process is given to `start`, made with the container as its context.
   */
  constructor(
    readonly idSeed: string | number,
    readonly name: string,
    private readonly clock: Clock,
    setup: ContainerSetup,
    private readonly hooks: ContainerHooks,
  ) {
    super();
    this.image = setup.image;
    this.env = setup.env;
    this.files = setup.files;
    this.hostname = setup.hostname;
    this.startedAt = hooks.resumeFrom ?? clock.now();
  }

  /** What its processes (and `kubectl exec`, exec probes) run with: the container itself. */
  get context(): ProcessContext {
    return this;
  }

  /** Its log's times count from its start (see ContainerLog). */
  protected override get timeOrigin(): number {
    return this.startedAt;
  }

  /** What the process printed (the container keeps it: see ContainerLog). */
  get log(): ContainerLog {
    return this;
  }

  /** The time as the process sees it (behind the clock while a resumed process is replayed). */
  now(): number {
    return this.replay?.at ?? this.clock.now();
  }

  /**
   * Runs `process` (made with this container as its context; undefined: it idles), separate from
   * construction so the caller holds the container before it can exit.
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
  start(process: Process | undefined): void {
    this.process = process;
    const hooks = this.hooks;
    if (hooks.resumeFrom !== undefined) this.replay = { at: hooks.resumeFrom, steps: 0 };
    if (hooks.forcedExit) {
      const { code, afterMs } = hooks.forcedExit;
      const clock = this.clock;
      const due = this.startedAt + afterMs;
      this.activityOf().forced = clock.setTimer(Math.max(0, due - clock.now()), () => this.exit(code, code === 0 ? 'Completed' : 'Error', undefined, due));
    }
    if (hooks.forcedMemory !== undefined) this.setMemory(hooks.forcedMemory);
    this.step();
    this.replay = undefined;
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
    if (!this.running || this.activity?.stop) return;
    if (this.serving?.stopsOnSigterm && sigtermExitMs <= graceMs) {
      this.activityOf().stop = this.clock.setTimer(sigtermExitMs, () => this.exit(0, 'Completed'));
    } else {
      this.activityOf().stop = this.clock.setTimer(graceMs, () => this.exit(137, 'Error', 9));
    }
  }

  /** Kills at once (SIGKILL). */
  kill(): void {
    if (this.running) this.exit(137, 'Error', 9);
  }

  private activityOf(): Activity {
    return (this.activity ??= { process: undefined, step: undefined, oom: undefined, forced: undefined, stop: undefined, replay: undefined });
  }

  private get process(): Process | undefined {
    return this.activity?.process;
  }

  private set process(process: Process | undefined) {
    if (process || this.activity) this.activityOf().process = process;
    this.dropActivity();
  }

  private get replay(): Replay | undefined {
    return this.activity?.replay;
  }

  private set replay(replay: Replay | undefined) {
    if (replay || this.activity) this.activityOf().replay = replay;
    this.dropActivity();
  }

  /** Lets go of the activity once it holds nothing. */
  private dropActivity(): void {
    const t = this.activity;
    if (t && !t.process && !t.step && !t.oom && !t.forced && !t.stop && !t.replay) this.activity = undefined;
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
      const replay = this.replay;
      if (replay !== undefined && ++replay.steps > REPLAY_STEPS) this.replay = undefined;
      if (effect.type === 'out') this.append(this.now(), effect.text);
      else if (effect.type === 'memory') { if (this.hooks.forcedMemory === undefined) this.setMemory(effect.bytes); }
      // A process that serves or sleeps forever is never resumed: let it go.
      else if (effect.type === 'serve') { this.serving = effect.program; this.process = undefined; this.settle(effect.program.startLog); return; }
      else if (effect.type === 'sleep') {
        if (effect.ms === Infinity) { this.process = undefined; this.settle(); return; }
        if (this.replay !== undefined) {
          const wakes = this.replay.at + effect.ms;
          if (wakes <= this.clock.now()) { this.replay.at = wakes; continue; }
          // The replay has caught up with the clock: the rest of this sleep is real waiting.
          this.replay = undefined;
          this.sleepUntil(wakes - this.clock.now());
          return;
        }
        this.sleepUntil(effect.ms);
        return;
      }
    }
  }

  private sleepUntil(ms: number): void {
    const activity = this.activityOf();
    activity.step = this.clock.setTimer(ms, () => {
      activity.step = undefined;
      this.step();
      this.dropActivity();
    });
  }

  private setMemory(bytes: number): void {
    this.memoryBytes = bytes;
    if (this.hooks.memoryLimit !== undefined && bytes > this.hooks.memoryLimit && !this.activity?.oom) {
      this.activityOf().oom = this.clock.setTimer(this.hooks.oomKillDelay(), () => this.exit(137, 'OOMKilled'));
    }
  }

  private exit(exitCode: number, reason: TerminationReason, signal?: number, at = this.now()): void {
    if (!this.running) return;
    this.termination = { exitCode, reason, finishedAt: at };
    if (signal) this.termination.signal = signal;
    const t = this.activity;
    if (t) for (const timer of [t.step, t.oom, t.forced, t.stop]) timer?.cancel();
    this.activity = undefined;
    this.serving = undefined;
    this.end();
    this.settle();
    this.hooks.onExit(this.termination, this);
  }
}
