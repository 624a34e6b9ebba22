import { InspectCommand } from './inspect-command';

/** `kubectl describe` of a pod or node, in kubectl's layout. */
export class DescribeCommand extends InspectCommand {
  readonly id = 'kubeSim.describe';
  protected readonly view = 'describe' as const;
}
