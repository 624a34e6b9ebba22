/**
 * Hovers on YAML manifests: the schema explanation (src/schema/explain, plain Node), then what the
 * running cluster adds (src/manifest/live). The explanation never waits on the cluster.
 */
import * as vscode from 'vscode';
import { explainAt, explanationMarkdown } from '../../schema/explain';
import { liveHover } from '../../manifest/live/live-hover';
import { parseText } from '../../schema/explain/parsed-text';
import type { LiveSnapshots } from './live-snapshot';
import { looksLikeManifest } from './selector';

export class ManifestHoverProvider implements vscode.HoverProvider {
  constructor(private readonly snapshots: LiveSnapshots) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const text = document.getText();
    if (!looksLikeManifest(text)) return undefined;
    const explanation = explainAt(text, document.offsetAt(position));
    if (explanation === undefined) return undefined;
    const markdown = new vscode.MarkdownString(explanationMarkdown(explanation));
    const snapshot = await this.snapshots.current();
    if (snapshot !== undefined) {
      const live = liveHover(explanation, parseText(text).documents[explanation.document].toJS(), snapshot);
      if (live !== undefined) markdown.appendMarkdown(`\n\n---\n\n${live}`);
    }
    const range = new vscode.Range(document.positionAt(explanation.range[0]), document.positionAt(explanation.range[1]));
    return new vscode.Hover(markdown, range);
  }
}
