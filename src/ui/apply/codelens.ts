/**
 * "Apply" and "Delete" above each Kubernetes document of a YAML file (any document with apiVersion
 * and kind), acting on that document alone.
 */
import * as vscode from 'vscode';
import { parseManifests } from './manifest';
import type { DocumentSlice } from './manifest-target';

export class ManifestCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const text = document.getText();
    if (!/\bkind\s*:/.test(text)) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const manifest of parseManifests(text).manifests) {
      const at = new vscode.Range(document.positionAt(manifest.range[0]), document.positionAt(manifest.range[0]));
      const slice: DocumentSlice = { uri: document.uri.toString(), start: manifest.range[0], end: manifest.range[1] };
      const what = `${manifest.object.kind} ${manifest.object.metadata.name}`;
      lenses.push(new vscode.CodeLens(at, { title: '$(cloud-upload) Apply', tooltip: `Apply ${what} to the Kube Sim cluster`, command: 'kubeSim.applyPod', arguments: [slice] }));
      lenses.push(new vscode.CodeLens(at, { title: 'Delete', tooltip: `Delete ${what} from the Kube Sim cluster`, command: 'kubeSim.deleteManifest', arguments: [slice] }));
    }
    return lenses;
  }
}
