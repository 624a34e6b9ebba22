import * as vscode from 'vscode';
import type { InspectTarget } from '../inspect/inspect-uri';
import { InspectCommand } from './inspect-command';

/**
 * Logs of a pod's container (`kubectl logs`): asks which container when there are several, and
 * whether to follow (the document refreshes as the pod changes) or read the previous instance's.
 */
export class ShowLogsCommand extends InspectCommand {
  readonly id = 'kubeSim.showLogs';
  protected readonly view = 'logs' as const;
  protected override readonly nodes = false;

  /** `options` lets a caller skip the questions: `{ follow, previous }`. */
  override async execute(arg?: unknown, options?: unknown): Promise<vscode.TextDocument | undefined> {
    this.options = typeof options === 'object' && options !== null ? (options as { follow?: boolean; previous?: boolean }) : undefined;
    return super.execute(arg);
  }

  private options: { follow?: boolean; previous?: boolean } | undefined;

  protected override async podTarget(namespace: string, name: string, container: string | undefined): Promise<InspectTarget | undefined> {
    const session = await this.ctx.session();
    const pod = session.model.pod(namespace, name);
    const containers = [...(pod?.spec.initContainers ?? []), ...(pod?.spec.containers ?? [])].map((c) => c.name);
    let chosen = container;
    if (!chosen && containers.length > 1 && !this.options) chosen = await vscode.window.showQuickPick(containers, { placeHolder: `Container of ${name}` });
    else if (!chosen) chosen = pod?.spec.containers?.[0]?.name;
    if (!chosen) return undefined;
    let mode = this.options;
    if (!mode) {
      const pick = await vscode.window.showQuickPick([
        { label: 'Follow', description: 'keep the document current as the container writes', value: { follow: true } },
        { label: 'Current', description: 'the log as it is now', value: {} },
        { label: 'Previous', description: 'the log of the previous (restarted) instance', value: { previous: true } },
      ], { placeHolder: `Logs of ${name}/${chosen}` });
      if (!pick) return undefined;
      mode = pick.value;
    }
    const target: InspectTarget = { view: 'logs', kind: 'pod', namespace, name, container: chosen };
    if (mode.follow) target.follow = true;
    if (mode.previous) target.previous = true;
    return target;
  }
}
