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

  /**
   * `seed`: path, content, path, content... in the order they were set (a path at most once);
   * `hostname`: when set, /etc/hostname (`<hostname>\n`) comes first and is not in the seed.
   */
  constructor(private seed: readonly string[], private hostname?: string) {}

  /** Files from `entries` in order; a later entry of a path replaces the content and keeps the place (as Map.set). */
  static of(entries: Iterable<readonly [string, string]>): ContainerFiles {
    return new ContainerFiles(seedOf(entries));
  }

  /**
   * A container's files: /etc/hostname of `hostname`, then `mounted` (as `of`). Every container
   * would otherwise keep its own copy of what is the same in many (the pod's name and a newline, the
   * service account's ca.crt at the same path): the hostname file is made from the name when read,
   * and a seed the same as one made before is that one.
   */
  static forHost(hostname: string, mounted: Iterable<readonly [string, string]>): ContainerFiles {
    const seed = seedOf(mounted);
    if (seed.includes(HOSTNAME_FILE)) return ContainerFiles.of([[HOSTNAME_FILE, `${hostname}\n`], ...pairs(seed)]);
    return new ContainerFiles(internSeed(seed), hostname);
  }

  private get files(): Map<string, string> {
    if (!this.map) {
      const map = new Map<string, string>();
      if (this.hostname !== undefined) map.set(HOSTNAME_FILE, `${this.hostname}\n`);
      for (let i = 0; i < this.seed.length; i += 2) map.set(this.seed[i]!, this.seed[i + 1]!);
      this.map = map;
      this.seed = NO_SEED;
      this.hostname = undefined;
    }
    return this.map;
  }

  get size(): number { return this.map ? this.map.size : this.seed.length / 2 + (this.hostname !== undefined ? 1 : 0); }
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

const HOSTNAME_FILE = '/etc/hostname';
const NO_SEED: readonly string[] = Object.freeze([]);

function seedOf(entries: Iterable<readonly [string, string]>): string[] {
  const seed: string[] = [];
  for (const [path, content] of entries) {
    let at = -1;
    for (let i = 0; i < seed.length; i += 2) if (seed[i] === path) { at = i; break; }
    if (at >= 0) seed[at + 1] = content;
    else seed.push(path, content);
  }
  // Of its exact length: pushing left room for more.
  return seed.slice();
}

function* pairs(seed: readonly string[]): Generator<[string, string]> {
  for (let i = 0; i < seed.length; i += 2) yield [seed[i]!, seed[i + 1]!];
}

/**
 * Seeds already made, by their text: read-only, shared by every container whose mounts hold the
 * same files (a bounded set; contents are compared in full, so sharing never mixes two).
 */
const seeds = new Map<string, readonly string[]>();
const MAX_SEEDS = 1024;
/**
 * The characters the pool keeps (each seed's key, about as much again in its texts). A ConfigMap
 * holds up to 1 MiB: bounded by count alone, versions of large mounts of pods long gone would stay
 * (a gigabyte for 1,024 of them). A seed larger than a share of this is not pooled: it is kept by
 * its containers only, as before pooling.
 */
const MAX_SEED_CHARS = 4 * 1024 * 1024;
const MAX_POOLED_SEED_CHARS = MAX_SEED_CHARS / 16;
let seedChars = 0;

function internSeed(seed: string[]): readonly string[] {
  if (seed.length === 0) return NO_SEED;
  let length = seed.length;
  for (const text of seed) length += text.length;
  if (length > MAX_POOLED_SEED_CHARS) return seed;
  const key = seed.join('\0');
  let shared = seeds.get(key);
  // The same key from other texts (one with a NUL in it): not shared.
  if (shared !== undefined && !(shared.length === seed.length && shared.every((text, i) => text === seed[i]))) return seed;
  if (shared === undefined) {
    if (seeds.size >= MAX_SEEDS || seedChars + key.length > MAX_SEED_CHARS) {
      seeds.clear();
      seedChars = 0;
    }
    shared = Object.freeze(seed);
    seeds.set(key, shared);
    seedChars += key.length;
  }
  return shared;
}

/** The characters of the keys the pool of shared seeds keeps now (tests). */
export function sharedSeedChars(): number {
  return seedChars;
}
