/**
 * CycleState: what plugins compute in PreFilter/PreScore and read back in Filter/Score for the same
 * pod in the same cycle (STYLE.md #7). Keys are the plugin's own (usually "PreFilter" + name).
 * `clone()` is shallow per key; plugins whose state preemption changes (AddPod/RemovePod) store
 * values with a `clone()` method, which is used instead.
 */
export interface Cloneable<T> {
  clone(): T;
}

export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose PreFilter returned Skip: their Filter does not run this cycle. */
  readonly skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore returned Skip: their Score does not run this cycle. */
  readonly skipScorePlugins = new Set<string>();
  /** The Filter plugins that run this cycle (set after PreFilter; saves a Skip lookup per node). */
  activeFilterPlugins: unknown[] | undefined;

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  clone(): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) {
      const cloneable = v as Partial<Cloneable<unknown>> | null;
      c.data.set(k, cloneable && typeof cloneable === 'object' && typeof cloneable.clone === 'function' ? cloneable.clone() : v);
    }
    for (const p of this.skipFilterPlugins) c.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) c.skipScorePlugins.add(p);
    c.activeFilterPlugins = this.activeFilterPlugins;
    return c;
  }
}
