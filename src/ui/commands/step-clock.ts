import * as vscode from 'vscode';
import type { KubeSimContext } from '../context';
import type { Command } from './command-manager';
import { reporting } from './targets';

/** Moves cluster time forward by a step (default 10 s), firing what falls due in order; works paused or running. */
export class StepClockCommand implements Command {
  readonly id = 'kubeSim.stepClock';

  constructor(private readonly ctx: KubeSimContext) {}

  async execute(seconds?: unknown): Promise<void> {
    const session = await this.ctx.session();
    let step = typeof seconds === 'number' ? seconds : undefined;
    if (step === undefined) {
      const pick = await vscode.window.showQuickPick(['1', '10', '30', '60', '300'].map((s) => ({ label: `${s} s`, seconds: Number(s) })), { placeHolder: 'Advance the cluster clock by' });
      if (!pick) return;
      step = pick.seconds;
    }
    const ms = step * 1000;
    await reporting('step the clock', async () => {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Kube Sim: stepping the clock ${step} s` },
        () => session.cluster.clock.advance(ms),
      );
    }, this.ctx.log);
  }
}
