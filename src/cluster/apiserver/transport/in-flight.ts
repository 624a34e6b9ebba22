/**
 * How many in-process requests the API server handles at once; the rest wait their turn, first come
 * first served (kube-apiserver's --max-requests-inflight, but queuing instead of answering 429).
 *
 * Why: on the memory store the in-process path has no I/O, only awaits of settled promises, so a burst of requests (a
 * client's batch of 500 creates, hundreds of kubelets' status writes due at the same instant) moves
 * in lockstep, every request one step at a time. Each request's intermediate objects (its body, the
 * copy it patches, the managedFields it works out, the text it encodes) then live until the whole
 * burst is through, long enough for the scavenger to copy them and often to promote them. With a
 * limit of 32, scavenges copy 13-15% fewer bytes in a 4,000-pod bring-up and 20% fewer in the
 * scaled kubelet bench (docs/gc-scavenges.md). A request still interleaves with up to `limit - 1`
 * others, so writes still reach watchers, and a durable store's fsync, in groups.
 */
/** Places handed over before the queue drops its served front (when that is at least half of it). */
const COMPACT_AFTER = 1024;

export class InFlightLimit {
  private running = 0;
  /**
   * Requests waiting for a place, oldest first from `head` on; each is given the place of a request
   * that ends. A read index rather than shift(): a 5,000-node cluster start queues ~5,000 requests
   * (measured), and shift() is only cheap while V8 can trim the array in place, which it cannot
   * always do; with the index, a request leaving costs the same whatever the queue's length.
   */
  private waiting: ((() => void) | undefined)[] = [];
  private head = 0;

  constructor(readonly limit: number) {}

  /** Takes a place at once if one is free and nobody is waiting (the common case: no promise made). */
  tryEnter(): boolean {
    if (this.running >= this.limit || this.head < this.waiting.length) return false;
    this.running++;
    return true;
  }

  /** Resolves when a place is handed over to this request (call after tryEnter refused). */
  enter(): Promise<void> {
    return new Promise((taken) => this.waiting.push(taken));
  }

  /** A request holding a place ended: its place goes to the oldest waiting request, if any. */
  leave(): void {
    if (this.head === this.waiting.length) {
      this.running--;
      return;
    }
    const next = this.waiting[this.head]!;
    this.waiting[this.head++] = undefined;
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    next();
  }
}
