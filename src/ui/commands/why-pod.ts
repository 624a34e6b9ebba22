import { InspectCommand } from './inspect-command';

/** "Why is this pod here / Pending?" */
export class WhyPodCommand extends InspectCommand {
  readonly id = 'kubeSim.whyPod';
  protected readonly view = 'why' as const;
}
