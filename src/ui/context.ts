/**
 * The extension's one context object (rust-analyzer's Ctx): it owns every disposable the extension
 * creates and the lifecycle of the embedded cluster. activate() builds it and composes the rest;
 * commands and views take it in their constructors.
 *
 * The cluster starts in the background so that the view and the commands are there at once; whoever
 * needs the running cluster awaits `session()`, which waits for a start under way. A failed start is
 * shown to the user (with the reason, a Retry and the log) and kept as state: never swallowed.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ClusterSession } from './cluster-session';
import { Disposable } from './dispose';
import { portIsFree } from './port';
import { readClusterSettings } from './settings';

export type ClusterState =
  | { kind: 'stopped' }
  | { kind: 'starting' }
  | { kind: 'running'; session: ClusterSession }
  | { kind: 'failed'; error: Error };

export class KubeSimContext extends Disposable {
  private current: ClusterState = { kind: 'stopped' };
  private starting: Promise<ClusterSession> | undefined;
  private stopping: Promise<void> | undefined;
  private readonly stateChanged = this.register(new vscode.EventEmitter<ClusterState>());
  readonly onDidChangeState = this.stateChanged.event;

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(log);
  }

  get state(): ClusterState {
    return this.current;
  }

  /** Takes ownership of a disposable created by activate() (views, commands, listeners). */
  own<T extends vscode.Disposable>(disposable: T): T {
    return this.register(disposable);
  }

  /**
   * Starts the cluster unless it runs or is starting; resolves with the running session. A start asked
   * for while a stop or reset is under way (a followed log re-reads every 2 s) waits for it to finish:
   * it used to open the data directory before the reset deleted it, and brought the old objects back.
   */
  start(): Promise<ClusterSession> {
    if (this.current.kind === 'running') return Promise.resolve(this.current.session);
    if (this.starting) return this.starting;
    this.setState({ kind: 'starting' });
    const stopping = this.stopping;
    const starting = (stopping ? stopping.catch(() => undefined).then(() => this.startSession()) : this.startSession()).then(
      (session) => {
        this.starting = undefined;
        if (this.isDisposed) {
          void session.stop();
          throw new Error('Kube Sim was shut down while its cluster was starting');
        }
        this.setState({ kind: 'running', session });
        this.log.info(`cluster ${session.info.name} ${session.info.version} running at ${session.info.endpoint ?? '(in-process only)'}`);
        if (session.info.kubeconfigPath) this.log.info(`kubeconfig: ${session.info.kubeconfigPath}`);
        return session;
      },
      (err: unknown) => {
        this.starting = undefined;
        const error = err instanceof Error ? err : new Error(String(err));
        this.setState({ kind: 'failed', error });
        this.log.error(`the cluster failed to start: ${error.stack ?? error.message}`);
        void this.showStartFailure(error);
        throw error;
      },
    );
    this.starting = starting;
    return starting;
  }

  /** The running session: waits for a start under way, starts a stopped cluster, rejects with the reason of a failed start. */
  whenRunning(): Promise<ClusterSession> {
    const state = this.current;
    if (state.kind === 'running') return Promise.resolve(state.session);
    if (state.kind === 'failed') return Promise.reject(state.error);
    return this.start();
  }

  /**
   * The running session, for commands: waits (with progress) for a start under way, starts a stopped
   * cluster, and fails with the reason when the last start failed.
   */
  async session(): Promise<ClusterSession> {
    const state = this.current;
    if (state.kind === 'running') return state.session;
    if (state.kind === 'failed') throw new Error(`the Kube Sim cluster is not running: ${state.error.message}`);
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Starting the Kube Sim cluster…' },
      () => this.start(),
    );
  }

  /** Stops the cluster (flushing its store) and waits until it has stopped. */
  stop(): Promise<void> {
    return this.shutDown(async () => undefined);
  }

  async restart(): Promise<ClusterSession> {
    await this.stop();
    return this.start();
  }

  /** Stops the cluster, deletes its data (store, certificates, kubeconfig) and starts a fresh one. */
  async reset(): Promise<ClusterSession> {
    await this.shutDown(async () => {
      await fs.rm(this.dataDir(), { recursive: true, force: true });
      this.log.info('cluster data deleted');
    });
    return this.start();
  }

  /**
   * Stops the running cluster (or the one a start under way brings up), then runs `afterwards` with
   * no cluster running. The state reads 'stopped' at once; starts asked for meanwhile wait for all of it.
   */
  private shutDown(afterwards: () => Promise<void>): Promise<void> {
    const previous = this.stopping;
    const starting = this.starting;
    const running = this.current.kind === 'running' ? this.current.session : undefined;
    if (running) this.setState({ kind: 'stopped' });
    const stopping: Promise<void> = (async () => {
      await previous?.catch(() => undefined);
      const session = running ?? (await starting?.catch(() => undefined));
      if (session) {
        if (this.current.kind === 'running' && this.current.session === session) this.setState({ kind: 'stopped' });
        await session.stop();
        this.log.info('cluster stopped');
      }
      await afterwards();
    })().finally(() => {
      if (this.stopping === stopping) this.stopping = undefined;
    });
    this.stopping = stopping;
    return stopping;
  }

  private async startSession(): Promise<ClusterSession> {
    const settings = readClusterSettings();
    const dataDir = this.dataDir();
    await fs.mkdir(dataDir, { recursive: true });
    if (settings.port !== 0 && !(await portIsFree(settings.port))) {
      const message = `Kube Sim: port ${settings.port} (kubeSim.port) is in use; the API server listens on a free port instead.`;
      this.log.warn(message);
      void vscode.window.showWarningMessage(message, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'kubeSim.port');
      });
      settings.port = 0;
    }
    this.log.info(`starting the cluster: ${settings.nodes} worker node(s)${settings.extraNodes.length ? ` and ${settings.extraNodes.length} more (kubeSim.extraNodes)` : ''}, speed ${settings.speed}, port ${settings.port || 'any free'}, data in ${dataDir}`);
    return ClusterSession.start({ ...settings, dataDir, log: (line) => this.log.info(line) });
  }

  /** Per workspace when there is one, so two windows on different folders run separate clusters. */
  private dataDir(): string {
    const base = this.extension.storageUri ?? this.extension.globalStorageUri;
    return path.join(base.fsPath, 'cluster');
  }

  private setState(state: ClusterState): void {
    this.current = state;
    if (!this.isDisposed) this.stateChanged.fire(state);
  }

  private async showStartFailure(error: Error): Promise<void> {
    const choice = await vscode.window.showErrorMessage(`Kube Sim could not start its cluster: ${error.message}`, 'Retry', 'Show Log');
    if (choice === 'Show Log') this.log.show();
    if (choice === 'Retry') this.start().catch(() => undefined);
  }
}
