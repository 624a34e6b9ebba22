import * as vscode from 'vscode';
import type { Container, ContainerStatus, Pod } from '../../../cluster/api/types';
import { POD_ICONS } from './icons';
import type { PodStateKind } from './pod-status';
import { ContextValues, ViewNode } from './view-node';

/** One container of a pod: its state (with reason), restarts and image. */
export class ContainerNode extends ViewNode {
  readonly id: string;

  constructor(parent: ViewNode, readonly pod: Pod, readonly container: Container, private readonly status: ContainerStatus | undefined, readonly init: boolean) {
    super(parent);
    this.id = `${parent.id}/container/${container.name}`;
  }

  getTreeItem(): vscode.TreeItem {
    const { state, kind } = containerState(this.status);
    const item = new vscode.TreeItem(this.container.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const restarts = this.status?.restartCount ?? 0;
    item.description = [this.init ? `init · ${state}` : state, `${restarts} restart${restarts === 1 ? '' : 's'}`, this.container.image ?? '?'].join(' · ');
    item.iconPath = POD_ICONS[kind];
    item.contextValue = ContextValues.container;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Container** \`${this.container.name}\`${this.init ? ' (init)' : ''} — ${state}\n\n`);
    md.appendMarkdown(`Image: \`${this.container.image ?? '?'}\`  \nRestarts: ${restarts}  \n`);
    const waiting = this.status?.state?.waiting?.message ?? this.status?.state?.terminated?.message;
    if (waiting) md.appendMarkdown(`\n${waiting}  \n`);
    const last = this.status?.lastState?.terminated;
    if (last) md.appendMarkdown(`\nLast state: Terminated (${last.reason ?? 'exit'} ${last.exitCode})`);
    item.tooltip = md;
    return item;
  }
}

export function containerState(status: ContainerStatus | undefined): { state: string; kind: PodStateKind } {
  const s = status?.state;
  if (s?.running) return { state: status?.ready ? 'Running' : 'Running (not ready)', kind: status?.ready ? 'running' : 'notReady' };
  if (s?.waiting) {
    const reason = s.waiting.reason ?? 'Waiting';
    return { state: reason, kind: /ContainerCreating|PodInitializing/.test(reason) ? 'creating' : 'failing' };
  }
  if (s?.terminated) {
    const t = s.terminated;
    return { state: `${t.reason ?? 'Terminated'} (exit ${t.exitCode})`, kind: t.exitCode === 0 ? 'completed' : 'failing' };
  }
  return { state: 'Waiting', kind: 'pending' };
}
