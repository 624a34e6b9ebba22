/**
 * The status bar item: the cluster and its clock at a glance (`kube-sim · 3 nodes · 1 not ready ·
 * 2 pending · running 1×`); a click shows the Cluster view. Updates are coalesced like the tree's.
 * It also keeps the `kubeSim.clockPaused` context key that picks Pause or Resume in the view title.
 */
import * as vscode from 'vscode';
import { Coalescer } from './coalescer';
import type { ClusterState, KubeSimContext } from './context';
import { Disposable } from './dispose';
import { clockText } from './tree/nodes/cluster-node';
import { nodeReadiness } from './tree/nodes/node-node';

export class ClusterStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('kubeSim.status', vscode.StatusBarAlignment.Left, 50));
  private readonly update = new Coalescer(() => this.render(), 250);
  private unsubscribe: (() => void) | undefined;
  private readonly rendered = this.register(new vscode.EventEmitter<void>());
  /** Fires after each (coalesced) update of the item. */
  readonly onDidRender = this.rendered.event;

  constructor(private readonly ctx: KubeSimContext) {
    super();
    this.item.name = 'Kube Sim';
    this.item.command = 'kubeSim.cluster.focus';
    this.register({ dispose: () => { this.update.dispose(); this.unsubscribe?.(); } });
    this.register(ctx.onDidChangeState((state) => this.follow(state)));
    this.follow(ctx.state);
    this.item.show();
  }

  /** What the item shows now (for the integration tests). */
  get shown(): { text: string; tooltip: string } {
    const tooltip = this.item.tooltip;
    return { text: this.item.text, tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '') };
  }

  private follow(state: ClusterState): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (state.kind === 'running') {
      const model = state.session.model.onDidChange(() => this.update.schedule());
      const clock = state.session.cluster.clock.onDidChange(() => this.update.schedule());
      this.unsubscribe = () => { model(); clock(); };
    }
    this.render();
  }

  private render(): void {
    this.show();
    if (!this.isDisposed) this.rendered.fire();
  }

  private show(): void {
    const state = this.ctx.state;
    const paused = state.kind === 'running' && state.session.cluster.clock.state === 'paused';
    // The view title shows Pause or Resume by this key (package.json menus).
    void vscode.commands.executeCommand('setContext', 'kubeSim.clockPaused', paused);
    this.item.backgroundColor = undefined;
    switch (state.kind) {
      case 'starting':
        this.item.text = '$(loading~spin) Kube Sim starting';
        this.item.tooltip = 'The Kube Sim cluster is starting';
        return;
      case 'stopped':
        this.item.text = '$(debug-stop) Kube Sim stopped';
        this.item.tooltip = 'The Kube Sim cluster is not running: it starts when you open the Cluster view or apply a manifest';
        return;
      case 'failed':
        this.item.text = '$(error) Kube Sim failed';
        this.item.tooltip = state.error.message;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        return;
      case 'running': {
        const { model, cluster, info } = state.session;
        const pending = model.pendingCount();
        const nodes = model.nodeList();
        // kubectl's NotReady: Ready False or Unknown (a stopped kubelet, after the grace period).
        const notReady = nodes.reduce((n, node) => (nodeReadiness(node) === 'True' ? n : n + 1), 0);
        this.item.text = `$(${paused ? 'debug-pause' : 'server-environment'}) ${info.name} · ${nodes.length} nodes${notReady ? ` · ${notReady} not ready` : ''}${pending ? ` · ${pending} pending` : ''} · ${clockText(cluster.clock)}`;
        this.item.tooltip = `Kube Sim cluster ${info.name} ${info.version} at ${info.endpoint ?? 'in-process'}; clock ${clockText(cluster.clock)}. Click to show the Cluster view.`;
        if (paused) this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      }
    }
  }
}
