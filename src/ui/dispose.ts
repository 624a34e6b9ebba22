/**
 * Everything long-lived in the extension (the cluster, informers, timers, tree providers, event
 * subscriptions) is a Disposable that registers what it owns, so that disposing the owner releases
 * all of it: exactly what leaks in an extension host otherwise.
 */
import * as vscode from 'vscode';

export function disposeAll(disposables: vscode.Disposable[]): void {
  const errors: unknown[] = [];
  while (disposables.length) {
    try {
      disposables.pop()?.dispose();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'several disposables failed to dispose');
}

export abstract class Disposable implements vscode.Disposable {
  private disposed = false;
  private readonly owned: vscode.Disposable[] = [];

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.owned);
  }

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Takes ownership of `disposable`: it is disposed with this object (last registered, first disposed). */
  protected register<T extends vscode.Disposable>(disposable: T): T {
    if (this.disposed) disposable.dispose();
    else this.owned.push(disposable);
    return disposable;
  }
}
