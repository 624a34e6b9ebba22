import { ApplyPodCommand } from './apply-pod';

/**
 * "Apply (server-side, force conflicts)": Apply Pod with `--force-conflicts`: fields another manager
 * (kubectl, a controller) owns are taken over instead of failing with a conflict.
 */
export class ApplyServerSideCommand extends ApplyPodCommand {
  override readonly id = 'kubeSim.applyServerSide';
  protected override readonly force = true;
}
