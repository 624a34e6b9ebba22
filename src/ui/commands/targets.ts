/**
 * What a command acts on: the tree row it was invoked on (a pod, a container, a node), an object a
 * caller passes (`{ namespace, name }`, `"ns/name"`, a node name), or, from the command palette, the
 * user's pick.
 */
import * as vscode from 'vscode';
import type { ClusterSession } from '../cluster-session';
import { ContainerNode } from '../tree/nodes/container-node';
import { NodeNode } from '../tree/nodes/node-node';
import { PodNode } from '../tree/nodes/pod-node';

export interface PodRef {
  namespace: string;
  name: string;
  container?: string;
}

export async function podTarget(session: ClusterSession, arg: unknown): Promise<PodRef | undefined> {
  if (arg instanceof PodNode) return { namespace: arg.pod.metadata.namespace ?? 'default', name: arg.pod.metadata.name ?? '' };
  if (arg instanceof ContainerNode) return { namespace: arg.pod.metadata.namespace ?? 'default', name: arg.pod.metadata.name ?? '', container: arg.container.name };
  if (typeof arg === 'string' && arg.includes('/')) {
    const [namespace, name] = arg.split('/', 2) as [string, string];
    return { namespace, name };
  }
  if (typeof arg === 'object' && arg !== null && typeof (arg as PodRef).name === 'string') {
    const ref = arg as PodRef;
    return { ...ref, namespace: ref.namespace ?? 'default' };
  }
  const pods = session.model.allPods();
  if (!pods.length) {
    void vscode.window.showInformationMessage('Kube Sim: there are no pods in the cluster.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    pods.map((p) => ({ label: p.metadata.name ?? '', description: `${p.metadata.namespace} · ${p.spec.nodeName ?? 'Pending'}`, ref: { namespace: p.metadata.namespace ?? 'default', name: p.metadata.name ?? '' } })),
    { placeHolder: 'Pod' },
  );
  return pick?.ref;
}

export async function nodeTarget(session: ClusterSession, arg: unknown): Promise<string | undefined> {
  if (arg instanceof NodeNode) return arg.name;
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { name?: unknown }).name === 'string') return (arg as { name: string }).name;
  const pick = await vscode.window.showQuickPick(session.model.nodeList().map((n) => n.metadata.name ?? ''), { placeHolder: 'Node' });
  return pick;
}

/** Runs a command's action, turning a failure into a notification (and a log line). */
export async function reporting<T>(what: string, action: () => Promise<T>, log: vscode.LogOutputChannel): Promise<T | undefined> {
  try {
    return await action();
  } catch (err) {
    const message = (err as Error).message;
    log.error(`${what}: ${message}`);
    void vscode.window.showErrorMessage(`Kube Sim: ${what}: ${message}`);
    return undefined;
  }
}
