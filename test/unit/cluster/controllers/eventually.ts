/** Advances the ManualClock in small steps until `check` passes (virtual time only: nothing sleeps). */
import type { ManualClock } from '../../../../src/cluster/clock';

export async function eventually(clock: ManualClock, check: () => Promise<boolean> | boolean, what: string, steps = 60, stepMs = 100): Promise<void> {
  for (let i = 0; i < steps; i++) {
    if (await check()) return;
    await clock.advance(stepMs);
  }
  if (!(await check())) throw new Error(`still not true after ${(steps * stepMs) / 1000} s of cluster time: ${what}`);
}
