/**
 * Squiggles on YAML manifests: schema diagnostics as one types (debounced), and on save the API
 * server's dry run and what happened to applied pods (runtime outcomes). All computed in plain Node
 * (src/schema/explain, src/manifest); this maps offsets to ranges and owns the collection.
 */
import * as vscode from 'vscode';
import { dryRunDiagnostics } from '../../manifest/dry-run';
import { runtimeDiagnostics } from '../../manifest/live/runtime-diagnostics';
import { manifestDiagnostics, type ManifestDiagnostic } from '../../schema/explain/diagnostics';
import type { KubeSimContext } from '../context';
import { Disposable } from '../dispose';
import type { LiveSnapshots } from './live-snapshot';
import { looksLikeManifest } from './selector';

const TYPING_DEBOUNCE_MS = 300;

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
} as const;

export class ManifestDiagnostics extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('kube-sim'));
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Dry-run and runtime diagnostics of the last save, per document, kept until the text changes. */
  private readonly fromCluster = new Map<string, { version: number; diagnostics: ManifestDiagnostic[] }>();

  constructor(private readonly ctx: KubeSimContext, private readonly snapshots: LiveSnapshots) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.refresh(d)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)));
    this.register(vscode.workspace.onDidSaveTextDocument((d) => void this.checkWithCluster(d)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.forget(d)));
    this.register({ dispose: () => this.timers.forEach((t) => clearTimeout(t)) });
    for (const document of vscode.workspace.textDocuments) this.refresh(document);
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isYaml(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.refresh(document);
    }, TYPING_DEBOUNCE_MS));
  }

  private refresh(document: vscode.TextDocument): void {
    if (!isYaml(document) || document.isClosed) return;
    const text = document.getText();
    if (!looksLikeManifest(text)) {
      this.collection.delete(document.uri);
      return;
    }
    const found = [...manifestDiagnostics(text)];
    const cluster = this.fromCluster.get(document.uri.toString());
    if (cluster?.version === document.version) found.push(...cluster.diagnostics);
    this.collection.set(document.uri, found.map((d) => toDiagnostic(document, d)));
  }

  private async checkWithCluster(document: vscode.TextDocument): Promise<void> {
    if (!isYaml(document) || this.ctx.state.kind !== 'running') return;
    const text = document.getText();
    if (!looksLikeManifest(text)) return;
    const version = document.version;
    try {
      const session = this.ctx.state.session;
      const dryRun = await dryRunDiagnostics(text, session.client);
      const snapshot = await this.snapshots.current();
      const runtime = snapshot ? runtimeDiagnostics(text, snapshot) : [];
      if (document.version !== version) return;
      this.fromCluster.set(document.uri.toString(), { version, diagnostics: [...dryRun, ...runtime] });
      this.refresh(document);
    } catch (err) {
      this.ctx.log.warn(`dry run of ${document.uri.toString()} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private forget(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.fromCluster.delete(key);
    this.collection.delete(document.uri);
  }
}

function isYaml(document: vscode.TextDocument): boolean {
  return document.languageId === 'yaml';
}

function toDiagnostic(document: vscode.TextDocument, d: ManifestDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(document.positionAt(d.range[0]), document.positionAt(d.range[1]));
  const diagnostic = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity]);
  diagnostic.source = d.code === 'dry-run' ? 'kube-sim (dry run)' : d.code === 'runtime' ? 'kube-sim (cluster)' : 'kube-sim';
  diagnostic.code = d.code;
  return diagnostic;
}
