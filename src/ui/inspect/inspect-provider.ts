/**
 * Serves the `kubesim:` documents (see inspect-uri.ts) from the live cluster, through the API as the
 * admin, like kubectl get -o yaml / describe / logs / get events would. Documents that follow the
 * cluster (logs with follow, "why") are refreshed, coalesced, as the pod changes.
 */
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import type { KubeObject, Node, Pod } from '../../cluster/api/types';
import { NODES, PODS } from '../../cluster/client/client';
import { Coalescer } from '../coalescer';
import type { KubeSimContext } from '../context';
import { Disposable } from '../dispose';
import { eventsFor } from '../tree/nodes/events-node';
import { describeNode, describePod, eventsTable } from './describe';
import { parseInspectUri, SCHEME } from './inspect-uri';
import { whyDocument } from './why';

export const FOLLOW_REFRESH_MS = 500;
export const FOLLOW_POLL_MS = 2_000;

export class InspectProvider extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly refresh = new Coalescer(() => this.refreshFollowed(), FOLLOW_REFRESH_MS);
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly ctx: KubeSimContext) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(SCHEME, this));
    this.register({ dispose: () => { this.refresh.dispose(); this.unsubscribe?.(); } });
    // Containers write logs without changing the pod: followed logs are also re-read on a timer.
    const timer = setInterval(() => this.refresh.schedule(), FOLLOW_POLL_MS);
    this.register({ dispose: () => clearInterval(timer) });
    this.register(ctx.onDidChangeState((state) => {
      this.unsubscribe?.();
      this.unsubscribe = state.kind === 'running' ? state.session.model.onDidChange(() => this.refresh.schedule()) : undefined;
    }));
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const t = parseInspectUri(uri);
    try {
      const session = await this.ctx.session();
      const client = session.client;
      const now = session.cluster.clock.now();
      const object = t.kind === 'pod'
        ? await client.resource<Pod>(PODS).get(t.name, { namespace: t.namespace ?? 'default' })
        : await client.resource<Node>(NODES).get(t.name);
      switch (t.view) {
        case 'yaml':
          return stringify(withoutManagedFields(object), { lineWidth: 0 });
        case 'describe':
          return t.kind === 'pod'
            ? describePod(object as Pod, await eventsFor(session, object), now)
            : describeNode(object as Node, session.model.podsOn(t.name), await eventsFor(session, { ...object, metadata: { ...object.metadata, namespace: 'default' } }), now);
        case 'events': {
          const events = await eventsFor(session, t.kind === 'pod' ? object : { ...object, metadata: { ...object.metadata, namespace: 'default' } });
          return `${t.kind}/${t.name}\n\n${eventsTable(events, now)}\n`;
        }
        case 'logs': {
          const query: Record<string, string | boolean> = {};
          if (t.container) query.container = t.container;
          if (t.previous) query.previous = true;
          const text = await client.resource(PODS).getText(t.name, 'log', { namespace: t.namespace ?? 'default', query });
          return text || `(no log lines yet from ${t.container ?? 'the container'}${t.follow ? '; following' : ''})\n`;
        }
        case 'why':
          return whyDocument(object as Pod, session.cluster.audit.query({ resource: 'pods', namespace: t.namespace ?? 'default', name: t.name }));
      }
    } catch (err) {
      return `Kube Sim could not read ${t.kind}/${t.name}: ${(err as Error).message}\n`;
    }
  }

  private refreshFollowed(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme !== SCHEME) continue;
      const t = parseInspectUri(document.uri);
      if ((t.view === 'logs' && t.follow) || t.view === 'why') this.changed.fire(document.uri);
    }
  }
}

function withoutManagedFields(object: KubeObject): KubeObject {
  const { managedFields: _managed, ...metadata } = object.metadata as KubeObject['metadata'] & { managedFields?: unknown };
  return { ...object, metadata };
}
