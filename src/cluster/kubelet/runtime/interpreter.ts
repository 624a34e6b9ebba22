/**
 * Runs a container's command the way the image would: the image's entrypoint and cmd combined
 * with the pod's `command`/`args` (Kubernetes rules), then a small shell and a set of programs.
 *
 * A running process is a generator of effects the runtime plays against the cluster clock:
 * `sleep` (virtual milliseconds, Infinity = blocks forever), `out` (a log line; `stderr` for the
 * error messages programs print there), `serve` (the process now listens on ports and blocks until
 * stopped), `memory` (resident memory, checked against the memory limit), `input` (the process
 * reads its standard input: resume it once `ProcessContext.stdin` has ended). Its return value is
 * the exit code.
 */
import type { CatalogImage, ServerProgram } from './catalog';
import { parseShell, ShellSyntaxError, type ShellNode, type Word } from './shell-parser';
import { processEnv } from './env';

export type Effect =
  | { type: 'sleep'; ms: number }
  | { type: 'out'; text: string; stderr?: true }
  | { type: 'input' }
  | { type: 'serve'; program: ServerProgram }
  | { type: 'memory'; bytes: number };

export type Process = Generator<Effect, number, void>;

export interface ProcessContext {
  image: CatalogImage;
  /** Read through processEnv (runtime/env.ts): it may be an image's shared environment. */
  env: Readonly<Record<string, string>>;
  /** The container's files: mounted ConfigMaps and Secrets, and what the process writes. */
  files: Map<string, string>;
  hostname: string;
  now(): number;
  /**
   * The process's standard input, once it has ended (`kubectl exec -i`); read after an `input`
   * effect. Absent: stdin is empty (containers, probes), and no `input` effect is ever yielded.
   */
  stdin?: () => string[];
}

export type StartResult = { process: Process } | { error: string };

const MiB = 1024 * 1024;
/** A loop that runs this many rounds without time passing is busy forever (and prints no more). */
const BUSY_LOOP_ROUNDS = 1000;

/** The argv Kubernetes runs: `command` replaces ENTRYPOINT (and drops CMD), `args` replaces CMD. */
export function effectiveArgv(image: CatalogImage, command?: string[], args?: string[]): string[] {
  if (command && command.length > 0) return [...command, ...(args ?? [])];
  return [...(image.entrypoint ?? []), ...(args && args.length > 0 ? args : image.cmd ?? [])];
}

