import { everyInterval, type Clock } from '../clock';
import { CompactedError, KVStore } from './types';

/** kube-apiserver's default --etcd-compaction-interval. */
export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60 * 1000;

/**
 * Keeps the store's history bounded the way kube-apiserver does for etcd: every interval it
 * compacts to the revision it saw one interval earlier, so watchers and lists at a resourceVersion
 * stay valid for at least one interval and then get 410 Gone (relist). Without it the store keeps
 * every revision forever, and the durable store's snapshots grow with the whole history.
 *
 * Runs on the cluster clock: at speed 10, history is kept for 30 real seconds.
 */
export class Compactor {
  private rounds: { stop(): void } | undefined;
  private previous = 0;

  constructor(
    private readonly store: KVStore,
    private readonly clock: Clock,
    private readonly intervalMs = DEFAULT_COMPACTION_INTERVAL_MS,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  start(): this {
    this.rounds ??= everyInterval(this.clock, this.intervalMs, () => this.tick(), (err) =>
      this.log(`store compaction failed: ${err instanceof Error ? err.message : String(err)}`));
    return this;
  }

  stop(): void {
    this.rounds?.stop();
    this.rounds = undefined;
  }

  /** One round: compact to the revision recorded last round, then record the current one. */
  async tick(): Promise<void> {
    const current = await this.store.revision();
    const target = this.previous;
    this.previous = current;
    if (target <= 0 || target <= (await this.store.compactedRevision())) return;
    try {
      await this.store.compact(target);
    } catch (err) {
      if (err instanceof CompactedError) return; // someone compacted further already
      this.log(`store compaction to revision ${target} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
