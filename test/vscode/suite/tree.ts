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

/**
 * Resolves with the tree once `predicate` holds, checking now and after every repaint: waits on the
 * extension's own events, never on wall time (mocha's timeout bounds it).
 */
export function treeWhere(api: KubeSimApi, predicate: (tree: RenderedTreeItem[]) => boolean): Promise<RenderedTreeItem[]> {
  return new Promise((resolve, reject) => {
    let done = false;
    const check = async () => {
      const tree = await api.renderTree();
      if (done || !predicate(tree)) return;
      done = true;
      subscription.dispose();
      resolve(tree);
    };
    const subscription = api.onDidRepaintTree(() => void check().catch(reject));
    void check().catch(reject);
  });
}

/** The children of the cluster row that are Nodes. */
export function nodeRows(tree: RenderedTreeItem[]): RenderedTreeItem[] {
  return (tree[0]?.children ?? []).filter((row) => row.contextValue === 'kubeSim.node');
}

/** Every pod row anywhere in the tree, as `parent/pod`. */
export function podRows(tree: RenderedTreeItem[]): string[] {
  const rows: string[] = [];
  for (const group of tree[0]?.children ?? []) {
    for (const row of group.children) if (row.contextValue === 'kubeSim.pod') rows.push(`${group.label}/${row.label}`);
  }
  return rows;
}
