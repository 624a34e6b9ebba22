import { InspectCommand } from './inspect-command';

/** YAML of the live object (`kubectl get -o yaml`, without managedFields). */
export class ShowYamlCommand extends InspectCommand {
  readonly id = 'kubeSim.showYaml';
  protected readonly view = 'yaml' as const;
}
