/** Helpers for the suite: reach the extension's API and read its tree as rendered. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KubeSimApi, RenderedTreeItem } from '../../../src/ui/api';

export const EXTENSION_ID = 'kube-sim.kube-sim';

export async function kubeSim(): Promise<KubeSimApi> {
  const extension = vscode.extensions.getExtension<KubeSimApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed`);
  return extension.activate();
}

/** Fails a wait that mocha's timeout would end without saying what was seen last. */
export const WAIT_LIMIT_MS = 90_000;

/** The cluster, node and pod rows as `label description` lines (for failure messages). */
export function treeText(tree: RenderedTreeItem[]): string {
  const lines: string[] = [];
  const walk = (rows: RenderedTreeItem[], depth: number) => {
    for (const row of rows) {
      lines.push(`${'  '.repeat(depth)}${row.label} ${row.description ?? ''}`.trimEnd());
      if (depth < 2) walk(row.children, depth + 1);
    }
  };
  walk(tree, 0);
  return lines.join('\n');
}

/**
 * Resolves with the tree once `predicate` holds, checking now and after every repaint: waits on the
 * extension's own events, never on wall time. After WAIT_LIMIT_MS it fails with the last tree seen,
 * so that a wait that never ends says why (mocha's timeout alone does not).
 */
export function treeWhere(api: KubeSimApi, predicate: (tree: RenderedTreeItem[]) => boolean): Promise<RenderedTreeItem[]> {
  return new Promise((resolve, reject) => {
    let done = false;
    let last: RenderedTreeItem[] = [];
    const finish = () => { done = true; subscription.dispose(); clearTimeout(limit); };
    const check = async () => {
      const tree = await api.renderTree();
      last = tree;
      if (done || !predicate(tree)) return;
      finish();
      resolve(tree);
    };
    const fail = (err: unknown) => { if (!done) { finish(); reject(err); } };
    const limit = setTimeout(() => fail(new Error(`the tree never matched ${predicate.toString()}; it shows:\n${treeText(last)}`)), WAIT_LIMIT_MS);
    const subscription = api.onDidRepaintTree(() => void check().catch(fail));
    void check().catch(fail);
  });
}

/** The children of the cluster row that are Nodes (cordoned or not, kubelet running or not). */
export function nodeRows(tree: RenderedTreeItem[]): RenderedTreeItem[] {
  return (tree[0]?.children ?? []).filter((row) => row.contextValue?.startsWith('kubeSim.node'));
}

/** The row of node `name`, if the tree shows it. */
export function nodeRow(tree: RenderedTreeItem[], name: string): RenderedTreeItem | undefined {
  return nodeRows(tree).find((row) => row.label === name);
}

/** The row of pod `name` and the label of the row it sits under (a node, or Pending). */
export function podRow(tree: RenderedTreeItem[], name: string): { parent: string; row: RenderedTreeItem } | undefined {
  for (const group of tree[0]?.children ?? []) {
    const row = group.children.find((r) => r.label === name && r.contextValue?.startsWith('kubeSim.pod'));
    if (row) return { parent: group.label, row };
  }
  return undefined;
}

/** Resolves with the status bar item once `predicate` holds, checking now and after every update of it. */
export function statusBarWhere(api: KubeSimApi, predicate: (shown: { text: string; tooltip: string }) => boolean): Promise<{ text: string; tooltip: string }> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const shown = api.statusBar();
      if (!predicate(shown)) return;
      subscription.dispose();
      clearTimeout(limit);
      resolve(shown);
    };
    const limit = setTimeout(() => { subscription.dispose(); reject(new Error(`the status bar never matched ${predicate.toString()}; it shows ${api.statusBar().text}`)); }, WAIT_LIMIT_MS);
    const subscription = api.onDidChangeStatusBar(check);
    check();
  });
}

/** Every pod row anywhere in the tree, as `parent/pod`. */
export function podRows(tree: RenderedTreeItem[]): string[] {
  const rows: string[] = [];
  for (const group of tree[0]?.children ?? []) {
    for (const row of group.children) if (row.contextValue?.startsWith('kubeSim.pod')) rows.push(`${group.label}/${row.label}`);
  }
  return rows;
}
