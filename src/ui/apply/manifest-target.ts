/**
 * What an apply or delete acts on: the active editor's whole text or its selection, a file the
 * editor title passes (a Uri), or one document a CodeLens passes ({ uri, start, end }). Unsaved and
 * untitled buffers are read from the editor, never from disk.
 */
import * as vscode from 'vscode';

export interface ManifestTarget {
  document: vscode.TextDocument;
  text: string;
  /** Offset of `text` in the document. */
  base: number;
  /** What the user sees in messages: `nginx.yaml`, `nginx.yaml (selection)`. */
  source: string;
}

/** The argument a CodeLens passes: one document of a file, by offsets. */
export interface DocumentSlice {
  uri: string;
  start: number;
  end: number;
}

function isSlice(arg: unknown): arg is DocumentSlice {
  return typeof arg === 'object' && arg !== null && typeof (arg as DocumentSlice).uri === 'string' && typeof (arg as DocumentSlice).start === 'number';
}

export async function manifestTarget(arg: unknown): Promise<ManifestTarget | undefined> {
  if (isSlice(arg)) {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(arg.uri));
    const text = document.getText().slice(arg.start, arg.end);
    return { document, text, base: arg.start, source: `${name(document)}, line ${document.positionAt(arg.start).line + 1}` };
  }
  if (arg instanceof vscode.Uri) {
    const open = vscode.window.activeTextEditor;
    const document = open && open.document.uri.toString() === arg.toString() ? open.document : await vscode.workspace.openTextDocument(arg);
    return { document, text: document.getText(), base: 0, source: name(document) };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const { document, selection } = editor;
  if (!selection.isEmpty) {
    const base = document.offsetAt(selection.start);
    return { document, text: document.getText(selection), base, source: `${name(document)} (selection)` };
  }
  return { document, text: document.getText(), base: 0, source: name(document) };
}

function name(document: vscode.TextDocument): string {
  const base = document.uri.path.split('/').pop();
  return base || document.uri.toString();
}
