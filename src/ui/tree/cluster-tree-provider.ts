/**
 * The `kubeSim.cluster` view's data: the cluster, its Nodes and their Pods, and the Pending pods,
 * read from the informer-fed ClusterModel. Informer changes arrive one by one; repaints are
 * coalesced so that a burst of changes (thousands of heartbeats) is one repaint.
 */
import * as vscode from 'vscode';
import type { RenderedTreeItem } from '../api';
import { Coalescer } from '../coalescer';
import type { ClusterState, KubeSimContext } from '../context';
import { Disposable } from '../dispose';
import { ClusterNode } from './nodes/cluster-node';
import { MessageNode } from './nodes/message-node';
import { NodeNode } from './nodes/node-node';
import { PendingPodsNode } from './nodes/pending-pods-node';
import { PodNode } from './nodes/pod-node';
import type { ViewNode } from './nodes/view-node';

/** How long changes gather before one repaint. */
export const REPAINT_DELAY_MS = 100;

export class ClusterTreeProvider extends Disposable implements vscode.TreeDataProvider<ViewNode> {
  private readonly changed = this.register(new vscode.EventEmitter<ViewNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly repainted = this.register(new vscode.EventEmitter<void>());
  /** Fires after each repaint has been announced to the view. */
  readonly onDidRepaint = this.repainted.event;
  private readonly repaint = new Coalescer(() => this.fireRepaint(), REPAINT_DELAY_MS);
  private unsubscribeModel: (() => void) | undefined;

  constructor(private readonly ctx: KubeSimContext) {
    super();
    this.register({ dispose: () => this.repaint.dispose() });
    this.register({ dispose: () => this.unsubscribeModel?.() });
    this.register(ctx.onDidChangeState((state) => this.follow(state)));
    this.follow(ctx.state);
  }

  refresh(): void {
    this.repaint.schedule();
  }

  /** Sends a pending repaint to the view at once, so that a reveal that follows finds the new rows. */
  repaintNow(): void {
    this.repaint.flushNow();
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: ViewNode): ViewNode[] {
    return node ? node.getChildren() : this.roots();
  }

  getParent(node: ViewNode): ViewNode | undefined {
    return node.parent;
  }

  /** The row of pod `namespace/name` as the tree shows it now, or undefined if the model lacks it. */
  podNode(namespace: string, name: string): PodNode | undefined {
    const state = this.ctx.state;
    if (state.kind !== 'running') return undefined;
    const model = state.session.model;
    const pod = model.pod(namespace, name);
    if (!pod) return undefined;
    const cluster = new ClusterNode(state.session);
    const nodeName = pod.spec?.nodeName;
    const node = nodeName ? model.node(nodeName) : undefined;
    if (nodeName && !node) return undefined;
    const parent = node ? new NodeNode(cluster, node, model) : new PendingPodsNode(cluster, model);
    return new PodNode(parent, pod);
  }

  /** Walks the whole tree as the view would when every row is expanded (for tests). */
  render(nodes: ViewNode[] = this.roots()): RenderedTreeItem[] {
    return nodes.map((node) => {
      const item = node.getTreeItem();
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      const rendered: RenderedTreeItem = { label, children: this.render(node.getChildren()) };
      if (typeof item.description === 'string') rendered.description = item.description;
      if (item.contextValue) rendered.contextValue = item.contextValue;
      return rendered;
    });
  }

  private roots(): ViewNode[] {
    const state = this.ctx.state;
    switch (state.kind) {
      case 'running':
        return [new ClusterNode(state.session)];
      case 'starting':
        return [new MessageNode('Starting the cluster…', new vscode.ThemeIcon('loading~spin'))];
      case 'failed':
        return [new MessageNode('The cluster failed to start', new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')), state.error.message)];
      case 'stopped':
        return [new MessageNode('The cluster is stopped', new vscode.ThemeIcon('debug-stop'))];
    }
  }

  private follow(state: ClusterState): void {
    this.unsubscribeModel?.();
    this.unsubscribeModel = state.kind === 'running' ? state.session.model.onDidChange(() => this.repaint.schedule()) : undefined;
    this.repaint.schedule();
  }

  private fireRepaint(): void {
    this.changed.fire(undefined);
    this.repainted.fire();
  }
}
