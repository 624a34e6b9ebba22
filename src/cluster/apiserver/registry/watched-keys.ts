/**
 * The newest key-value of every key under a prefix, kept by a store watch: what admission reads for
 * every create (its namespace; a pod's service account and the priority classes), found in memory
 * as kube-apiserver's plugins find it in an informer's lister, instead of a store read (a range,
 * its promises and result) per create.
 *
 * Contract: once `ready`, `get` answers what a store read would have answered when the writer of
 * the last change the store made under the prefix was answered: the store's watch fan-out runs
 * before a writer resumes, so a client that awaited a write (a namespace created, or deleted)
 * finds the change. A read racing a write it did not wait for may see the state just before that
 * write, as with an informer. Before the watch runs, and after it failed until a new list and
 * watch are in place (an informer's relist), `get` answers undefined and callers read the store.
 */
import { prefixEnd, type KeyValue, type KVStore, type StoreWatcher } from '../../store/types';

export class WatchedKeys {
  private readonly values = new Map<string, KeyValue>();
  private watcher: StoreWatcher | undefined;
  private ready = false;
  private stopped = false;

  constructor(private readonly kv: KVStore, private readonly prefix: string) {}

  /** Lists the prefix and watches it from there; `get` answers once this resolves. */
  async start(): Promise<void> {
    if (this.stopped) return;
    const end = prefixEnd(this.prefix);
    let listed;
    try {
      listed = await this.kv.range({ key: this.prefix, end });
    } catch {
      return;
    }
    for (const kv of listed.kvs) this.values.set(kv.key, kv);
    this.watcher = this.kv.watch(
      { key: this.prefix, end, startRevision: listed.revision + 1 },
      (events) => {
        for (const event of events) {
          if (event.type === 'delete') this.values.delete(event.kv.key);
          else this.values.set(event.kv.key, event.kv);
        }
      },
      () => this.relist(),
    );
    this.ready = true;
  }

  /** The newest key-value of `key`, null when there is none, undefined when not known (read the store). */
  get(key: string): KeyValue | null | undefined {
    if (!this.ready) return undefined;
    return this.values.get(key) ?? null;
  }

  /** Every key-value under the prefix in key order (as a store range lists them), undefined when not known. */
  list(): KeyValue[] | undefined {
    if (!this.ready) return undefined;
    return [...this.values.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  stop(): void {
    this.stopped = true;
    this.forget();
  }

  /** After a watch error (its start revision compacted, say): forgotten, then listed and watched anew. */
  private relist(): void {
    this.forget();
    void this.start();
  }

  private forget(): void {
    this.ready = false;
    this.watcher?.cancel();
    this.watcher = undefined;
    this.values.clear();
  }
}
