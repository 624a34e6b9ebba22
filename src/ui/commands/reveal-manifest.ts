import * as vscode from 'vscode';
import type { ManifestLocations } from '../apply/manifest-locations';
import type { KubeSimContext } from '../context';
import type { Command } from './command-manager';
import { podTarget } from './targets';

/** Jumps from a pod to the document (and line) that applied it. */
export class RevealManifestCommand implements Command {
  readonly id = 'kubeSim.revealManifest';

  constructor(private readonly ctx: KubeSimContext, private readonly locations: ManifestLocations) {}

  async execute(arg?: unknown): Promise<vscode.TextEditor | undefined> {
    const pod = await podTarget(await this.ctx.session(), arg);
    if (!pod) return undefined;
    const location = this.locations.get('Pod', pod.namespace, pod.name);
    if (!location) {
      void vscode.window.showInformationMessage(`Kube Sim: pod "${pod.name}" was not applied from this window, so its manifest is not known.`);
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(location.uri));
    const at = new vscode.Position(location.line, 0);
    return vscode.window.showTextDocument(document, { selection: new vscode.Range(at, at) });
  }
}
