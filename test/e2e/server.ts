/**
 * The standalone server for e2e tests: starts `node dist/cli.js serve` (built beforehand by
 * `npm run build`; this helper builds nothing) on a free port with a private data directory, and
 * runs real kubectl against it with a private HOME and cache directory, so that discovery and
 * OpenAPI caches never leak between servers or into the user's ~/.kube.
 *
 *   const server = await StandaloneServer.start({ nodes: 3 });
 *   const r = await server.kubectl(['get', 'nodes']);   // { code, stdout, stderr }
 *   await server.stop();                               // SIGTERM; resolves with the exit code
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export interface StartOptions {
  nodes?: number;
  /** Reuse a data directory (restart tests); default: a fresh temporary one. */
  dataDir?: string;
  /** Extra `serve` arguments. */
  args?: string[];
  /** How long to wait for the "listening" line (wall time; default 30 s). */
  startTimeoutMs?: number;
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** Text for kubectl's stdin (`-f -`). */
  input?: string;
  /** `kube-sim` (admin, default) or `kube-sim-viewer`. */
  context?: string;
  /** Kill kubectl after this long (default 60 s). */
  timeoutMs?: number;
  cwd?: string;
  /** Extra environment variables (e.g. EDITOR for `kubectl edit`). */
  env?: Record<string, string>;
}

/** The checkout root: walks up from this file (out/test/e2e or test/e2e) to the directory holding dist/cli.js. */
export function repoRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'dist', 'cli.js'))) return dir;
    if (dirname(dir) === dir) throw new Error('dist/cli.js not found above ' + __dirname + ': run `npm run build` first');
  }
}

export function cliPath(): string {
  return join(repoRoot(), 'dist', 'cli.js');
}

export const KUBECTL = process.env.KUBECTL ?? 'kubectl';

export class StandaloneServer {
  private exitCode: number | null | undefined;
  private readonly exited: Promise<number | null>;
  stderrText = '';

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly dataDir: string,
    readonly kubeconfig: string,
    /** HOME and kubectl cache for this server's kubectl runs. */
    readonly home: string,
    private readonly ownsDataDir: boolean,
    stderr: { text: string },
  ) {
    this.exited = new Promise((resolveExit) => {
      if (child.exitCode !== null) resolveExit(child.exitCode);
      child.on('exit', (code) => {
        this.exitCode = code;
        resolveExit(code);
      });
    });
    Object.defineProperty(this, 'stderrText', { get: () => stderr.text });
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  static async start(options: StartOptions = {}): Promise<StandaloneServer> {
    const ownsDataDir = options.dataDir === undefined;
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kube-sim-e2e-'));
    const kubeconfig = join(dataDir, 'kubeconfig');
    const home = join(dataDir, 'home');
    const args = [cliPath(), 'serve', '--port', '0', '--data-dir', dataDir, '--kubeconfig', kubeconfig, '--nodes', String(options.nodes ?? 3), ...(options.args ?? [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stderr = { text: '' };
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => { stderr.text += chunk; });
    child.stdout!.setEncoding('utf8');
    const url = await new Promise<string>((resolveUrl, reject) => {
      let out = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the server did not say it was listening within ${options.startTimeoutMs ?? 30_000} ms; stdout: ${out}; stderr: ${stderr.text}`));
      }, options.startTimeoutMs ?? 30_000);
      child.stdout!.on('data', (chunk: string) => {
        out += chunk;
        const m = /^Kube Sim API server listening on (https:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
        if (m) {
          clearTimeout(timer);
          resolveUrl(m[1]!);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the server exited with ${code} before listening; stdout: ${out}; stderr: ${stderr.text}`));
      });
    });
    return new StandaloneServer(child, url, dataDir, kubeconfig, home, ownsDataDir, stderr);
  }

  /** The environment kubectl runs with: this server's kubeconfig, a private HOME and cache directory. */
  kubectlEnv(): NodeJS.ProcessEnv {
    return { ...process.env, KUBECONFIG: this.kubeconfig, HOME: this.home, KUBECACHEDIR: join(this.home, '.kube', 'cache') };
  }

  /** Runs kubectl against this server. Never throws for a non-zero exit: check `code`. */
  kubectl(args: string[], options: KubectlOptions = {}): Promise<CommandResult> {
    const fullArgs = options.context ? ['--context', options.context, ...args] : args;
    return run(KUBECTL, fullArgs, {
      env: { ...this.kubectlEnv(), ...options.env },
      input: options.input,
      timeoutMs: options.timeoutMs ?? 60_000,
      cwd: options.cwd ?? this.dataDir,
    });
  }

  /**
   * Starts a long-running kubectl (`get -w`, `wait`) and returns at once; read its output as it
   * comes with `until`, end it with `kill` (SIGTERM, as a user's Ctrl-C would).
   */
  startKubectl(args: string[], options: KubectlOptions = {}): RunningCommand {
    const fullArgs = options.context ? ['--context', options.context, ...args] : args;
    return new RunningCommand(spawn(KUBECTL, fullArgs, { env: this.kubectlEnv(), cwd: options.cwd ?? this.dataDir, stdio: ['ignore', 'pipe', 'pipe'] }), options.timeoutMs ?? 60_000);
  }

  /** Writes `text` to a file in the data directory and returns its path (manifests for `-f`). */
  writeFile(name: string, text: string): string {
    const path = resolve(this.dataDir, name);
    writeFileSync(path, text);
    return path;
  }

  /** SIGTERM, then the exit code (the server flushes and exits 0). Removes a temporary data dir unless `keepData`. */
  async stop(options: { keepData?: boolean } = {}): Promise<number | null> {
    if (this.exitCode === undefined) this.child.kill('SIGTERM');
    const code = await this.exited;
    if (this.ownsDataDir && !options.keepData) rmSync(this.dataDir, { recursive: true, force: true });
    return code;
  }

  /** SIGKILL (crash tests); keeps the data directory. */
  async kill(): Promise<void> {
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
    await this.exited;
  }
}

export function run(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: string | undefined; timeoutMs?: number; cwd?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (c: string) => { stdout += c; });
    child.stderr.on('data', (c: string) => { stderr += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolveRun({ code: -1, stdout, stderr: stderr + String(err) });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A command still running: its output so far, a way to wait for some of it, and its exit. */
export class RunningCommand {
  stdout = '';
  stderr = '';
  readonly exited: Promise<CommandResult>;
  private readonly listeners = new Set<() => void>();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly child: ChildProcess, timeoutMs: number) {
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (c: string) => { this.stdout += c; this.notify(); });
    child.stderr!.on('data', (c: string) => { this.stderr += c; this.notify(); });
    this.timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    this.exited = new Promise((resolveExit) => {
      child.on('close', (code) => {
        clearTimeout(this.timer);
        this.notify();
        resolveExit({ code, stdout: this.stdout, stderr: this.stderr });
      });
    });
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Resolves once `predicate(stdout, stderr)` holds; rejects if the command exits first. */
  until(predicate: (stdout: string, stderr: string) => boolean, what = 'the expected output'): Promise<void> {
    return new Promise((resolveWait, reject) => {
      const check = () => {
        if (predicate(this.stdout, this.stderr)) {
          this.listeners.delete(check);
          resolveWait();
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          this.listeners.delete(check);
          reject(new Error(`the command exited before printing ${what}; stdout: ${this.stdout}; stderr: ${this.stderr}`));
        }
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Stops the command (SIGTERM) and resolves with everything it printed. */
  kill(): Promise<CommandResult> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }
}
