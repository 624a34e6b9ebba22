import * as vscode from 'vscode';
import { ContextValues, ViewNode } from './view-node';

/** A single row that says what the tree cannot show yet: the cluster is starting, or failed to. */
export class MessageNode extends ViewNode {
  readonly id: string;

  constructor(
    private readonly label: string,
    private readonly icon: vscode.ThemeIcon,
    private readonly detail?: string,
  ) {
    super(undefined);
    this.id = `message/${label}`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = this.icon;
    item.contextValue = ContextValues.message;
    if (this.detail) {
      item.description = this.detail;
      item.tooltip = this.detail;
    }
    return item;
  }
}
