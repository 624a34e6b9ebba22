import * as vscode from 'vscode';
import type { KubeSimContext } from '../context';
import type { Command } from './command-manager';

/** Sets how fast cluster time runs (for this run; the `kubeSim.speed` setting is the default at start). */
export class SetSpeedCommand implements Command {
  readonly id = 'kubeSim.setSpeed';

  constructor(private readonly ctx: KubeSimContext) {}

  async execute(speed?: unknown): Promise<number | undefined> {
    const session = await this.ctx.session();
    let chosen = typeof speed === 'number' ? speed : undefined;
    if (chosen === undefined) {
      const pick = await vscode.window.showQuickPick(['0.5', '1', '2', '5', '10', '60'].map((s) => ({ label: `${s}×`, description: s === '1' ? 'real time' : undefined, speed: Number(s) })), { placeHolder: `Cluster clock speed (now ${session.cluster.clock.speed}×)` });
      if (!pick) return undefined;
      chosen = pick.speed;
    }
    session.cluster.clock.setSpeed(chosen);
    return chosen;
  }
}
