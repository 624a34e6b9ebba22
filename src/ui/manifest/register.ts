/**
 * Manifest intelligence in the editor (issue 7): hovers, squiggles and completion on YAML manifests,
 * owned by the extension's context like every other disposable.
 */
import * as vscode from 'vscode';
import type { KubeSimContext } from '../context';
import { ManifestCompletionProvider } from './completion-provider';
import { ManifestDiagnostics } from './diagnostics';
import { ManifestHoverProvider } from './hover-provider';
import { LiveSnapshots } from './live-snapshot';
import { MANIFEST_SELECTOR } from './selector';

export function registerManifestIntelligence(ctx: KubeSimContext): void {
  const snapshots = new LiveSnapshots(ctx);
  ctx.own(vscode.languages.registerHoverProvider(MANIFEST_SELECTOR, new ManifestHoverProvider(snapshots)));
  ctx.own(vscode.languages.registerCompletionItemProvider(MANIFEST_SELECTOR, new ManifestCompletionProvider(), ' ', ':'));
  ctx.own(new ManifestDiagnostics(ctx, snapshots));
}
