/**
 * The read-only `kubesim:` documents: `kubesim:/<view>/<kind>/<namespace>/<name>.<ext>?…` where view
 * is yaml, describe, logs, events or why; cluster-scoped objects use `_` as namespace. The extension
 * picks the language (YAML for yaml, log for logs, plain text for the rest).
 */
import * as vscode from 'vscode';

export const SCHEME = 'kubesim';

export type InspectView = 'yaml' | 'describe' | 'logs' | 'events' | 'why';

export interface InspectTarget {
  view: InspectView;
  kind: 'pod' | 'node';
  namespace: string | undefined;
  name: string;
  container?: string;
  previous?: boolean;
  follow?: boolean;
}

const EXT: Record<InspectView, string> = { yaml: 'yaml', describe: 'txt', logs: 'log', events: 'txt', why: 'txt' };

export function inspectUri(t: InspectTarget): vscode.Uri {
  const query = new URLSearchParams();
  if (t.container) query.set('container', t.container);
  if (t.previous) query.set('previous', 'true');
  if (t.follow) query.set('follow', 'true');
  const suffix = t.view === 'logs' ? `${t.container ? `.${t.container}` : ''}${t.previous ? '.previous' : ''}` : '';
  return vscode.Uri.from({ scheme: SCHEME, path: `/${t.view}/${t.kind}/${t.namespace ?? '_'}/${t.name}${suffix}.${EXT[t.view]}`, query: query.toString() });
}

export function parseInspectUri(uri: vscode.Uri): InspectTarget {
  const [, view, kind, namespace, file] = uri.path.split('/');
  const query = new URLSearchParams(uri.query);
  const container = query.get('container') ?? undefined;
  let name = (file ?? '').replace(/\.[a-z]+$/, '');
  if (view === 'logs') name = name.replace(/\.previous$/, '').replace(container ? new RegExp(`\\.${container.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : /$^/, '');
  const target: InspectTarget = { view: view as InspectView, kind: kind as 'pod' | 'node', namespace: namespace === '_' ? undefined : namespace, name };
  if (container) target.container = container;
  if (query.get('previous') === 'true') target.previous = true;
  if (query.get('follow') === 'true') target.follow = true;
  return target;
}
