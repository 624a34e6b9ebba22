import * as vscode from 'vscode';
import type { Node } from '../../../cluster/api/types';
import { toBytes, toMillicores } from '../../../cluster/api/quantity';
import type { ClusterSession } from '../../cluster-session';
import { NODE_ICONS } from './icons';
import { PodNode } from './pod-node';
import { ContextValues, ViewNode } from './view-node';

/** Above this many nodes, node rows start collapsed: expanding 5,000 of them would list every pod. */
export const EXPAND_NODES_UP_TO = 20;

/**
 * A node with pods and one without are different rows to VS Code: it keeps a row's collapsible state
 * by id, so a leaf that later gets pods would stay collapsed and hide them.
 */
export function nodeNodeId(name: string, hasPods: boolean): string {
  return hasPods ? `node/${name}` : `node/${name}/no-pods`;
}

export function nodeRoles(node: Node): string[] {
  return Object.keys(node.metadata.labels ?? {}).filter((l) => l.startsWith('node-role.kubernetes.io/')).map((l) => l.slice('node-role.kubernetes.io/'.length));
}

export function nodeReadiness(node: Node): 'True' | 'False' | 'Unknown' {
  const status = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return status === 'True' || status === 'False' ? status : 'Unknown';
}

export function formatCpu(millis: number): string {
  if (millis % 1000 === 0) return String(millis / 1000);
  return millis < 1000 ? `${millis}m` : (millis / 1000).toFixed(1).replace(/\.0$/, '');
}

export function formatMemory(bytes: number): string {
  const units = [['Gi', 1024 ** 3], ['Mi', 1024 ** 2], ['Ki', 1024]] as const;
  for (const [unit, size] of units) if (bytes >= size) return `${(bytes / size).toFixed(bytes % size === 0 ? 0 : 1)}${unit}`;
  return String(bytes);
}

/** A Kubernetes Node (a simulated worker): readiness, load and taints; the Pods bound to it below. */
export class NodeNode extends ViewNode {
  readonly id: string;
  readonly name: string;
  private readonly pods: number;

  constructor(parent: ViewNode, readonly node: Node, private readonly session: ClusterSession) {
    super(parent);
    this.name = node.metadata.name ?? '';
    this.pods = session.model.podCountOn(this.name);
    this.id = nodeNodeId(this.name, this.pods > 0);
  }

  getTreeItem(): vscode.TreeItem {
    const model = this.session.model;
    const pods = this.pods;
    const ready = nodeReadiness(this.node);
    const cordoned = this.node.spec?.unschedulable === true;
    // Known at once, while the node's status says so only after the 50 s grace period: the row says it
    // from the moment the user stops the kubelet (and picks Start Kubelet, not Stop, for the menu).
    const kubeletStopped = this.session.cluster.nodes.kubelet(this.name)?.isAlive === false;
    const taints = (this.node.spec?.taints ?? []).filter((t) => t.key !== 'node.kubernetes.io/unschedulable');
    const expand = model.nodeList().length <= EXPAND_NODES_UP_TO ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(this.name, pods ? expand : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    // kubectl get nodes' STATUS: NotReady for a Ready condition False or Unknown (the icon tells them apart).
    const readiness = (ready === 'True' ? 'Ready' : 'NotReady') + (cordoned ? ',SchedulingDisabled' : '');
    const load = model.loadOn(this.name);
    const allocatable = this.node.status?.allocatable ?? {};
    const cpu = safe(() => toMillicores(allocatable.cpu));
    const memory = safe(() => toBytes(allocatable.memory));
    const roles = nodeRoles(this.node);
    const facts = [readiness];
    if (kubeletStopped) facts.push('kubelet stopped');
    if (roles.length) facts.push(roles.join(','));
    facts.push(`${pods} pod${pods === 1 ? '' : 's'}`, `cpu ${formatCpu(load.cpuMillis)}/${formatCpu(cpu)}`, `mem ${formatMemory(load.memoryBytes)}/${formatMemory(memory)}`);
    if (taints.length) facts.push(`${taints.length} taint${taints.length === 1 ? '' : 's'}`);
    item.description = facts.join(' · ');
    item.iconPath = ready !== 'True' ? (ready === 'False' ? NODE_ICONS.notReady : NODE_ICONS.unknown) : cordoned ? NODE_ICONS.cordoned : NODE_ICONS.ready;
    item.contextValue = nodeContextValue(cordoned, kubeletStopped);
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Node** \`${this.name}\` — ${readiness}${ready === 'Unknown' ? ' (Ready condition Unknown: no heartbeat from its kubelet)' : ''}\n\n`);
    md.appendMarkdown(`Roles: ${roles.join(',') || '<none>'}  \n`);
    md.appendMarkdown(`Requested: cpu ${formatCpu(load.cpuMillis)} of ${formatCpu(cpu)}, memory ${formatMemory(load.memoryBytes)} of ${formatMemory(memory)}, pods ${load.pods} of ${allocatable.pods ?? '?'}  \n`);
    md.appendMarkdown(`Taints: ${taints.map((t) => `\`${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}\``).join(', ') || '<none>'}  \n`);
    if (cordoned) md.appendMarkdown('Cordoned: new pods are not scheduled here  \n');
    if (kubeletStopped) md.appendMarkdown('Kubelet stopped: the node turns NotReady (Ready condition Unknown) 50 s (cluster time) after its last heartbeat, and its pods are evicted 300 s after that (their default toleration)  \n');
    const address = this.node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (address) md.appendMarkdown(`InternalIP: ${address} · PodCIDR: ${this.node.spec?.podCIDR ?? '?'}  \n`);
    const kubelet = this.node.status?.nodeInfo?.kubeletVersion;
    if (kubelet) md.appendMarkdown(`Kubelet: ${kubelet}`);
    item.tooltip = md;
    return item;
  }

  override getChildren(): ViewNode[] {
    return this.session.model.podsOn(this.name).map((pod) => new PodNode(this, pod, this.session));
  }
}

/**
 * `kubeSim.node`, `kubeSim.node.cordoned`, `kubeSim.node.kubeletStopped`,
 * `kubeSim.node.cordoned.kubeletStopped`: what the node menus match on (package.json).
 */
export function nodeContextValue(cordoned: boolean, kubeletStopped: boolean): string {
  return (cordoned ? ContextValues.nodeCordoned : ContextValues.node) + (kubeletStopped ? '.kubeletStopped' : '');
}

function safe(f: () => number): number {
  try { return f(); } catch { return 0; }
}
