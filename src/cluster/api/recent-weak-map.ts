/**
 * A WeakMap of the keys set or read recently: two generations of `generation` keys each; a key
 * read from the older one moves to the newer, and the older is dropped whole when the newer is
 * full. For memos keyed by objects that come and go in bursts (a pod's frozen spec or field set):
 * one WeakMap kept an entry for every such object for as long as it lived (~29 bytes each), and the
 * room of its table after they were gone, since V8 does not shrink a WeakMap's table as its keys
 * are collected (measured: 4.1 MB kept after 150,000 keys died). Keys met again and again (the few
 * shared ones) stay.
 */
export class RecentWeakMap<K extends object, V> {
  private newer = new WeakMap<K, V>();
  private older = new WeakMap<K, V>();
  private added = 0;

  constructor(private readonly generation: number) {}

  get(key: K): V | undefined {
    const value = this.newer.get(key);
    if (value !== undefined) return value;
    const old = this.older.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: K, value: V): void {
    this.newer.set(key, value);
    if (++this.added < this.generation) return;
    this.older = this.newer;
    this.newer = new WeakMap();
    this.added = 0;
  }
}
