/**
 * `kubectl exec -it POD -- …`: a command with a terminal. kubectl puts the user's terminal in raw
 * mode and sends every key; the terminal's line discipline is here: typed characters are echoed,
 * Backspace rubs out, Ctrl-U kills the line, Enter hands the line on, Ctrl-C interrupts, Ctrl-D on
 * an empty line is end of input. Cursor keys and other escape sequences are swallowed (no history).
 *
 * A shell with no script (`sh`, `bash`) is interactive: it prints a root prompt (busybox's `/ # `,
 * bash's `root@HOST:/# `), runs each line with the same interpreter state (variables, `$?`), and
 * ends on `exit` or Ctrl-D.
 * Keys typed while a line runs are kept and used once it is done (type-ahead); a command run from
 * the prompt gets no stdin of its own. Any other command runs once, its stdin being the lines typed
 * (until Ctrl-D).
 *
 * Type-ahead is bounded as a real terminal bounds it: Linux's line discipline holds at most 4096
 * bytes of input not yet read (N_TTY_BUF_SIZE), and when that is full it takes no more; the
 * runtime's write to the pty blocks, it stops reading the exec stream, and the client is held back
 * by flow control. Nothing is lost, and a paste of any size costs the server a few kilobytes.
 * Here keys beyond the buffer wait unprocessed (not echoed either, as in a full tty) and the
 * client's input is held back (RemoteOutput.input: the connection keeps it, and stops being read
 * past a bound) until lines are used.
 */
import type { Clock } from '../../clock';
import type { RemoteOutput, RemoteProcess } from '../../apiserver/types';
import { EffectPlayer, ExecCommand } from './exec';
import { InteractiveShell, isInteractiveShell, type ProcessContext } from './interpreter';

/** The root prompt with the working directory: bash's default (`\u@\h:\w\$ `), else busybox ash's (`\w # `). */
function promptOf(argv: string[], hostname: string, cwd: string): string {
  if (!argv[0]?.endsWith('bash')) return `${cwd} # `;
  return `root@${hostname}:${cwd === '/root' ? '~' : cwd}# `;
}
/** The exit code of a process interrupted by Ctrl-C (SIGINT), as a shell reports it. */
const INTERRUPTED = 130;

export interface LineEvents {
  /** Echo to the terminal. */
  echo(text: string): void;
  line(text: string): void;
  /** Ctrl-D on an empty line. */
  eof(): void;
  /** Ctrl-C. */
  interrupt(): void;
}

const MAX_LINE = 4095;

/** Input a terminal holds unread, complete lines waiting for the shell (Linux's N_TTY_BUF_SIZE). */
export const TTY_BUFFER_BYTES = 4096;

/** A terminal's canonical-mode input processing (echo, erase, kill, EOF, interrupt). */
export class LineDiscipline {
  private buffer = '';
  /** Inside an escape sequence: 1 after ESC, 2 after `ESC [` (until its final byte). */
  private escape = 0;

  constructor(private readonly events: LineEvents) {}

  feed(text: string): void {
    for (const ch of text) {
      if (this.escape === 1) { this.escape = ch === '[' || ch === 'O' ? 2 : 0; continue; }
      if (this.escape === 2) { if (ch >= '@' && ch <= '~') this.escape = 0; continue; }
      switch (ch) {
        case '\x1b': this.escape = 1; break;
        case '\r': case '\n': {
          const line = this.buffer;
          this.buffer = '';
          this.events.echo('\r\n');
          this.events.line(line);
          break;
        }
        case '\x7f': case '\b':
          if (this.buffer.length > 0) {
            this.buffer = [...this.buffer].slice(0, -1).join('');
            this.events.echo('\b \b');
          }
          break;
        case '\x15':
          this.events.echo('\b \b'.repeat([...this.buffer].length));
          this.buffer = '';
          break;
        case '\x03':
          this.buffer = '';
          this.events.echo('^C\r\n');
          this.events.interrupt();
          break;
        case '\x04':
          if (this.buffer === '') this.events.eof();
          break;
        default:
          // Linux's canonical mode holds at most 4095 characters of a line and drops the rest
          // (n_tty's buffer), which also bounds what a client typing without Enter costs.
          if ((ch >= ' ' || ch === '\t') && this.buffer.length < MAX_LINE) {
            this.buffer += ch;
            this.events.echo(ch);
          }
      }
    }
  }
}

export class TerminalSession implements RemoteProcess {
  private output: RemoteOutput | undefined;
  private discipline: LineDiscipline | undefined;
  private shell: InteractiveShell | undefined;
  private running: EffectPlayer | undefined;
  private command: ExecCommand | undefined;
  private readonly typeAhead: string[] = [];
  /** Bytes of the lines in typeAhead (each with its newline). */
  private typeAheadBytes = 0;
  /** Keys received but not yet processed: the terminal's buffer was full. */
  private unread = '';
  private feeding = false;
  private status = 0;
  private done = false;

