/**
 * The cluster clock's pending timers, earliest first (ties: the one set first), as a binary heap.
 *
 * The heap orders by keys kept in typed arrays beside it (due time and sequence number), not by
 * reading the timers: a cluster has a timer or more per node and per starting pod, and with the
 * timer objects scattered over the heap, each comparison of a sift was a cache miss or two (the
 * comparisons were most of the clock's time in a bring-up of thousands of pods).
 */
import type { Timer } from './clock';

/** A timer set and not yet fired: its own handle (no handle object and closure per timer). */
export class PendingTimer implements Timer {
  cancelled = false;
  constructor(readonly due: number, readonly seq: number, public callback: (() => void) | undefined) {}

  cancel(): void {
    this.cancelled = true;
    // It stays queued until its time comes: what it would have run can go now.
    this.callback = undefined;
  }
}

export class TimerQueue {
  private dues = new Float64Array(256);
  private seqs = new Float64Array(256);
  private readonly timers: (PendingTimer | undefined)[] = [];
  private size = 0;

  /** Timers queued, cancelled ones included until their time comes. */
  get length(): number {
    return this.size;
  }

  /** The earliest timer, or undefined. */
  get first(): PendingTimer | undefined {
    return this.size > 0 ? this.timers[0] : undefined;
  }

  /** The timers not cancelled. */
  countLive(): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) if (!this.timers[i]!.cancelled) n++;
    return n;
  }

  push(timer: PendingTimer): void {
    if (this.size === this.dues.length) this.grow();
    const dues = this.dues;
    const seqs = this.seqs;
    const timers = this.timers;
    const due = timer.due;
    const seq = timer.seq;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const d = dues[parent]!;
      if (!(due < d || (due === d && seq < seqs[parent]!))) break;
      dues[i] = d;
      seqs[i] = seqs[parent]!;
      timers[i] = timers[parent];
      i = parent;
    }
    dues[i] = due;
    seqs[i] = seq;
    timers[i] = timer;
  }

  /** Takes the earliest timer out. */
  pop(): PendingTimer | undefined {
    if (this.size === 0) return undefined;
    const dues = this.dues;
    const seqs = this.seqs;
    const timers = this.timers;
    const top = timers[0];
    const n = --this.size;
    const due = dues[n]!;
    const seq = seqs[n]!;
    const last = timers[n];
    timers[n] = undefined;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && (dues[right]! < dues[child]! || (dues[right] === dues[child] && seqs[right]! < seqs[child]!))) child = right;
      const d = dues[child]!;
      if (!(d < due || (d === due && seqs[child]! < seq))) break;
      dues[i] = d;
      seqs[i] = seqs[child]!;
      timers[i] = timers[child];
      i = child;
    }
    dues[i] = due;
    seqs[i] = seq;
    timers[i] = last;
    return top;
  }

  private grow(): void {
    const dues = new Float64Array(this.dues.length * 2);
    dues.set(this.dues);
    this.dues = dues;
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.seqs = seqs;
  }
}
