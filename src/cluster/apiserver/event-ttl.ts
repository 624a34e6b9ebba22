import { everyInterval, type Clock } from '../clock';
import { prefixEnd, type Compare, type KVStore, type TxnOp } from '../store/types';

/** kube-apiserver's default --event-ttl. */
export const DEFAULT_EVENT_TTL_MS = 60 * 60 * 1000;
/**
 * How often expired events are looked for, and the granularity of their expiry. kube-apiserver
 * attaches events to etcd leases and reuses a lease for the writes of one minute (its
 * leaseReuseDurationSeconds), so there an event also lives its TTL plus up to a minute.
 */
const SWEEP_INTERVAL_MS = 60 * 1000;
const EVENTS_PREFIX = '/registry/events/';
/** Deletes of one transaction: an etcd lease revoke deletes all its keys at one revision too. */
const MAX_DELETES_PER_TXN = 10_000;

/**
 * Events expire `ttl` after their last write, as kube-apiserver stores them (core and
 * events.k8s.io events share these keys). The store has no leases, so each minute of cluster
 * time the sweeper notes which revision the store had reached; an event whose newest version is
 * at or below the revision noted at least `ttl` ago was last written at least that long ago, and
 * is deleted (only if still that version: a newer write renews it). Watchers see the deletes.
 *
 * Times are not stored: after a restart the events already there count as written at the start,
 * so they live one more `ttl` (etcd keeps a lease's remaining time; this errs on keeping).
 */
export class EventTtl {
  private rounds: { stop(): void } | undefined;
  /** [revision, time] noted at the start and each sweep, oldest first; of those older than `ttl`, only the newest is kept. */
  private marks: [revision: number, time: number][] = [];
  /** The highest revision already swept to. */
  private swept = 0;

  constructor(
    private readonly store: KVStore,
    private readonly clock: Clock,
    private readonly ttlMs = DEFAULT_EVENT_TTL_MS,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  async start(): Promise<this> {
    this.marks.push([await this.store.revision(), this.clock.now()]);
    this.rounds ??= everyInterval(this.clock, SWEEP_INTERVAL_MS, () => this.sweep(), (err) =>
      this.log(`event expiry failed: ${err instanceof Error ? err.message : String(err)}`));
    return this;
  }

  stop(): void {
    this.rounds?.stop();
    this.rounds = undefined;
  }

  /** One sweep: deletes the events last written at or before the revision noted `ttl` ago. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    this.marks.push([await this.store.revision(), now]);
    let newestExpired = -1;
    while (newestExpired + 1 < this.marks.length && this.marks[newestExpired + 1]![1] <= now - this.ttlMs) newestExpired++;
    if (newestExpired < 0) return 0;
    const cutoff = this.marks[newestExpired]![0];
    // The newest expired mark stays first: it is the cutoff until a newer one expires.
    this.marks.splice(0, newestExpired);
    if (cutoff <= this.swept) return 0;
    const { kvs } = await this.store.range({ key: EVENTS_PREFIX, end: prefixEnd(EVENTS_PREFIX) });
    const expired = kvs.filter((kv) => kv.modRevision <= cutoff);
    let deleted = 0;
    for (let i = 0; i < expired.length; i += MAX_DELETES_PER_TXN) {
      const batch = expired.slice(i, i + MAX_DELETES_PER_TXN);
      const compares: Compare[] = batch.map((kv) => ({ key: kv.key, target: 'mod', result: '=', value: kv.modRevision }));
      const deletes: TxnOp[] = batch.map((kv) => ({ type: 'delete', key: kv.key }));
      const result = await this.store.txn(compares, deletes);
      if (result.succeeded) {
        deleted += batch.length;
        continue;
      }
      // Some were written again meanwhile (renewed): one at a time, each only if unchanged.
      for (let j = 0; j < batch.length; j++) {
        if ((await this.store.txn([compares[j]!], [deletes[j]!])).succeeded) deleted++;
      }
    }
    this.swept = cutoff;
    return deleted;
  }
}
