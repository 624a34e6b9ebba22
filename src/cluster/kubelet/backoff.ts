/**
 * client-go's flowcontrol.Backoff as the kubelet uses it for container restarts and image pulls.
 *
 * - `next(key)` at a restart: the first one (or the first after the entry expired) sets the wait to
 *   `initial`; each later one doubles it, up to `max`.
 * - `inBackOffSince(key, eventTime)`: still waiting if less than the current wait has passed since
 *   `eventTime` (the container's finishedAt).
 * - An entry expires when more than 2 × max passed between its last update and the event: a
 *   container that ran 10 minutes without failing starts over at 10 s.
 */
import type { BackOffPolicy } from './behaviour';

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class BackOff {
  /** Made at the first entry: a kubelet has two BackOffs and most never back off (an empty Map is ~150 bytes). */
  private entries: Map<string, Entry> | undefined = undefined;

  constructor(private readonly policy: BackOffPolicy, private readonly now: () => number) {}

  next(key: string, eventTime = this.now()): number {
    const entry = this.entries?.get(key);
    if (!entry || this.expired(entry, eventTime)) {
      (this.entries ??= new Map()).set(key, { backoffMs: this.policy.initialMs, lastUpdate: this.now() });
      return this.policy.initialMs;
    }
    entry.backoffMs = Math.min(entry.backoffMs * 2, this.policy.maxMs);
    entry.lastUpdate = this.now();
    return entry.backoffMs;
  }

  /** The current wait, when `key` is in back-off at `eventTime`; undefined when it may go ahead. */
  inBackOffSince(key: string, eventTime: number): number | undefined {
    const entry = this.entries?.get(key);
    if (!entry || this.expired(entry, eventTime)) return undefined;
    return this.now() - eventTime < entry.backoffMs ? entry.backoffMs : undefined;
  }

  /** When the back-off for `key` since `eventTime` ends. */
  readyAt(key: string, eventTime: number): number {
    const entry = this.entries?.get(key);
    return entry ? eventTime + entry.backoffMs : eventTime;
  }

  /**
   * Puts back an entry a previous kubelet process had (adoption.ts): `backoffMs` is the wait after
   * the container's last exit, `lastUpdate` when it was set (the container's last restart).
   */
  restore(key: string, backoffMs: number, lastUpdate: number): void {
    (this.entries ??= new Map()).set(key, { backoffMs: Math.min(backoffMs, this.policy.maxMs), lastUpdate });
  }

  forget(key: string): void {
    this.entries?.delete(key);
  }

  forgetPrefix(prefix: string): void {
    const entries = this.entries;
    if (entries === undefined) return;
    for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
  }

  private expired(entry: Entry, eventTime: number): boolean {
    return eventTime - entry.lastUpdate > 2 * this.policy.maxMs;
  }
}
