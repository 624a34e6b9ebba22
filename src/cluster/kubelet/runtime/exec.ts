/**
 * A command run in a running container (`kubectl exec`, the CRI's Exec): the interpreter's process
 * in the container's context (its env, hostname and files, which it shares with the container: a
 * file it writes is there for the container too), its effects played on the cluster clock as the
 * container's are. Output goes to the caller as it is printed, line by line; `sleep` waits on the
 * cluster clock; a process that serves or sleeps forever runs until the caller hangs up.
 *
 * stdin (`exec -i`) is collected until the caller closes it, then handed whole to the process when
 * it first reads (`cat`, `sh` without a script, `grep`…): a process that never reads it starts and
 * ends without waiting for it. Reading input line by line as it comes is left to the terminal
 * session (exec-shell.ts).
 */
import type { Clock, Timer } from '../../clock';
import type { OutputFlow, RemoteOutput, RemoteProcess } from '../../apiserver/types';
import { startProcess, type Process, type ProcessContext } from './interpreter';

/** Effects played in one go before the event loop gets a turn (a loop printing without sleeping). */
const STEPS_PER_TURN = 2_000;

/**
 * The runtime's answer to an exec it cannot start, as containerd and runc word it: a program the
 * image does not have, or no program at all. Nothing before the runtime refuses an empty command:
 * kube-apiserver and the kubelet pass it on (only kubectl refuses it, on the client), and runc
 * checks the process spec (`args must not be empty`) before starting anything.
 */
export function execStartError(argv: string[], execId: string): string {
  const executable = argv[0];
  let what: string;
  if (executable === undefined) what = 'args must not be empty';
  else if (executable.includes('/')) what = `unable to start container process: exec: "${executable}": stat ${executable}: no such file or directory`;
  else what = `unable to start container process: exec: "${executable}": executable file not found in $PATH`;
  return `failed to exec in container: failed to start exec "${execId}": OCI runtime exec failed: exec failed: ${what}: unknown`;
}

/**
 * Runs one process to its end, playing effects on the clock: the part of the exec shared by the
 * one-shot command (ExecCommand) and each line of a terminal session.
 */
export class EffectPlayer {
  private timer: Timer | undefined;
  private waitingForInput = false;
  private done = false;

  constructor(
    private readonly clock: Clock,
    private readonly process: Process,
    private readonly output: { out(text: string, stderr: boolean): void; exit(code: number): void },
    /** Whether stdin has ended (a process that reads it waits until then). */
    private readonly inputClosed: () => boolean = () => true,
    private readonly flow?: OutputFlow,
  ) {}

  start(): void {
    this.step();
  }

  /** stdin has ended: a process waiting to read it goes on. */
  inputEnded(): void {
    if (!this.waitingForInput) return;
    this.waitingForInput = false;
    this.step();
  }

  stop(): void {
    this.done = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private step(): void {
    for (let i = 0; i < STEPS_PER_TURN; i++) {
      if (this.done) return;
      let next;
      try {
        next = this.process.next();
      } catch {
        return this.finish(139);
      }
      if (next.done) return this.finish(next.value);
      const effect = next.value;
      if (effect.type === 'out') {
        this.output.out(effect.text, !!effect.stderr);
        if (this.flow?.blocked()) return this.flow.drained(() => this.step());
      } else if (effect.type === 'input') {
        if (this.inputClosed()) continue;
        this.waitingForInput = true;
        return;
      } else if (effect.type === 'serve') return; // serves until killed
      else if (effect.type === 'sleep') {
        if (effect.ms === Infinity) return;
        this.timer = this.clock.setTimer(effect.ms, () => { this.timer = undefined; this.step(); });
        return;
      }
    }
    // Printing without end: let the rest of the server (and the client's hang-up) in.
    setImmediate(() => this.step());
  }

  private finish(code: number): void {
    if (this.done) return;
    this.done = true;
    this.output.exit(code);
  }
}

/**
 * stdin kept for one exec. A real process reads its pipe as the client writes; here all of stdin
 * is held until the client closes it, so a client streaming without end would grow the heap
 * without bound: past this the exec fails instead.
 */
export const MAX_STDIN_BYTES = 16 * 1024 * 1024;

/** `kubectl exec POD -- CMD…` without a terminal. */
export class ExecCommand implements RemoteProcess {
  private readonly input: Buffer[] = [];
  private inputBytes = 0;
  private inputClosed = false;
  private player: EffectPlayer | undefined;
  private output: RemoteOutput | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly context: ProcessContext,
    private readonly argv: string[],
    private readonly execId: string,
    /** Whether the caller sends stdin at all (`-i`); without it stdin is empty. */
    private readonly hasStdin: boolean,
  ) {
    if (!hasStdin) this.inputClosed = true;
  }