/** The OCI runtime's error when the executable is missing, as containerd reports it. */
export function startErrorMessage(executable: string): string {
  const what = executable.includes('/')
    ? `exec: "${executable}": stat ${executable}: no such file or directory`
    : `exec: "${executable}": executable file not found in $PATH`;
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ${what}: unknown`;
}

class Exit {
  constructor(readonly code: number) {}
}

const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash']);
const ENTRYPOINT_SCRIPTS = new Set(['docker-entrypoint.sh', 'entrypoint.sh']);
const UTILITIES = new Set(['sleep', 'echo', 'printf', 'true', 'false', 'env', 'printenv', 'cat', 'touch', 'rm', 'date', 'hostname', 'tail', 'mkdir', 'ls', 'stress', 'python', 'python3', 'node', 'seq', 'head', 'grep', 'wc', 'curl', 'wget', 'nc', 'whoami', 'id', 'uname', 'pwd', 'test', '[', 'yes']);

export function startProcess(argv: string[], ctx: ProcessContext): StartResult {
  if (argv.length === 0) return { error: 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: no command specified: unknown' };
  const name = base(argv[0]!);
  if (!resolvable(name, ctx)) return { error: startErrorMessage(argv[0]!) };
  return { process: new Shell(ctx).program(argv) };
}

/**
 * An interactive shell (`kubectl exec -it POD -- sh`): each line typed is run by the same shell,
 * so variables and `$?` persist. `exited` says the last line ran `exit`.
 */
export class InteractiveShell {
  private readonly shell: Shell;
  exited = false;

  constructor(ctx: ProcessContext) {
    this.shell = new Shell(ctx);
  }

  /** The running line was interrupted (Ctrl-C, 130). */
  interrupted(status: number): void {
    this.shell.interrupted(status);
  }

  /** The working directory, for the prompt. */
  get cwd(): string {
    return this.shell.cwd;
  }

  *line(src: string): Process {
    try {
      return yield* this.shell.line(src);
    } catch (err) {
      if (!(err instanceof Exit)) throw err;
      this.exited = true;
      return err.code;
    }
  }
}

/** Whether `argv` starts an interactive shell when given a terminal: a shell with no script. */
export function isInteractiveShell(argv: string[], ctx: ProcessContext): boolean {
  if (argv.length === 0 || !SHELLS.has(base(argv[0]!)) || !resolvable(base(argv[0]!), ctx)) return false;
  return argv.slice(1).every((a) => a.startsWith('-') && a !== '-c');
}

function resolvable(name: string, ctx: ProcessContext): boolean {
  if (ctx.image.servers?.[name] || (ctx.image.printsAndExits && name === base(ctx.image.cmd?.[0] ?? ''))) return true;
  if (ctx.image.noShell) return false;
  return SHELLS.has(name) || ENTRYPOINT_SCRIPTS.has(name) || UTILITIES.has(name) || name === 'docker-entrypoint.sh';
}

/** busybox `date`: `Thu Jan  1 00:00:00 UTC 2026`. */
function formatDate(ms: number): string {
  const d = new Date(ms);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day} ${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** `sleep` durations: `30`, `0.5`, `2m`, `1h`, `infinity`. */
function parseDuration(text: string): number | undefined {
  if (text === 'infinity' || text === 'inf') return Infinity;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text);
  if (!m) return undefined;
  const unit = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/** Size arguments of `stress --vm-bytes`: `250M`, `1G`, `512k`, bytes. */
function parseBytes(text: string): number {
  const m = /^(\d+)([bBkKmMgG]?)$/.exec(text);
  if (!m) return 256 * MiB;
  const unit = { '': 1, b: 1, k: 1024, m: MiB, g: 1024 * MiB }[m[2]!.toLowerCase() as '' | 'b' | 'k' | 'm' | 'g'];
  return Number(m[1]) * unit;
}

function arithmetic(expr: string, vars: Record<string, string>): number {
  const tokens = expr.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|\$[A-Za-z_][A-Za-z0-9_]*|[-+*/%()]/g) ?? [];
  let i = 0;
  const value = (): number => {
    const t = tokens[i++];
    if (t === undefined) return 0;
    if (t === '(') { const v = sum(); i++; return v; }
    if (t === '-') return -value();
    if (/^\d+$/.test(t)) return Number(t);
    return Number(vars[t.replace(/^\$/, '')] ?? 0) || 0;
  };
  const product = (): number => {
    let v = value();
    while (tokens[i] === '*' || tokens[i] === '/' || tokens[i] === '%') {
      const op = tokens[i++];
      const r = value();
      v = op === '*' ? v * r : r === 0 ? 0 : op === '/' ? Math.trunc(v / r) : v % r;
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (tokens[i] === '+' || tokens[i] === '-') { const op = tokens[i++]; const r = product(); v = op === '+' ? v + r : v - r; }
    return v;
  };
  return sum();
}

/**
 * Output capture for redirections, pipes and `$(…)`: stdout (and stderr too with `all`, as `&>`)
 * goes to `sink` instead of the log; stderr passes through, as a shell's would.
 */
function* capture(inner: Process, sink: string[], all = false): Process {
  for (;;) {
    const step = inner.next();
    if (step.done) return step.value;
    if (step.value.type === 'out' && (all || !step.value.stderr)) sink.push(step.value.text);
    else yield step.value;
  }
}

const err = (text: string): Effect => ({ type: 'out', text, stderr: true });

/** `>&2` (stdout to stderr), `2>&1` (stderr to stdout), `2>FILE` (stderr into `stderrSink`). */
function* restream(inner: Process, stdoutToStderr: boolean, stderrToStdout: boolean, stderrSink: string[] | undefined): Process {
  for (;;) {
    const step = inner.next();
    if (step.done) return step.value;
    const effect = step.value;
    if (effect.type !== 'out') yield effect;
    else if (!effect.stderr) yield stdoutToStderr ? err(effect.text) : effect;
    else if (stderrSink) stderrSink.push(effect.text);
    else yield stderrToStdout ? { type: 'out', text: effect.text } : effect;
  }
}

/** The process's own standard input (as opposed to a pipe's): read from ProcessContext.stdin on demand. */
const PROCESS_STDIN: readonly string[] = Object.freeze([]);

/** Directories every image has, for `cd`, `ls` and `test -d` (files are only those mounted or written). */
const IMAGE_DIRECTORIES = new Set(['/bin', '/dev', '/etc', '/home', '/proc', '/root', '/sys', '/tmp', '/usr', '/usr/bin', '/usr/local', '/var', '/var/log', '/var/run']);

class Shell {
  private readonly vars: Record<string, string>;
  private status = 0;
  /** The working directory (`cd`), against which relative paths resolve. */
  cwd = '/';
  private roundsWithoutTime = 0;

  constructor(private readonly ctx: ProcessContext) {
    this.vars = processEnv(ctx.env, ctx.hostname);
  }

  *program(argv: string[]): Process {
    try {
      return yield* this.run(argv, PROCESS_STDIN as string[]);
    } catch (err) {
      if (err instanceof Exit) return err.code;
      throw err;
    }
  }

  /** One line typed at an interactive shell: `$?` and variables carry over to the next; `exit` throws Exit. */
  *line(src: string): Process {
    this.status = yield* this.script(src, 'sh');
    return this.status;
  }

  /** The line was ended from outside (Ctrl-C): its status is what `$?` says next. */
  interrupted(status: number): void {
    this.status = status;
  }

  private *script(src: string, shellName: string): Process {
    let node: ShellNode;
    try {
      node = parseShell(src);
    } catch (err) {
      if (!(err instanceof ShellSyntaxError)) throw err;
      yield { type: 'out', text: `${shellName}: ${err.message}`, stderr: true };
      return 2;
    }
    return yield* this.exec(node, []);
  }

  private *exec(node: ShellNode, stdin: string[]): Process {
    switch (node.t) {
      case 'list': {
        let status = 0;
        for (const { op, node: item } of node.items) {
          if (op === '&&' && status !== 0) continue;
          if (op === '||' && status === 0) continue;
          status = yield* this.exec(item, stdin);
          this.status = status;
        }
        return status;
      }
      case 'group':
        return yield* this.exec(node.body, stdin);
      case 'pipe': {
        let input = stdin;
        let status = 0;
        node.cmds.forEach(() => undefined);
        for (let i = 0; i < node.cmds.length; i++) {
          const last = i === node.cmds.length - 1;
          if (last) status = yield* this.exec(node.cmds[i]!, input);
          else { const out: string[] = []; yield* capture(this.exec(node.cmds[i]!, input), out); input = out; }
        }
        return node.negate ? (status === 0 ? 1 : 0) : status;
      }
      case 'while': {
        for (;;) {
          const cond = yield* this.exec(node.cond, stdin);
          if ((cond === 0) === node.until) return 0;
          yield* this.exec(node.body, stdin);
          if (++this.roundsWithoutTime > BUSY_LOOP_ROUNDS) yield { type: 'sleep', ms: Infinity };
        }
      }
      case 'for': {
        let status = 0;
        const items = node.items.flatMap((w) => this.expandWord(w, true));
        for (const item of items) {
          this.vars[node.name] = item;
          status = yield* this.exec(node.body, stdin);
        }
        return status;
      }
      case 'if': {
        for (const branch of node.branches) {
          if ((yield* this.exec(branch.cond, stdin)) === 0) return yield* this.exec(branch.body, stdin);
        }
        return node.otherwise ? yield* this.exec(node.otherwise, stdin) : 0;
      }
      case 'cmd': {
        const argv = node.words.flatMap((w) => this.expandWord(w, true));
        for (const { name, value } of node.assigns) {
          const text = this.expandWord(value, false).join('');
          if (argv.length === 0) this.vars[name] = text;
        }
        if (argv.length === 0) return 0;
        const target = node.redirects.find((r) => r.op === '>' || r.op === '>>' || r.op === '&>');
        const input = node.redirects.find((r) => r.op === '<');
        let commandStdin = stdin;
        if (input?.target) {
          const path = this.expandWord(input.target, false).join('');
          const content = this.ctx.files.get(this.abs(path));
          if (content === undefined) { yield err(`sh: can't open '${path}': no such file`); return 1; }
          commandStdin = content.split('\n');
        }
        const errTarget = node.redirects.find((r) => r.op === '2>')?.target;
        const errSink: string[] | undefined = errTarget ? [] : undefined;
        const toStderr = node.redirects.some((r) => r.op === '>&2');
        const merged = node.redirects.some((r) => r.op === '2>&1');
        let process = this.run(argv, commandStdin);
        if (errSink || toStderr || merged) process = restream(process, toStderr, merged, errSink);
        let status: number;
        if (!target?.target) status = yield* process;
        else {
          const out: string[] = [];
          status = yield* capture(process, out, target.op === '&>');
          yield* this.writeOutput(this.expandWord(target.target, false).join(''), out, target.op === '>>', false);
        }
        if (errTarget && errSink) yield* this.writeOutput(this.expandWord(errTarget, false).join(''), errSink, false, true);
        return status;
      }
    }
  }

  /** `path` made absolute against the working directory, `.` and `..` resolved. */
  private abs(path: string): string {
    const parts: string[] = [];
    for (const segment of (path.startsWith('/') ? path : `${this.cwd}/${path}`).split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') parts.pop();
      else parts.push(segment);
    }
    return '/' + parts.join('/');
  }

  /** A directory: one of the image's usual ones, or one holding a file (mounted or written). */
  private isDirectory(path: string): boolean {
    if (path === '/' || IMAGE_DIRECTORIES.has(path)) return true;
    const prefix = `${path}/`;
    for (const file of this.ctx.files.keys()) if (file.startsWith(prefix)) return true;
    return false;
  }

  /** busybox `ls` without a terminal: one name per line; a directory's entries, sorted. */
  private *ls(args: string[]): Process {
    const targets = args.filter((a) => !a.startsWith('-'));
    let status = 0;
    for (const target of targets.length > 0 ? targets : ['.']) {
      const path = this.abs(target);
      if (this.ctx.files.has(path)) { yield { type: 'out', text: target }; continue; }
      if (!this.isDirectory(path)) { yield err(`ls: ${target}: No such file or directory`); status = 1; continue; }
      const prefix = path === '/' ? '/' : `${path}/`;
      const entries = new Set<string>();
      for (const p of [...IMAGE_DIRECTORIES, ...this.ctx.files.keys()]) {
        if (p.startsWith(prefix) && p.length > prefix.length) entries.add(p.slice(prefix.length).split('/')[0]!);
      }
      for (const entry of [...entries].sort()) yield { type: 'out', text: entry };
    }
    return status;
  }

  /** Redirected output: to a file (the container's), or back out for /dev/stdout and the like. */
  private *writeOutput(path: string, lines: string[], append: boolean, stderr: boolean): Generator<Effect, void, void> {
    if (path === '/dev/null') return;
    if (path === '/dev/stdout' || path === '/proc/1/fd/1' || path === '/dev/stderr' || path === '/proc/1/fd/2') {
      const toStderr = stderr ? path !== '/dev/stdout' && path !== '/proc/1/fd/1' : path === '/dev/stderr' || path === '/proc/1/fd/2';
      for (const text of lines) yield toStderr ? err(text) : { type: 'out', text };
      return;
    }
    const file = this.abs(path);
    const previous = append ? this.ctx.files.get(file) ?? '' : '';
    this.ctx.files.set(file, previous + lines.map((l) => `${l}\n`).join(''));
  }

  private expandWord(word: Word, split: boolean): string[] {
    let text = '';
    let quotedAny = false;
    const fields: string[] = [];
    for (const part of word) {
      if (part.quoted) quotedAny = true;
      let value: string;
      if (part.kind === 'lit') value = part.text;
      else if (part.kind === 'var') value = this.variable(part.name);
      else if (part.kind === 'arith') value = String(arithmetic(part.expr, this.vars));
      else value = this.substitute(part.script);
      if (split && !part.quoted && part.kind !== 'lit') {
        const pieces = value.split(/[ \t\n]+/);
        text += pieces[0];
        for (let i = 1; i < pieces.length; i++) { fields.push(text); text = pieces[i]!; }
      } else text += value;
    }
    if (text || quotedAny || !split) fields.push(text);
    return fields.filter((f, i) => f !== '' || quotedAny || i < fields.length - 1 || !split);
  }

  private variable(name: string): string {
    if (name === '?') return String(this.status);
    if (name === '$') return '1';
    if (name === 'HOSTNAME') return this.vars.HOSTNAME ?? this.ctx.hostname;
    const m = /^([A-Za-z_][A-Za-z0-9_]*):?-(.*)$/.exec(name);
    if (m) return this.vars[m[1]!] || m[2]!;
    return this.vars[name] ?? '';
  }

  /** `$(…)`: runs the command at once; time it would sleep does not pass. */
  private substitute(script: string): string {
    const out: string[] = [];
    const inner = capture(this.script(script, 'sh'), out);
    for (let i = 0; i < 10_000; i++) if (inner.next().done) break;
    return out.join('\n').replace(/\n+$/, '');
  }

  private *run(argv: string[], stdin: string[]): Process {
    const [command, ...args] = argv as [string, ...string[]];
    const name = base(command);
    const server = this.ctx.image.servers?.[name];
    if (server) return yield* this.serve(server);
    if (this.ctx.image.printsAndExits && name === base(this.ctx.image.cmd?.[0] ?? '')) {
      for (const text of this.ctx.image.printsAndExits) yield { type: 'out', text };
      return 0;
    }
    if (this.ctx.image.noShell || (!UTILITIES.has(name) && !SHELLS.has(name) && !ENTRYPOINT_SCRIPTS.has(name) && !['exit', 'export', 'set', 'trap', 'cd', 'exec', ':', 'unset', 'wait'].includes(name))) {
      yield err(`sh: ${command}: not found`);
      return 127;
    }
    switch (name) {
      case 'sh': case 'bash': case 'ash': case 'dash': {
        const c = args.indexOf('-c');
        if (c >= 0) {
          const script = args[c + 1];
          if (script === undefined) { yield err(`${name}: -c requires an argument`); return 2; }
          return yield* this.script(script, name);
        }
        const file = args.find((a) => !a.startsWith('-'));
        if (!file) {
          // No script: the shell reads one from stdin (empty for a container: it exits at once).
          const lines = yield* this.read(stdin);
          return lines.length > 0 ? yield* this.script(lines.join('\n'), name) : 0;
        }
        const content = this.ctx.files.get(this.abs(file));
        if (content === undefined) { yield err(`${name}: can't open '${file}': No such file or directory`); return 2; }
        return yield* this.script(content, name);
      }
      case 'docker-entrypoint.sh': case 'entrypoint.sh':
        return args.length > 0 ? yield* this.run(args, stdin) : 0;
      case 'exec':
        return args.length > 0 ? yield* this.run(args, stdin) : 0;
      case 'exit':
        throw new Exit(args[0] === undefined ? this.status : Number(args[0]) & 255);
      case 'true': case ':': case 'export': case 'set': case 'trap': case 'unset': case 'wait':
        if (name === 'export') for (const a of args) { const i = a.indexOf('='); if (i > 0) this.vars[a.slice(0, i)] = a.slice(i + 1); }
        return 0;
      case 'false':
        return 1;
      case 'sleep': {
        const ms = args.reduce<number | undefined>((sum, a) => { const d = parseDuration(a); return sum === undefined || d === undefined ? undefined : sum + d; }, 0);
        if (args.length === 0 || ms === undefined) { yield err(`sleep: invalid number '${args[0] ?? ''}'`); return 1; }
        this.roundsWithoutTime = 0;
        yield { type: 'sleep', ms };
        return 0;
      }
      case 'echo': {
        let rest = args;
        let newline = true;
        let escapes = false;
        while (rest[0] && /^-[neE]+$/.test(rest[0])) { if (rest[0].includes('n')) newline = false; if (rest[0].includes('e')) escapes = true; rest = rest.slice(1); }
        let text = rest.join(' ');
        if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
        for (const line of text.split('\n')) yield { type: 'out', text: line };
        void newline;
        return 0;
      }
      case 'printf': {
        let i = 1;
        const text = (args[0] ?? '').replace(/%[sd]/g, () => args[i++] ?? '').replace(/\\n/g, '\n').replace(/\\t/g, '\t');
        const lines = text.split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        for (const line of lines) yield { type: 'out', text: line };
        return 0;
      }
      case 'env': case 'printenv': {
        if (name === 'printenv' && args.length > 0) {
          let status = 0;
          for (const a of args) { const v = a === 'HOSTNAME' ? this.variable(a) : this.vars[a]; if (v === undefined) status = 1; else yield { type: 'out', text: v }; }
          return status;
        }
        for (const [k, v] of Object.entries({ ...this.vars, HOSTNAME: this.variable('HOSTNAME') })) yield { type: 'out', text: `${k}=${v}` };
        return 0;
      }
      case 'cat': case 'head': case 'tail': case 'grep': case 'wc': {
        if (name === 'tail' && args.includes('-f') && (args.includes('/dev/null') || args.length === 1)) { yield { type: 'sleep', ms: Infinity }; return 0; }
        const files = args.filter((a) => !a.startsWith('-') && !(name === 'grep' && a === args.find((x) => !x.startsWith('-'))) && !/^\d+$/.test(a));
        let lines: string[] = [];
        let status = 0;
        if (files.length === 0) lines = yield* this.read(stdin);
        for (const file of files) {
          const content = this.ctx.files.get(this.abs(file));
          if (content === undefined) { yield err(`${name}: can't open '${file}': No such file or directory`); status = 1; continue; }
          lines.push(...content.replace(/\n$/, '').split('\n'));
        }
        if (name === 'head') lines = lines.slice(0, Number(args[args.indexOf('-n') + 1]) || 10);
        if (name === 'tail') lines = lines.slice(-(Number(args[args.indexOf('-n') + 1]) || 10));
        if (name === 'grep') { const pattern = args.find((x) => !x.startsWith('-')) ?? ''; lines = lines.filter((l) => l.includes(pattern)); if (lines.length === 0) status = 1; }
        if (name === 'wc') lines = [String(lines.length)];
        for (const text of lines) yield { type: 'out', text };
        if (name === 'tail' && args.includes('-f')) yield { type: 'sleep', ms: Infinity };
        return status;
      }
      case 'touch':
        for (const a of args.map((x) => this.abs(x))) if (!this.ctx.files.has(a)) this.ctx.files.set(a, '');
        return 0;
      case 'rm':
        for (const a of args.filter((x) => !x.startsWith('-'))) this.ctx.files.delete(this.abs(a));
        return 0;
      case 'ls': return yield* this.ls(args);
      case 'cd': {
        const target = this.abs(args[0] ?? this.vars.HOME ?? '/');
        if (!this.isDirectory(target)) { yield err(`sh: cd: can't cd to ${args[0]}: No such file or directory`); return 2; }
        this.cwd = target;
        this.vars.PWD = target;
        return 0;
      }
      case 'mkdir': case 'pwd': case 'whoami': case 'id': case 'uname':
        if (name === 'whoami') yield { type: 'out', text: 'root' };
        if (name === 'pwd') yield { type: 'out', text: this.cwd };
        if (name === 'uname') yield { type: 'out', text: 'Linux' };
        return 0;
      case 'test': case '[': {
        const a = args.filter((x) => x !== ']');
        if (a[0] === '-f') return this.ctx.files.has(this.abs(a[1] ?? '')) ? 0 : 1;
        if (a[0] === '-e') return this.ctx.files.has(this.abs(a[1] ?? '')) || this.isDirectory(this.abs(a[1] ?? '')) ? 0 : 1;
        if (a[0] === '-d') return this.isDirectory(this.abs(a[1] ?? '')) ? 0 : 1;
        if (a[0] === '-n') return (a[1] ?? '') !== '' ? 0 : 1;
        if (a[0] === '-z') return (a[1] ?? '') === '' ? 0 : 1;
        if (a[1] === '=' || a[1] === '==') return a[0] === a[2] ? 0 : 1;
        if (a[1] === '!=') return a[0] !== a[2] ? 0 : 1;
        const n = (x?: string) => Number(x ?? 0);
        const ops: Record<string, (x: number, y: number) => boolean> = { '-eq': (x, y) => x === y, '-ne': (x, y) => x !== y, '-lt': (x, y) => x < y, '-le': (x, y) => x <= y, '-gt': (x, y) => x > y, '-ge': (x, y) => x >= y };
        const op = ops[a[1] ?? ''];
        if (op) return op(n(a[0]), n(a[2])) ? 0 : 1;
        return a.length === 1 && a[0] !== '' ? 0 : 1;
      }
      case 'date':
        yield { type: 'out', text: formatDate(this.ctx.now()) };
        return 0;
      case 'hostname':
        yield { type: 'out', text: this.ctx.hostname };
        return 0;
      case 'seq': {
        const nums = args.map(Number);
        const [from, to] = nums.length === 1 ? [1, nums[0]!] : [nums[0]!, nums[1]!];
        for (let i = from; i <= to && i - from < 100_000; i++) yield { type: 'out', text: String(i) };
        return 0;
      }
      case 'yes':
        yield { type: 'sleep', ms: Infinity };
        return 0;
      case 'stress': return yield* this.stress(args);
      case 'python': case 'python3': case 'node': {
        yield { type: 'memory', bytes: 30 * MiB };
        if (args[0] === '-m' && args[1] === 'http.server') {
          const port = Number(args[2] ?? 8000) || 8000;
          return yield* this.serve({ ports: [port], httpPorts: [port], startLog: [`Serving HTTP on 0.0.0.0 port ${port} (http://0.0.0.0:${port}/) ...`], memoryBytes: 20 * MiB, stopsOnSigterm: false });
        }
        const script = args.find((a) => !a.startsWith('-'));
        if (script && !(args[0] === '-c' || args[0] === '-e')) {
          if (name === 'node') yield err(`Error: Cannot find module '${script.startsWith('/') ? script : `/${script}`}'`);
          else yield err(`${name}: can't open file '${script}': [Errno 2] No such file or directory`);
          return name === 'node' ? 1 : 2;
        }
        return 0; // no terminal: the REPL reads an empty stdin and exits
      }
      case 'curl': case 'wget': case 'nc':
        yield { type: 'sleep', ms: 1000 };
        if (args.length === 0) { yield err(`${name}: try '${name} --help' for more information`); return 2; }
        return 0;
      default:
        return 0;
    }
  }

  /** The lines of `stdin`; the process's own stdin is waited for (an `input` effect) when there is one. */
  private *read(stdin: string[]): Generator<Effect, string[], void> {
    if (stdin !== PROCESS_STDIN || !this.ctx.stdin) return stdin;
    yield { type: 'input' };
    return this.ctx.stdin();
  }

  private *serve(program: ServerProgram): Process {
    const required = program.requiredEnv;
    if (required && !required.anyOf.some((v) => this.vars[v])) {
      for (const text of required.log) yield { type: 'out', text };
      return required.exitCode;
    }
    yield { type: 'memory', bytes: program.memoryBytes };
    for (const line of program.startLog) yield { type: 'out', text: line.includes('$HOSTNAME') ? line.replace(/\$HOSTNAME/g, this.ctx.hostname) : line };
    yield { type: 'serve', program };
    return 0;
  }

  /** polinux/stress: `--vm N --vm-bytes 250M` allocates; `--timeout Ns` ends it. */
  private *stress(args: string[]): Process {
    const opt = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
    if (args.includes('--help') || args.length === 0) {
      yield { type: 'out', text: "`stress' imposes certain types of compute stress on your system" };
      return 1;
    }
    const vm = Number(opt('--vm') ?? opt('-m') ?? 0);
    yield { type: 'out', text: `stress: info: [1] dispatching hogs: ${opt('--cpu') ?? 0} cpu, ${opt('--io') ?? 0} io, ${vm} vm, ${opt('--hdd') ?? 0} hdd` };
    if (vm > 0) yield { type: 'memory', bytes: vm * parseBytes(opt('--vm-bytes') ?? '256M') };
    const timeout = opt('--timeout') ?? opt('-t');
    yield { type: 'sleep', ms: timeout ? parseDuration(timeout) ?? Infinity : Infinity };
    yield { type: 'out', text: 'stress: info: [1] successful run completed in ' + (timeout ?? '0s') };
    return 0;
  }
}
