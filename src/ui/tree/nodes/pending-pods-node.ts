import * as vscode from 'vscode';
import type { ClusterSession } from '../../cluster-session';
import { PodNode } from './pod-node';
import { ContextValues, ViewNode } from './view-node';

/** Pods no scheduler has bound to a Node yet (no spec.nodeName), each with the scheduler's one-line reason. */
export class PendingPodsNode extends ViewNode {
  readonly id: string;
  private readonly pods: number;

  constructor(parent: ViewNode, private readonly session: ClusterSession) {
    super(parent);
    this.pods = session.model.pendingCount();
    this.id = this.pods ? 'pending' : 'pending/none'; // a leaf and a parent are different rows: see nodeNodeId
  }

  getTreeItem(): vscode.TreeItem {
    const pods = this.pods;
    const item = new vscode.TreeItem('Pending', pods ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `${pods} unscheduled`;
    item.tooltip = 'Pods that are not bound to a node yet: the scheduler has not placed them, or cannot (the reason is on each row).';
    item.iconPath = new vscode.ThemeIcon('watch', pods ? new vscode.ThemeColor('list.warningForeground') : undefined);
    item.contextValue = ContextValues.pendingPods;
    return item;
  }

  override getChildren(): ViewNode[] {
    return this.session.model.pendingPods().map((pod) => new PodNode(this, pod, this.session));
  }
}
