/**
 * One command per file: each declares its id and takes what it needs in its constructor; the manager
 * registers them and owns the registrations.
 */
import * as vscode from 'vscode';

export interface Command {
  readonly id: string;
  execute(...args: unknown[]): unknown;
}

export class CommandManager implements vscode.Disposable {
  private readonly registrations = new Map<string, vscode.Disposable>();

  register(command: Command): void {
    if (this.registrations.has(command.id)) throw new Error(`command ${command.id} registered twice`);
    this.registrations.set(command.id, vscode.commands.registerCommand(command.id, command.execute, command));
  }

  dispose(): void {
    for (const registration of this.registrations.values()) registration.dispose();
    this.registrations.clear();
  }
}
