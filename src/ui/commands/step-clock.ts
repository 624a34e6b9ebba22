import * as vscode from 'vscode';
import type { VirtualClock } from '../../cluster/clock';
import type { KubeSimContext } from '../context';
import type { Command } from './command-manager';
import { reporting } from './targets';

/** Cluster time per advance when stepping; between two, the writes the timers started get to land. */
export const STEP_CHUNK_MS = 1_000;
/** Real time given to the store between two chunks (a group commit is one fdatasync). */
const LAND_MS = 10;

/**
 * Moves cluster time forward by `ms`, a second at a time with a few real milliseconds between.
 * One advance over minutes fires every timer within milliseconds of real time, faster than the
 * durable store commits the writes they start (each waits for an fdatasync, which the clock's settle
 * does not wait for): lease renewals landed minutes late in cluster time, so the node lifecycle
 * controller found healthy nodes silent (Unknown, later evicted) and a stopped one still Ready.
 * Measured on a 3-node cluster with one kubelet stopped, 60 s + 300 s: in one advance each, a node
 * misjudged in 2 of 3 runs; a second at a time, none in 3 (about 4 s of real time for the 360 s).
 * The cure belongs in the clock (waiting for the store's writes); this keeps the command honest meanwhile.
 */
export async function stepClock(clock: VirtualClock, ms: number): Promise<void> {
  for (let done = 0; done < ms; done += STEP_CHUNK_MS) {
    await clock.advance(Math.min(STEP_CHUNK_MS, ms - done));
    await new Promise((resolve) => setTimeout(resolve, LAND_MS));
  }
}

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
        () => stepClock(session.cluster.clock, ms),
      );
    }, this.ctx.log);
  }
}
