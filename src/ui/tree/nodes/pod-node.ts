import * as vscode from 'vscode';
import type { Pod } from '../../../cluster/api/types';
import { podHealth, podStatusText, type PodHealth } from './pod-status';
import { ContextValues, ViewNode } from './view-node';

const ICONS: Record<PodHealth, vscode.ThemeIcon> = {
  ok: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  progressing: new vscode.ThemeIcon('clock', new vscode.ThemeColor('testing.iconQueued')),
  failing: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  done: new vscode.ThemeIcon('circle-large-outline'),
};

export function podNodeId(namespace: string, name: string): string {
  return `pod/${namespace}/${name}`;
}

/** A Pod, under the Node it is bound to or under Pending. */
export class PodNode extends ViewNode {
  readonly id: string;

  constructor(parent: ViewNode, readonly pod: Pod) {
    super(parent);
    this.id = podNodeId(pod.metadata.namespace ?? 'default', pod.metadata.name ?? '');
  }

  getTreeItem(): vscode.TreeItem {
    const { name, namespace } = this.pod.metadata;
    const status = podStatusText(this.pod);
    const item = new vscode.TreeItem(name ?? '', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = namespace && namespace !== 'default' ? `${status} · ${namespace}` : status;
    item.iconPath = ICONS[podHealth(this.pod)];
    item.contextValue = ContextValues.pod;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**Pod** \`${namespace}/${name}\`\n\n`);
    tooltip.appendMarkdown(`Status: ${status}  \n`);
    tooltip.appendMarkdown(`Node: ${this.pod.spec?.nodeName ?? '(not scheduled)'}  \n`);
    const images = (this.pod.spec?.containers ?? []).map((c) => `\`${c.image ?? '?'}\``).join(', ');
    if (images) tooltip.appendMarkdown(`Images: ${images}`);
    const message = this.pod.status?.conditions?.find((c) => c.status === 'False' && c.message)?.message;
    if (message) tooltip.appendMarkdown(`\n\n${message}`);
    item.tooltip = tooltip;
    return item;
  }
}
