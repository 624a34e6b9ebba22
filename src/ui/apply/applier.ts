/**
 * Apply and Delete as the editor does them. Apply validates first: a server-side dry run of every
 * document (src/manifest/dry-run.ts), whose Status causes land as diagnostics on the exact YAML range
 * of the field that caused them; documents that pass are then applied by server-side apply. The user
 * gets a plain message either way, and the applied pod is revealed in the tree.
 */
import * as vscode from 'vscode';
import type { KubeObject } from '../../cluster/api/types';
import { dryRunDiagnostics } from '../../manifest/dry-run';
import type { KubeSimContext } from '../context';
import { Disposable } from '../dispose';
import { applyManifests, deleteManifests, type ApplyOutcome } from './apply';
import { parseManifests } from './manifest';
import { ManifestLocations } from './manifest-locations';
import type { ManifestTarget } from './manifest-target';

export const DIAGNOSTIC_SOURCE = 'Kube Sim apply';

export interface ApplyResult extends ApplyOutcome {
  /** Diagnostics the apply left on the document (dry-run and apply failures). */
  diagnostics: vscode.Diagnostic[];
}

export class ManifestApplier extends Disposable {
  private readonly diagnostics = this.register(vscode.languages.createDiagnosticCollection('kube-sim-apply'));
  readonly locations: ManifestLocations;

  constructor(private readonly ctx: KubeSimContext, private readonly reveal: (object: KubeObject) => Promise<void>) {
    super();
    this.locations = new ManifestLocations(ctx.extension.workspaceState);
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)));
  }

  async apply(target: ManifestTarget, options: { force?: boolean } = {}): Promise<ApplyResult | undefined> {
    const { document, text, base, source } = target;
    const found: vscode.Diagnostic[] = [];
    const range = (r: [number, number]) => new vscode.Range(document.positionAt(base + r[0]), document.positionAt(base + Math.max(r[1], r[0] + 1)));
    // What another provider (the schema diagnostics as you type) already says about the same field at the
    // same place is not repeated (their wording may differ, e.g. the order of allowed values).
    const key = (d: vscode.Diagnostic) => `${d.range.start.line}:${d.range.start.character}:${d.message.split(': ')[0]}`;
    const publish = () => {
      const said = new Set(vscode.languages.getDiagnostics(document.uri).filter((d) => d.source !== DIAGNOSTIC_SOURCE).map(key));
      this.diagnostics.set(document.uri, found.filter((d) => !said.has(key(d))));
    };
    const parsed = parseManifests(text);
    if (parsed.errors.length) {
      for (const e of parsed.errors) found.push(diagnostic(range(e.range ?? [0, 1]), e.message, vscode.DiagnosticSeverity.Error));
      publish();
      const first = parsed.errors[0]!;
      void this.problem(`${source}, line ${document.positionAt(base).line + first.line}: ${first.message}`);
      return { applied: [], failed: [], diagnostics: found };
    }
    if (!parsed.manifests.length) {
      void vscode.window.showWarningMessage(`Kube Sim: ${source} holds no Kubernetes object to apply.`);
      return undefined;
    }
    const session = await this.ctx.session();

    // 1. Validate: a server-side dry run of every document.
    const dry = await dryRunDiagnostics(text, session.client);
    const rejected = new Set<number>();
    for (const d of dry) {
      const severity = d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
      found.push(diagnostic(range(d.range), d.message, severity, d.fieldPath));
      if (d.severity === 'error') rejected.add(d.document);
    }

    // 2. Apply what passed.
    const valid = parsed.manifests.filter((m) => !rejected.has(m.document));
    const outcome = await applyManifests(session.client, valid, { force: options.force ?? false });
    for (const failure of outcome.failed) {
      this.ctx.log.warn(`apply ${failure.displayName} from ${source}: ${failure.error.message}`);
      found.push(diagnostic(range(failure.manifest.range), failure.error.message, vscode.DiagnosticSeverity.Error));
    }
    publish();
    for (const m of parsed.manifests.filter((x) => rejected.has(x.document))) {
      const name = `${(m.object.kind ?? '').toLowerCase()}/${m.object.metadata.name ?? ''}`;
      const reasons = dry.filter((d) => d.document === m.document && d.severity === 'error').map((d) => d.message);
      outcome.failed.push({ manifest: m, displayName: name, error: new Error(reasons.join('; ')) });
      this.ctx.log.warn(`dry run of ${name} from ${source} failed: ${reasons.join('; ')}`);
    }

    for (const applied of outcome.applied) {
      this.ctx.log.info(`${applied.displayName} serverside-applied from ${source}`);
      for (const warning of applied.warnings) void vscode.window.showWarningMessage(`Kube Sim: Warning: ${warning}`);
      const manifest = valid.find((m) => m.object.kind === applied.object.kind && m.object.metadata.name === applied.object.metadata.name);
      if (manifest) {
        await this.locations.set(applied.object.kind ?? '', applied.object.metadata.namespace, applied.object.metadata.name ?? '', {
          uri: document.uri.toString(),
          line: document.positionAt(base + manifest.range[0]).line,
        });
      }
    }
    if (outcome.failed.length) {
      const names = outcome.failed.map((f) => `${f.displayName}: ${f.error.message}`).join('; ');
      void this.problem(`${outcome.applied.length ? `applied ${outcome.applied.map((a) => a.displayName).join(', ')}; ` : ''}not applied: ${names}`);
    }
    if (outcome.applied.length) {
      if (!outcome.failed.length) void vscode.window.showInformationMessage(`Kube Sim: ${outcome.applied.map((a) => `${a.displayName} serverside-applied`).join(', ')}`);
      const pod = outcome.applied.find((a) => a.object.kind === 'Pod');
      if (pod) await this.reveal(pod.object).catch((err: unknown) => this.ctx.log.warn(`could not reveal ${pod.displayName}: ${(err as Error).message}`));
    }
    return { ...outcome, diagnostics: found };
  }

  async delete(target: ManifestTarget): Promise<ApplyOutcome | undefined> {
    const parsed = parseManifests(target.text);
    if (!parsed.manifests.length) {
      void vscode.window.showWarningMessage(`Kube Sim: ${target.source} holds no Kubernetes object to delete.`);
      return undefined;
    }
    const session = await this.ctx.session();
    const outcome = await deleteManifests(session.client, parsed.manifests);
    for (const deleted of outcome.applied) this.ctx.log.info(`${deleted.displayName} deleted (from ${target.source})`);
    if (outcome.failed.length) void this.problem(outcome.failed.map((f) => f.error.message).join('; '));
    if (outcome.applied.length) void vscode.window.showInformationMessage(`Kube Sim: ${outcome.applied.map((a) => `${a.displayName} deleted`).join(', ')}`);
    return outcome;
  }

  private async problem(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(`Kube Sim: ${message}`, 'Show Problems');
    if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
  }
}

function diagnostic(range: vscode.Range, message: string, severity: vscode.DiagnosticSeverity, field?: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, message, severity);
  d.source = DIAGNOSTIC_SOURCE;
  if (field) d.code = field;
  return d;
}
