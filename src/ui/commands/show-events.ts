import { InspectCommand } from './inspect-command';

/** The events about a pod or node, as `kubectl describe` ends with them. */
export class ShowEventsCommand extends InspectCommand {
  readonly id = 'kubeSim.showEvents';
  protected readonly view = 'events' as const;
}
