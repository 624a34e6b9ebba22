import * as vscode from 'vscode';
import type { ClusterSession } from '../cluster-session';
import { NodeActionCommand } from './node-action';

/**
 * `kubectl drain`: cordon, evict every pod on the node, and wait until they are gone (the kubelet
 * stops each within its grace period, on the cluster clock: paused, the wait lasts until it runs).
 * The wait shows as a notification that can be cancelled; the evictions stand either way.
 */
export class DrainNodeCommand extends NodeActionCommand {
  readonly id = 'kubeSim.drainNode';
  protected readonly done = 'drained';
  protected override readonly confirm = 'Drain {node}? Its pods are evicted and the node is cordoned.';

  protected async act(session: ClusterSession, name: string): Promise<void> {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Kube Sim: draining node/${name}`, cancellable: true },
      async (progress, cancelled) => {
        const abort = new AbortController();
        const listener = cancelled.onCancellationRequested(() => abort.abort());
        try {
          await session.cluster.nodes.drain(name, {
            progress: (terminating) => progress.report({ message: terminating > 0 ? `${terminating} pod(s) terminating…` : 'done' }),
            signal: abort.signal,
          });
        } finally {
          listener.dispose();
        }
        if (abort.signal.aborted) throw new Error(`stopped waiting for the pods of node/${name} to terminate; their evictions stand`);
      },
    );
  }
}
