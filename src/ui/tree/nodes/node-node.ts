import * as vscode from 'vscode';
import type { Node } from '../../../cluster/api/types';
import type { ClusterModel } from '../../cluster-model';
import { PodNode } from './pod-node';
import { ContextValues, ViewNode } from './view-node';

/**
 * A node with pods and one without are different rows to VS Code: it keeps a row's collapsible state
 * by id, so a leaf that later gets pods would stay collapsed and hide them.
 */
export function nodeNodeId(name: string, hasPods: boolean): string {
  return hasPods ? `node/${name}` : `node/${name}/no-pods`;
}

/** A Kubernetes Node (a simulated worker), with the Pods bound to it as children. */
export class NodeNode extends ViewNode {
  readonly id: string;
  private readonly name: string;
  private readonly pods: number;

  constructor(parent: ViewNode, private readonly node: Node, private readonly model: ClusterModel) {
    super(parent);
    this.name = node.metadata.name ?? '';
    this.pods = model.podsOn(this.name).length;
    this.id = nodeNodeId(this.name, this.pods > 0);
  }

  getTreeItem(): vscode.TreeItem {
    const pods = this.pods;
    const ready = this.node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    const unschedulable = this.node.spec?.unschedulable === true;
    const item = new vscode.TreeItem(this.name, pods ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const readiness = (ready ? 'Ready' : 'NotReady') + (unschedulable ? ',SchedulingDisabled' : '');
    item.description = `${readiness} · ${pods} pod${pods === 1 ? '' : 's'}`;
    item.iconPath = new vscode.ThemeIcon('server', new vscode.ThemeColor(ready ? 'testing.iconPassed' : 'testing.iconFailed'));
    item.contextValue = ContextValues.node;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**Node** \`${this.name}\` — ${readiness}\n\n`);
    const allocatable = this.node.status?.allocatable;
    if (allocatable) tooltip.appendMarkdown(`Allocatable: cpu ${allocatable.cpu ?? '?'}, memory ${allocatable.memory ?? '?'}, pods ${allocatable.pods ?? '?'}  \n`);
    const kubelet = this.node.status?.nodeInfo?.kubeletVersion;
    if (kubelet) tooltip.appendMarkdown(`Kubelet: ${kubelet}`);
    item.tooltip = tooltip;
    return item;
  }

  override getChildren(): ViewNode[] {
    return this.model.podsOn(this.name).map((pod) => new PodNode(this, pod));
  }
}
