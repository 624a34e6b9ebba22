import * as vscode from 'vscode';
import type { ClusterSession } from '../../cluster-session';
import { NodeNode } from './node-node';
import { PendingPodsNode } from './pending-pods-node';
import { ContextValues, ViewNode } from './view-node';

export const CLUSTER_NODE_ID = 'cluster';

/** The root: the embedded cluster (name, version, endpoint), its Nodes, and the Pending pods. */
export class ClusterNode extends ViewNode {
  readonly id = CLUSTER_NODE_ID;

  constructor(private readonly session: ClusterSession) {
    super(undefined);
  }

  getTreeItem(): vscode.TreeItem {
    const { name, version, endpoint, kubeconfigPath } = this.session.info;
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = endpoint ? `${version} · ${endpoint}` : version;
    item.iconPath = new vscode.ThemeIcon('server-environment');
    item.contextValue = ContextValues.cluster;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**Cluster** \`${name}\` ${version}\n\n`);
    tooltip.appendMarkdown(`API server: ${endpoint ?? '(in-process only)'}  \n`);
    if (kubeconfigPath) tooltip.appendMarkdown(`kubeconfig: \`${kubeconfigPath}\``);
    item.tooltip = tooltip;
    return item;
  }

  override getChildren(): ViewNode[] {
    const model = this.session.model;
    return [...model.nodeList().map((node) => new NodeNode(this, node, model)), new PendingPodsNode(this, model)];
  }
}
