/**
 * What activate() returns: a small API for the integration tests (and, later, other extensions) to
 * observe the extension as a user sees it, without reaching into its internals.
 */
import type * as vscode from 'vscode';
import type { ClusterInfo, ClusterSession } from './cluster-session';

/** A tree row as the view renders it, with its children expanded. */
export interface RenderedTreeItem {
  label: string;
  description?: string;
  contextValue?: string;
  /** The codicon id of a ThemeIcon (`server`, `question`), with its theme colour id if any: `server testing.iconPassed`. */
  icon?: string;
  children: RenderedTreeItem[];
}

export interface KubeSimApi {
  /** Resolves when the cluster runs (rejects with the reason when it fails to start). */
  whenRunning(): Promise<ClusterInfo>;
  /** Resolves when the tree's informers have delivered their first lists. */
  whenTreeSynced(): Promise<void>;
  /** The whole tree, walked through the tree data provider as the view would. */
  renderTree(): Promise<RenderedTreeItem[]>;
  /** Fires after each (coalesced) repaint of the tree. */
  readonly onDidRepaintTree: vscode.Event<void>;
  /** The status bar item's text and tooltip as shown now (`$(icon)` syntax kept). */
  statusBar(): { text: string; tooltip: string };
  /** Fires after each (coalesced) update of the status bar item. */
  readonly onDidChangeStatusBar: vscode.Event<void>;
  /** The running session (cluster, client, model): for tests that drive the clock or read the audit log. */
  session(): Promise<ClusterSession>;
}
