import * as vscode from 'vscode';
import type { Pod } from '../../../cluster/api/types';
import { SUMMARY } from '../../../cluster/scheduler/explain/annotations';
import type { ClusterSession } from '../../cluster-session';
import { ConditionsNode } from './conditions-node';
import { ContainerNode } from './container-node';
import { EventsNode } from './events-node';
import { POD_ICONS } from './icons';
import { isUnschedulable, podStatusView } from './pod-status';
import { ContextValues, ViewNode } from './view-node';

export function podNodeId(namespace: string, name: string): string {
  return `pod/${namespace}/${name}`;
}

/** Why the scheduler has not placed a pod, in one line: its summary annotation, else PodScheduled's message. */
export function pendingReason(pod: Pod): string | undefined {
  const summary = pod.metadata.annotations?.[SUMMARY];
  if (summary) return summary;
  return pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.message;
}

/** A Pod, under the Node it is bound to or under Pending; its containers, conditions and events below. */
export class PodNode extends ViewNode {
  readonly id: string;

  constructor(parent: ViewNode, readonly pod: Pod, private readonly session: ClusterSession) {
    super(parent);
    this.id = podNodeId(pod.metadata.namespace ?? 'default', pod.metadata.name ?? '');
  }

  getTreeItem(): vscode.TreeItem {
    const { name, namespace } = this.pod.metadata;
    const view = podStatusView(this.pod);
    const item = new vscode.TreeItem(name ?? '', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const facts = [view.status, view.ready];
    if (view.restarts) facts.push(`${view.restarts} restart${view.restarts === 1 ? '' : 's'}`);
    if (this.pod.status?.podIP) facts.push(this.pod.status.podIP);
    if (namespace && namespace !== 'default') facts.push(namespace);
    const reason = !this.pod.spec?.nodeName ? pendingReason(this.pod) : undefined;
    if (reason) facts.push(firstSentence(reason.replace(/^Pending:\s*/, ''))); // the row already says Pending
    item.description = facts.join(' · ');
    item.iconPath = POD_ICONS[view.kind];
    item.contextValue = ContextValues.pod + (isUnschedulable(this.pod) ? '.unschedulable' : '');
    item.tooltip = this.tooltip(view.status, view.ready, view.restarts, reason);
    return item;
  }

  override getChildren(): ViewNode[] {
    const statuses = new Map((this.pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
    const initStatuses = new Map((this.pod.status?.initContainerStatuses ?? []).map((s) => [s.name, s]));
    return [
      ...(this.pod.spec?.initContainers ?? []).map((c) => new ContainerNode(this, this.pod, c, initStatuses.get(c.name), true)),
      ...(this.pod.spec?.containers ?? []).map((c) => new ContainerNode(this, this.pod, c, statuses.get(c.name), false)),
      new ConditionsNode(this, this.pod),
      new EventsNode(this, this.pod, this.session),
    ];
  }

  private tooltip(status: string, ready: string, restarts: number, reason: string | undefined): vscode.MarkdownString {
    const { name, namespace } = this.pod.metadata;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Pod** \`${namespace}/${name}\` — ${status}\n\n`);
    const readyCondition = this.pod.status?.conditions?.find((c) => c.type === 'Ready');
    const notReady = readyCondition?.status === 'False' ? ` (condition Ready=False${readyCondition.reason ? `, ${readyCondition.reason}` : ''})` : '';
    md.appendMarkdown(`Ready: ${ready}${notReady} · Restarts: ${restarts}  \n`);
    md.appendMarkdown(`Node: ${this.pod.spec?.nodeName ?? '(not scheduled)'}  \n`);
    if (this.pod.status?.podIP) md.appendMarkdown(`IP: ${this.pod.status.podIP}  \n`);
    if (this.pod.status?.qosClass) md.appendMarkdown(`QoS: ${this.pod.status.qosClass}  \n`);
    const images = (this.pod.spec?.containers ?? []).map((c) => `\`${c.image ?? '?'}\``).join(', ');
    if (images) md.appendMarkdown(`Images: ${images}  \n`);
    if (reason) md.appendMarkdown(`\n${reason}`);
    return md;
  }
}

function firstSentence(text: string): string {
  const line = text.split('\n')[0] ?? text;
  return line.length > 140 ? `${line.slice(0, 139)}…` : line;
}
