import * as vscode from 'vscode';
import type { VirtualClock } from '../../../cluster/clock';
import type { ClusterSession } from '../../cluster-session';
import { NodeNode } from './node-node';
import { PendingPodsNode } from './pending-pods-node';
import { ContextValues, ViewNode } from './view-node';

export const CLUSTER_NODE_ID = 'cluster';

/** `running 10×`, `paused`: the clock as the cluster row and the status bar say it. */
export function clockText(clock: VirtualClock): string {
  if (clock.state === 'paused') return 'paused';
  const speed = clock.speed;
  return `running ${Number.isFinite(speed) ? `${+speed.toFixed(2)}×` : 'as fast as possible'}`;
}

/** `127.0.0.1:41235`: the endpoint without the scheme, short enough for the sidebar. */
export function shortEndpoint(endpoint: string | undefined): string {
  return endpoint ? endpoint.replace(/^https:\/\//, '') : 'in-process';
}

/** The root: the embedded cluster (name, version, endpoint, clock), its Nodes, and the Pending pods. */
export class ClusterNode extends ViewNode {
  readonly id = CLUSTER_NODE_ID;

  constructor(private readonly session: ClusterSession) {
    super(undefined);
  }

  getTreeItem(): vscode.TreeItem {
    const { name, version, endpoint, kubeconfigPath } = this.session.info;
    const clock = this.session.cluster.clock;
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    const shortVersion = version.replace(/\+.*$/, '');
    // The endpoint first: it is what people copy, and the sidebar cuts the end of a long description.
    item.description = `${shortEndpoint(endpoint)} · ${shortVersion} · ${clockText(clock)}`;
    item.iconPath = new vscode.ThemeIcon(clock.state === 'paused' ? 'debug-pause' : 'server-environment');
    item.contextValue = ContextValues.cluster + (clock.state === 'paused' ? '.paused' : '');
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**Cluster** \`${name}\` ${version}\n\n`);
    tooltip.appendMarkdown(`API server: ${endpoint ?? '(in-process only)'}  \n`);
    tooltip.appendMarkdown(`Clock: ${clockText(clock)}, cluster time ${new Date(clock.now()).toISOString()}  \n`);
    tooltip.appendMarkdown(`Nodes: ${this.session.model.nodeList().length}, pods: ${this.session.model.index.size}  \n`);
    if (kubeconfigPath) tooltip.appendMarkdown(`kubeconfig: \`${kubeconfigPath}\` (context \`${name}\`)`);
    item.tooltip = tooltip;
    return item;
  }

  override getChildren(): ViewNode[] {
    return [...this.session.model.nodeList().map((node) => new NodeNode(this, node, this.session)), new PendingPodsNode(this, this.session)];
  }
}
