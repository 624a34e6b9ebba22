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
import { EventsNode } from './nodes/events-node';
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

  getChildren(node?: ViewNode): ViewNode[] | Promise<ViewNode[]> {
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
    const parent = node ? new NodeNode(cluster, node, state.session) : new PendingPodsNode(cluster, state.session);
    return new PodNode(parent, pod, state.session);
  }

  /** The row of node `name`, or undefined. */
  nodeNode(name: string): NodeNode | undefined {
    const state = this.ctx.state;
    if (state.kind !== 'running') return undefined;
    const node = state.session.model.node(name);
    return node ? new NodeNode(new ClusterNode(state.session), node, state.session) : undefined;
  }

  /**
   * Walks the tree as the view would, expanding the rows VS Code shows expanded (for tests); rows
   * whose children are fetched through the API (events) are not expanded.
   */
  async render(nodes: ViewNode[] = this.roots()): Promise<RenderedTreeItem[]> {
    const out: RenderedTreeItem[] = [];
    for (const node of nodes) {
      const item = node.getTreeItem();
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      const expand = item.collapsibleState !== vscode.TreeItemCollapsibleState.None && !(node instanceof EventsNode);
      const rendered: RenderedTreeItem = { label, children: expand ? await this.render(await node.getChildren()) : [] };
      if (typeof item.description === 'string') rendered.description = item.description;
      if (item.contextValue) rendered.contextValue = item.contextValue;
      if (item.iconPath instanceof vscode.ThemeIcon) rendered.icon = item.iconPath.color ? `${item.iconPath.id} ${item.iconPath.color.id}` : item.iconPath.id;
      out.push(rendered);
    }
    return out;
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
    this.unsubscribeModel = undefined;
    if (state.kind === 'running') {
      const model = state.session.model.onDidChange(() => this.repaint.schedule());
      const clock = state.session.cluster.clock.onDidChange(() => this.repaint.schedule());
      this.unsubscribeModel = () => { model(); clock(); };
    }
    this.repaint.schedule();
  }

  private fireRepaint(): void {
    this.changed.fire(undefined);
    this.repainted.fire();
  }
}
