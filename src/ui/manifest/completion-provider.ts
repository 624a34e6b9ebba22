/** Completion on YAML manifests from the schema (src/schema/explain/completion.ts). */
import * as vscode from 'vscode';
import { completionsAt } from '../../schema/explain/completion';
import { looksLikeManifest } from './selector';

const KINDS = {
  field: vscode.CompletionItemKind.Field,
  value: vscode.CompletionItemKind.EnumMember,
  snippet: vscode.CompletionItemKind.Snippet,
} as const;

export class ManifestCompletionProvider implements vscode.CompletionItemProvider {
  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const text = document.getText();
    const offset = document.offsetAt(position);
    // An empty document (or a new one after `---`) gets the snippets; others only when they are manifests.
    if (!looksLikeManifest(text) && text.trim() !== '') return [];
    return completionsAt(text, offset).map((c) => {
      const item = new vscode.CompletionItem(c.label, KINDS[c.kind]);
      item.detail = c.detail;
      item.documentation = new vscode.MarkdownString(c.documentation);
      item.insertText = new vscode.SnippetString(c.insertText);
      item.range = new vscode.Range(document.positionAt(c.range[0]), document.positionAt(c.range[1]));
      item.sortText = c.sortText;
      return item;
    });
  }
}
