/**
 * A container's files, made when first used. What a container starts with (/etc/hostname and the
 * files of its mounted ConfigMaps and Secrets) is kept as the pairs it came as, and the Map the
 * processes read and write is built from them only when something does: most containers never
 * touch a file after they start (a server), and every one of them would otherwise hold a Map.
 *
 * It is a Map in every respect (insertion order, `set` of an existing path keeping its place).
 */
export class ContainerFiles implements Map<string, string> {
  private map: Map<string, string> | undefined;

  /** `seed`: path, content, path, content... in the order they were set (a path at most once). */
  constructor(private seed: readonly string[]) {}

  /** Files from `entries` in order; a later entry of a path replaces the content and keeps the place (as Map.set). */
  static of(entries: Iterable<readonly [string, string]>): ContainerFiles {
    const seed: string[] = [];
    for (const [path, content] of entries) {
      let at = -1;
      for (let i = 0; i < seed.length; i += 2) if (seed[i] === path) { at = i; break; }
      if (at >= 0) seed[at + 1] = content;
      else seed.push(path, content);
    }
    // Of its exact length: pushing left room for more.
    return new ContainerFiles(seed.slice());
  }

  private get files(): Map<string, string> {
    if (!this.map) {
      const map = new Map<string, string>();
      for (let i = 0; i < this.seed.length; i += 2) map.set(this.seed[i]!, this.seed[i + 1]!);
      this.map = map;
      this.seed = NO_SEED;
    }
    return this.map;
  }

  get size(): number { return this.map ? this.map.size : this.seed.length / 2; }
  get(path: string): string | undefined { return this.files.get(path); }
  has(path: string): boolean { return this.files.has(path); }
  set(path: string, content: string): this { this.files.set(path, content); return this; }
  delete(path: string): boolean { return this.files.delete(path); }
  clear(): void { this.files.clear(); }
  forEach(callback: (content: string, path: string, map: Map<string, string>) => void, thisArg?: unknown): void {
    this.files.forEach((content, path) => callback.call(thisArg, content, path, this));
  }
  keys(): MapIterator<string> { return this.files.keys(); }
  values(): MapIterator<string> { return this.files.values(); }
  entries(): MapIterator<[string, string]> { return this.files.entries(); }
  [Symbol.iterator](): MapIterator<[string, string]> { return this.files[Symbol.iterator](); }
  get [Symbol.toStringTag](): string { return 'Map'; }
}

const NO_SEED: readonly string[] = Object.freeze([]);