  constructor(
    private readonly clock: Clock,
    private readonly context: ProcessContext,
    private readonly argv: string[],
    private readonly execId: string,
  ) {}

  start(output: RemoteOutput): void {
    this.output = output;
    if (!isInteractiveShell(this.argv, this.context)) return this.startCommand(output);
    this.shell = new InteractiveShell(this.context);
    this.discipline = new LineDiscipline({
      echo: (text) => output.stdout(text),
      line: (text) => (this.running ? this.queueLine(text) : this.runLine(text)),
      eof: () => { if (!this.running) this.finish(this.status); },
      interrupt: () => {
        this.typeAhead.length = 0;
        this.typeAheadBytes = 0;
        if (this.running) {
          this.running.stop();
          this.running = undefined;
          this.status = INTERRUPTED;
          this.shell!.interrupted(INTERRUPTED);
        }
        this.prompt();
      },
    });
    this.prompt();
  }

  /** A command that is not an interactive shell: run once, fed the lines typed. */
  private startCommand(output: RemoteOutput): void {
    const command = new ExecCommand(this.clock, this.context, this.argv, this.execId, true);
    this.command = command;
    this.discipline = new LineDiscipline({
      echo: (text) => output.stdout(text),
      line: (text) => command.stdin(Buffer.from(`${text}\n`)),
      eof: () => command.closeStdin(),
      interrupt: () => { command.kill(); this.finish(INTERRUPTED); },
    });
    command.start({ ...output, exit: (code) => this.finish(code), failed: (message) => { this.done = true; output.failed(message); } });
  }

  stdin(data: Buffer): void {
    if (this.done || !this.discipline) return;
    if (this.command) return this.discipline.feed(data.toString('utf8'));
    this.unread += data.toString('utf8');
    this.feed();
  }

  /**
   * Processes the keys received while the type-ahead has room, a line at a time; holds the client
   * back while keys are left over, lets it go on once all are processed.
   */
  private feed(): void {
    if (this.feeding) return; // a line run from here hands its followers back to this loop
    this.feeding = true;
    try {
      while (this.unread && !this.done && this.typeAheadBytes < TTY_BUFFER_BYTES) {
        const end = this.unread.search(/[\r\n]/);
        const keys = end < 0 ? this.unread : this.unread.slice(0, end + 1);
        this.unread = this.unread.slice(keys.length);
        this.discipline!.feed(keys);
      }
    } finally {
      this.feeding = false;
    }
    if (this.done) this.unread = '';
    if (this.unread) this.output?.input?.pause();
    else this.output?.input?.resume();
  }

  private queueLine(text: string): void {
    this.typeAhead.push(text);
    this.typeAheadBytes += Buffer.byteLength(text) + 1;
  }

  private nextLine(): string | undefined {
    const line = this.typeAhead.shift();
    if (line !== undefined) this.typeAheadBytes -= Buffer.byteLength(line) + 1;
    return line;
  }

  /** A terminal has no end of input but Ctrl-D; a closed stdin is the same. */
  closeStdin(): void {
    if (this.done) return;
    if (this.command) this.command.closeStdin();
    else if (!this.running) this.finish(this.status);
  }

  resize(): void {}

  kill(): void {
    this.done = true;
    this.running?.stop();
    this.command?.kill();
  }

  private prompt(): void {
    if (!this.done) this.output!.stdout(promptOf(this.argv, this.context.hostname, this.shell?.cwd ?? '/'));
  }

  /**
   * Runs a typed line, then the lines typed meanwhile. A line that ends at once hands the next one
   * back to this loop instead of running it from its own exit: pasted type-ahead (thousands of
   * lines behind a `sleep`) would otherwise nest calls per line until the stack overflows.
   */
  private runLine(first: string): void {
    for (let text: string | undefined = first; text !== undefined;) text = this.runOneLine(text);
  }

  /** The next typed line, if this one ended before returning (its caller runs it). */
  private runOneLine(text: string): string | undefined {
    if (this.done) return undefined;
    if (text.trim() === '') {
      this.prompt();
      return this.nextLine();
    }
    const shell = this.shell!;
    const output = this.output!;
    let starting = true;
    let handedBack: string | undefined;
    const player = new EffectPlayer(this.clock, shell.line(text), {
      out: (t, stderr) => (stderr ? output.stderr(`${t}\n`) : output.stdout(`${t}\n`)),
      exit: (code) => {
        if (this.running !== player) return;
        this.running = undefined;
        this.status = code;
        if (shell.exited) return this.finish(code);
        this.prompt();
        const next = this.nextLine(); // echoed when it was typed
        if (starting) {
          handedBack = next;
          return;
        }
        if (next !== undefined) this.runLine(next);
        this.feed(); // the buffer has room again: keys held back come in
      },
    }, undefined, output.flow);
    this.running = player;
    player.start();
    starting = false;
    return handedBack;
  }

  private finish(code: number): void {
    if (this.done) return;
    this.done = true;
    this.output!.exit(code);
  }
}
