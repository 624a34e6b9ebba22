/** Which documents manifest intelligence serves: YAML, saved or untitled, whatever the file name. */
import type * as vscode from 'vscode';

export const MANIFEST_SELECTOR: vscode.DocumentSelector = [{ language: 'yaml' }, { language: 'yaml', scheme: 'untitled' }];

/** A cheap gate before any parse: a Kubernetes manifest has a top-level `kind:` somewhere. */
export function looksLikeManifest(text: string): boolean {
  return /^kind[ \t]*:/m.test(text);
}
