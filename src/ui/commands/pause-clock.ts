import type { KubeSimContext } from '../context';
import type { Command } from './command-manager';

/** Pauses the cluster clock: timers (pulls, back-offs, heartbeats, lease expiry) stop where they are. */
export class PauseClockCommand implements Command {
  readonly id = 'kubeSim.pauseClock';

  constructor(private readonly ctx: KubeSimContext) {}

  async execute(): Promise<void> {
    (await this.ctx.session()).cluster.clock.pause();
  }
}
