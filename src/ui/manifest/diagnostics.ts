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
/** Pods change in bursts (a status, then an event); runtime squiggles follow the burst, not each step. */
const CLUSTER_DEBOUNCE_MS = 1000;

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
} as const;

export class ManifestDiagnostics extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('kube-sim'));
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Dry-run diagnostics of the last save, per document, kept until the text changes. */
  private readonly fromDryRun = new Map<string, { version: number; diagnostics: ManifestDiagnostic[] }>();
  /** What happened to the document's applied pods, recomputed when the cluster changes. */
  private readonly fromRuntime = new Map<string, { version: number; diagnostics: ManifestDiagnostic[] }>();
  private unwatchCluster: (() => void) | undefined;
  private clusterTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: KubeSimContext, private readonly snapshots: LiveSnapshots) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.refresh(d)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)));
    this.register(vscode.workspace.onDidSaveTextDocument((d) => void this.checkWithCluster(d)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.forget(d)));
    this.register({ dispose: () => this.timers.forEach((t) => clearTimeout(t)) });
    this.register(ctx.onDidChangeState(() => this.watchCluster()));
    this.register({ dispose: () => { this.unwatchCluster?.(); clearTimeout(this.clusterTimer); } });
    this.watchCluster();
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
    for (const cluster of [this.fromDryRun, this.fromRuntime]) {
      const kept = cluster.get(document.uri.toString());
      if (kept?.version === document.version) found.push(...kept.diagnostics);
    }
    // What another source (the apply command's dry run) already says about the same field at the same
    // place is not repeated; the applier does the same with ours, so whichever came first says it once.
    const said = new Set(vscode.languages.getDiagnostics(document.uri).filter((d) => !OWN_SOURCES.has(d.source ?? '')).map(sameFinding));
    this.collection.set(document.uri, found.map((d) => toDiagnostic(document, d)).filter((d) => !said.has(sameFinding(d))));
  }

  private async checkWithCluster(document: vscode.TextDocument): Promise<void> {
    if (!isYaml(document) || this.ctx.state.kind !== 'running') return;
    const text = document.getText();
    if (!looksLikeManifest(text)) return;
    const version = document.version;
    try {
      const session = this.ctx.state.session;
      const dryRun = await dryRunDiagnostics(text, session.client);
      if (document.version !== version) return;
      this.fromDryRun.set(document.uri.toString(), { version, diagnostics: dryRun });
      await this.checkRuntime(document);
    } catch (err) {
      this.ctx.log.warn(`dry run of ${document.uri.toString()} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Follows the running cluster's model: when pods change, the runtime squiggles of open manifests are recomputed. */
  private watchCluster(): void {
    this.unwatchCluster?.();
    this.unwatchCluster = undefined;
    const state = this.ctx.state;
    if (state.kind !== 'running') return;
    this.unwatchCluster = state.session.model.onDidChange(() => {
      clearTimeout(this.clusterTimer);
      this.clusterTimer = setTimeout(() => {
        for (const document of vscode.workspace.textDocuments) void this.checkRuntime(document);
      }, CLUSTER_DEBOUNCE_MS);
    });
  }

  private async checkRuntime(document: vscode.TextDocument): Promise<void> {
    if (!isYaml(document) || document.isClosed) return;
    const text = document.getText();
    if (!looksLikeManifest(text)) return;
    const version = document.version;
    const snapshot = await this.snapshots.current();
    if (snapshot === undefined || document.version !== version || document.isClosed) return;
    const diagnostics = runtimeDiagnostics(text, snapshot);
    const key = document.uri.toString();
    const before = this.fromRuntime.get(key);
    if (diagnostics.length === 0 && (before === undefined || before.diagnostics.length === 0)) return;
    this.fromRuntime.set(key, { version, diagnostics });
    this.refresh(document);
  }

  private forget(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.fromDryRun.delete(key);
    this.fromRuntime.delete(key);
    this.collection.delete(document.uri);
  }
}

const OWN_SOURCES = new Set(['kube-sim', 'kube-sim (dry run)', 'kube-sim (cluster)']);

/** Same place, same field path (the wording after it may differ, e.g. the order of allowed values). */
function sameFinding(d: vscode.Diagnostic): string {
  return `${d.range.start.line}:${d.range.start.character}:${d.message.split(': ')[0]}`;
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
