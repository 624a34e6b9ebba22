import * as vscode from 'vscode';
import { ContextValues, ViewNode } from './view-node';

export interface Detail {
  label: string;
  description?: string;
  tooltip?: string | vscode.MarkdownString;
  icon?: vscode.ThemeIcon;
}

/** A leaf that states one fact about its parent: a condition, an event. */
export class DetailNode extends ViewNode {
  constructor(parent: ViewNode, readonly id: string, private readonly detail: Detail) {
    super(parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.detail.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    if (this.detail.description) item.description = this.detail.description;
    item.tooltip = this.detail.tooltip ?? this.detail.description;
    if (this.detail.icon) item.iconPath = this.detail.icon;
    item.contextValue = ContextValues.detail;
    return item;
  }
}
