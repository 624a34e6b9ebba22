import * as vscode from 'vscode';
import type { KubeObject, Pod } from '../../../cluster/api/types';
import { EVENTS } from '../../../cluster/client/client';
import type { ClusterSession } from '../../cluster-session';
import { DetailNode } from './detail-node';
import { EVENT_ICONS } from './icons';
import { ContextValues, ViewNode } from './view-node';

export interface CoreEvent extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string; fieldPath?: string };
}

/** The most recent events about an object, oldest first, read through the API when asked. */
export async function eventsFor(session: ClusterSession, object: KubeObject): Promise<CoreEvent[]> {
  const namespace = object.metadata.namespace ?? 'default';
  const selector = object.metadata.uid ? `involvedObject.uid=${object.metadata.uid}` : `involvedObject.name=${object.metadata.name}`;
  const list = await session.client.resource<CoreEvent>(EVENTS).list({ namespace, fieldSelector: selector });
  return list.items.sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
}

export function eventTime(e: CoreEvent): string {
  return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? '';
}

/** A pod's recent events (fetched only when the row is expanded). */
export class EventsNode extends ViewNode {
  readonly id: string;

  constructor(parent: ViewNode, private readonly pod: Pod, private readonly session: ClusterSession) {
    super(parent);
    this.id = `${parent.id}/events`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Events', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('history');
    item.contextValue = ContextValues.group;
    return item;
  }

  override async getChildren(): Promise<ViewNode[]> {
    const events = (await eventsFor(this.session, this.pod)).slice(-20);
    if (!events.length) return [new DetailNode(this, `${this.id}/none`, { label: 'No events yet' })];
    return events.map((e, i) => new DetailNode(this, `${this.id}/${e.metadata.name ?? i}`, {
      label: e.reason ?? '?',
      description: `${e.count && e.count > 1 ? `×${e.count} ` : ''}${e.message ?? ''}`,
      tooltip: `${e.type ?? 'Normal'} ${e.reason ?? ''} from ${e.source?.component ?? e.reportingComponent ?? '?'} at ${eventTime(e)}\n\n${e.message ?? ''}`,
      icon: e.type === 'Warning' ? EVENT_ICONS.Warning : EVENT_ICONS.Normal,
    }));
  }
}
