/**
 * Where each applied object came from: the editor document and the range of its YAML, so that
 * "Reveal Manifest" jumps from a pod in the tree to the document that applied it. Kept in the
 * workspace's state, so it survives a window reload as the cluster does.
 */
import * as vscode from 'vscode';

export interface ManifestLocation {
  uri: string;
  /** Zero-based line of the document's first line. */
  line: number;
}

const KEY = 'kubeSim.manifestLocations';
const MAX = 500;

export class ManifestLocations {
  constructor(private readonly state: vscode.Memento) {}

  static key(kind: string, namespace: string | undefined, name: string): string {
    return `${kind}/${namespace ?? ''}/${name}`;
  }

  get(kind: string, namespace: string | undefined, name: string): ManifestLocation | undefined {
    return this.all()[ManifestLocations.key(kind, namespace, name)];
  }

  async set(kind: string, namespace: string | undefined, name: string, location: ManifestLocation): Promise<void> {
    const all = this.all();
    const key = ManifestLocations.key(kind, namespace, name);
    delete all[key];
    all[key] = location;
    const keys = Object.keys(all);
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX))) delete all[old];
    await this.state.update(KEY, all);
  }

  private all(): Record<string, ManifestLocation> {
    return { ...this.state.get<Record<string, ManifestLocation>>(KEY, {}) };
  }
}
