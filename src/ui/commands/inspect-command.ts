/**
 * The base of the inspection commands (YAML, Describe, Events, Why): open the `kubesim:` document of
 * the pod or node the command was invoked on, read-only, beside the editor.
 */
import * as vscode from 'vscode';
import type { KubeSimContext } from '../context';
import { inspectUri, type InspectTarget, type InspectView } from '../inspect/inspect-uri';
import { NodeNode } from '../tree/nodes/node-node';
import type { Command } from './command-manager';
import { nodeTarget, podTarget, reporting } from './targets';

export abstract class InspectCommand implements Command {
  abstract readonly id: string;
  protected abstract readonly view: InspectView;
  /** Whether the view exists for nodes too (YAML, Describe, Events). */
  protected readonly nodes: boolean = true;

  constructor(protected readonly ctx: KubeSimContext) {}

  async execute(arg?: unknown, kind?: unknown): Promise<vscode.TextDocument | undefined> {
    return reporting(`${this.view} failed`, async () => {
      const session = await this.ctx.session();
      let target: InspectTarget | undefined;
      if (this.nodes && (arg instanceof NodeNode || kind === 'node')) {
        const name = await nodeTarget(session, arg);
        if (name) target = { view: this.view, kind: 'node', namespace: undefined, name };
      } else {
        const pod = await podTarget(session, arg);
        if (pod) target = await this.podTarget(pod.namespace, pod.name, pod.container);
      }
      if (!target) return undefined;
      return open(target);
    }, this.ctx.log);
  }

  protected async podTarget(namespace: string, name: string, _container: string | undefined): Promise<InspectTarget | undefined> {
    return { view: this.view, kind: 'pod', namespace, name };
  }
}

export async function open(target: InspectTarget): Promise<vscode.TextDocument> {
  const uri = inspectUri(target);
  let document = await vscode.workspace.openTextDocument(uri);
  const language = target.view === 'yaml' ? 'yaml' : target.view === 'logs' ? 'log' : 'plaintext';
  if (document.languageId !== language) document = await vscode.languages.setTextDocumentLanguage(document, language);
  await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  return document;
}
