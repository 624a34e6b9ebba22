import * as vscode from 'vscode';
import type { Pod } from '../../../cluster/api/types';
import { DetailNode } from './detail-node';
import { CONDITION_ICONS } from './icons';
import { ContextValues, ViewNode } from './view-node';

/** A pod's conditions (PodScheduled, Initialized, ContainersReady, Ready …), each True, False or Unknown. */
export class ConditionsNode extends ViewNode {
  readonly id: string;

  constructor(parent: ViewNode, private readonly pod: Pod) {
    super(parent);
    this.id = `${parent.id}/conditions`;
  }

  getTreeItem(): vscode.TreeItem {
    const conditions = this.pod.status?.conditions ?? [];
    const item = new vscode.TreeItem('Conditions', conditions.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = conditions.filter((c) => c.status === 'True').map((c) => c.type).join(', ') || 'none true';
    item.iconPath = new vscode.ThemeIcon('checklist');
    item.contextValue = ContextValues.group;
    return item;
  }

  override getChildren(): ViewNode[] {
    return (this.pod.status?.conditions ?? []).map((c) => {
      const status = (c.status as keyof typeof CONDITION_ICONS) in CONDITION_ICONS ? (c.status as keyof typeof CONDITION_ICONS) : 'Unknown';
      const description = [c.status, c.reason, c.message].filter(Boolean).join(' · ');
      return new DetailNode(this, `${this.id}/${c.type}`, { label: c.type, description, icon: CONDITION_ICONS[status], tooltip: description });
    });
  }
}
