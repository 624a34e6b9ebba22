import type * as vscode from 'vscode';
import type { KubeObject } from '../../cluster/api/types';
import type { KubeSimContext } from '../context';
import type { ClusterTreeProvider } from './cluster-tree-provider';
import type { ViewNode } from './nodes/view-node';

/**
 * Selects an applied pod's row once the tree's informer holds it (the very object the write
 * returned). Focus moves to the view so the row shows as the active selection, not the faint
 * inactive one, and the view opens if it was hidden.
 */
export async function revealPod(ctx: KubeSimContext, tree: ClusterTreeProvider, view: vscode.TreeView<ViewNode>, pod: KubeObject): Promise<void> {
  if (ctx.state.kind !== 'running') return;
  const { namespace = 'default', name = '', uid } = pod.metadata;
  await ctx.state.session.model.whenPodSeen(namespace, name, uid);
  tree.repaintNow();
  const node = tree.podNode(namespace, name);
  if (node) await view.reveal(node, { select: true, focus: true, expand: false });
}