  start(output: RemoteOutput): void {
    this.output = output;
    // Member by member: the context may be a container (runtime/container.ts), whose `now` is a method.
    const c = this.context;
    const context: ProcessContext = { image: c.image, env: c.env, files: c.files, hostname: c.hostname, now: () => c.now(), stdin: () => this.lines() };
    const started = startProcess(this.argv, context);
    if ('error' in started) return output.failed(execStartError(this.argv, this.execId));
    const player = new EffectPlayer(this.clock, started.process, {
      out: (text, stderr) => (stderr ? output.stderr(`${text}\n`) : output.stdout(`${text}\n`)),
      exit: (code) => output.exit(code),
    }, () => this.inputClosed, output.flow);
    this.player = player;
    player.start();
  }

  stdin(data: Buffer): void {
    if (this.inputClosed || !this.hasStdin) return;
    this.inputBytes += data.length;
    if (this.inputBytes > MAX_STDIN_BYTES) {
      this.inputClosed = true;
      this.input.length = 0;
      this.player?.stop();
      this.output?.failed(`Kube Sim holds an exec's stdin until it ends, and this one is over ${MAX_STDIN_BYTES / 1024 / 1024} MiB`);
      return;
    }
    this.input.push(data);
  }

  closeStdin(): void {
    if (this.inputClosed) return;
    this.inputClosed = true;
    this.player?.inputEnded();
  }

  resize(): void {}

  kill(): void {
    this.player?.stop();
  }

  private lines(): string[] {
    const text = Buffer.concat(this.input).toString('utf8');
    if (text === '') return [];
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines;
  }
}

/** How often, in cluster time, an exec checks that its container still runs. */
const CONTAINER_CHECK_MS = 1_000;

/**
 * An exec'd process dies with its container: once the container has stopped (the pod deleted, the
 * container killed or crashed), the process is killed too and the caller told exit code 137
 * (SIGKILL), as when the runtime tears the container's processes down.
 */
export function diesWithContainer(clock: Clock, running: () => boolean, process: RemoteProcess): RemoteProcess {
  let timer: Timer | undefined;
  let over = false;
  const end = () => { over = true; timer?.cancel(); timer = undefined; };
  return {
    start(output) {
      const check = () => {
        timer = undefined;
        if (over) return;
        if (!running()) {
          end();
          process.kill();
          output.exit(137);
          return;
        }
        timer = clock.setTimer(CONTAINER_CHECK_MS, check);
      };
      process.start({
        stdout: (t) => { if (!over) output.stdout(t); },
        stderr: (t) => { if (!over) output.stderr(t); },
        exit: (code) => { if (!over) { end(); output.exit(code); } },
        failed: (message) => { if (!over) { end(); output.failed(message); } },
        flow: output.flow,
        input: output.input,
      });
      if (!over) timer = clock.setTimer(CONTAINER_CHECK_MS, check);
    },
    stdin: (data) => process.stdin(data),
    closeStdin: () => process.closeStdin(),
    resize: (width, height) => process.resize(width, height),
    kill() {
      end();
      process.kill();
    },
  };
}
