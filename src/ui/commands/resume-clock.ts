import type { KubeSimContext } from '../context';
import type { Command } from './command-manager';

/** Resumes a paused cluster clock at its speed. */
export class ResumeClockCommand implements Command {
  readonly id = 'kubeSim.resumeClock';

  constructor(private readonly ctx: KubeSimContext) {}

  async execute(): Promise<void> {
    (await this.ctx.session()).cluster.clock.resume();
  }
}
