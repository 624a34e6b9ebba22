/**
 * The abstract node every row of the cluster tree is (gitlens' ViewNode): it knows its parent (so the
 * view can reveal it), renders itself as a TreeItem and lists its children from the model, lazily:
 * VS Code asks for children only when a row is expanded. Nodes are cheap and rebuilt on every
 * repaint; `id` keeps a row's identity (selection, expansion) across them.
 */
import type * as vscode from 'vscode';

export abstract class ViewNode {
  constructor(readonly parent: ViewNode | undefined) {}

  /** Unique in the tree and stable across repaints, e.g. `pod/default/nginx`. */
  abstract readonly id: string;

  abstract getTreeItem(): vscode.TreeItem;

  getChildren(): ViewNode[] | Promise<ViewNode[]> {
    return [];
  }
}

/** The `contextValue`s menus match on (package.json `when` clauses). */
export const ContextValues = {
  cluster: 'kubeSim.cluster',
  node: 'kubeSim.node',
  nodeCordoned: 'kubeSim.node.cordoned',
  pendingPods: 'kubeSim.pendingPods',
  pod: 'kubeSim.pod',
  container: 'kubeSim.container',
  group: 'kubeSim.group',
  detail: 'kubeSim.detail',
  message: 'kubeSim.message',
} as const;
