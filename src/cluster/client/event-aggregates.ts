import { sharedNamespace } from '../api/string-pool';

/**
 * What a core/v1 event recorder remembers of the events it wrote (client-go's EventCorrelator
 * cache): per event identity (a 53-bit hash), the event's namespace, the name of its object, when it
 * was made and its sequence (they make its name), its count and when it was last seen, oldest first.
 *
 * A kubelet remembers every event of its pods for the correlation window (four or more per pod), so
 * the entries are columns of typed arrays with an open-addressing index, not an object and a Map
 * entry each (~130 B an event that way, ~60 this way).
 *
 * Slots are taken in the order entries are set; a removed entry leaves a hole, skipped when the
 * oldest are read, and the columns are compacted (grown by a quarter when over three quarters of
 * them are live, halved when under a quarter) when the last slot is taken. A settled kubelet keeps
 * its entries for the correlation window, so the room it has to spare is memory per pod: growing
 * by a quarter leaves at most 2/5 of the columns unused right after growing, less as they fill
 * (doubling left up to 3/4 unused: 256 slots for a node's 130 events). Each compaction frees a
 * quarter of the slots or grows them by a quarter, so an entry is copied ~4 times at most.
 *
 * The create in flight of an entry (`write`) is kept by slot in a Map of the few in flight, not in
 * a column: a column costs every remembered entry 8 bytes for the moments its create is on its way.
 */
export class EventAggregates {
  /**
   * id, createdAt and lastSeen (ms since the recorder began), by slot × 3: one column for the
   * three numbers (and one for the two counters, one for the two strings), so that making room
   * allocates three arrays, not five (a typed array costs more to make than its few slots to copy).
   */
  private entries = new Float64Array(INITIAL * 3);
  /** sequence and count, by slot × 2. */
  private counters = new Int32Array(INITIAL * 2);
  /** namespace and object name, by slot × 2. */
  private strings: (string | undefined)[] = new Array<string | undefined>(INITIAL * 2).fill(undefined);
  /** The create of an entry's event while it is in flight (its repeats wait for it), by slot. */
  private writes = new Map<number, Promise<void>>();
  /** Open addressing over ids: slot + 1, 0 never used, -1 removed; a power of two, at least 1.5 × the slots. */
  private index = new Int32Array(indexSizeFor(INITIAL));
  private removedInIndex = 0;
  /** The oldest slot that may be live, and the next free one. */
  private head = 0;
  private tail = 0;
  private live = 0;

  get size(): number {
    return this.live;
  }

  /** The slot of `id`, or -1. */
  find(id: number): number {
    const mask = this.index.length - 1;
    for (let i = hash(id) & mask; ; i = (i + 1) & mask) {
      const entry = this.index[i]!;
      if (entry === 0) return -1;
      if (entry > 0 && this.entries[(entry - 1) * 3] === id) return entry - 1;
    }
  }

  namespace(slot: number): string { return this.strings[slot * 2]!; }
  objectName(slot: number): string { return this.strings[slot * 2 + 1]!; }
  createdAt(slot: number): number { return this.entries[slot * 3 + 1]!; }
  lastSeen(slot: number): number { return this.entries[slot * 3 + 2]!; }
  sequence(slot: number): number { return this.counters[slot * 2]!; }
  count(slot: number): number { return this.counters[slot * 2 + 1]!; }
  write(slot: number): Promise<void> | undefined { return this.writes.size === 0 ? undefined : this.writes.get(slot); }
  setWrite(slot: number, write: Promise<void> | undefined): void {
    if (write !== undefined) this.writes.set(slot, write);
    else this.writes.delete(slot);
  }

  /** Slots in the columns (live entries, holes and free room): what the table costs beside its size. */
  get capacity(): number {
    return this.counters.length >>> 1;
  }

  /** One more of the event in `slot`, seen at `seen`; returns its count. */
  repeat(slot: number, seen: number): number {
    this.entries[slot * 3 + 2] = seen;
    const count = this.counters[slot * 2 + 1]! + 1;
    this.counters[slot * 2 + 1] = count;
    return count;
  }

  /** Remembers a new event as the newest entry (one of the same id before it is forgotten); returns its slot. */
  add(id: number, namespace: string, objectName: string, createdAt: number, sequence: number): number {
    const old = this.find(id);
    if (old >= 0) this.remove(old);
    if (this.tail === this.capacity) this.makeRoom();
    const slot = this.tail++;
    this.entries[slot * 3] = id;
    this.entries[slot * 3 + 1] = createdAt;
    this.entries[slot * 3 + 2] = createdAt;
    this.strings[slot * 2] = sharedNamespace(namespace);
    this.strings[slot * 2 + 1] = objectName;
    this.counters[slot * 2] = sequence;
    this.counters[slot * 2 + 1] = 1;
    this.live++;
    this.indexSlot(slot);
    return slot;
  }

  /** The oldest live slot, or -1. */
  oldest(): number {
    while (this.head < this.tail && Number.isNaN(this.entries[this.head * 3]!)) this.head++;
    return this.head < this.tail ? this.head : -1;
  }

  remove(slot: number): void {
    const mask = this.index.length - 1;
    const id = this.entries[slot * 3]!;
    for (let i = hash(id) & mask; ; i = (i + 1) & mask) {
      const entry = this.index[i]!;
      if (entry === 0) break;
      if (entry === slot + 1) { this.index[i] = -1; this.removedInIndex++; break; }
    }
    this.entries[slot * 3] = NaN;
    this.strings[slot * 2] = undefined;
    this.strings[slot * 2 + 1] = undefined;
    if (this.writes.size > 0) this.writes.delete(slot);
    this.live--;
  }

  private indexSlot(slot: number): void {
    if ((this.live + this.removedInIndex) * 4 > this.index.length * 3) this.reindex(this.index.length);
    const mask = this.index.length - 1;
    for (let i = hash(this.entries[slot * 3]!) & mask; ; i = (i + 1) & mask) {
      if (this.index[i]! <= 0) {
        if (this.index[i] === -1) this.removedInIndex--;
        this.index[i] = slot + 1;
        return;
      }
    }
  }

  /**
   * Compacts the live entries to the front (in their order), in columns grown by a quarter when over
   * three quarters are live, halved when under a quarter are (never below INITIAL), else of the same size.
   */
  private makeRoom(): void {
    const length = this.capacity;
    const capacity = this.live * 4 > length * 3 ? Math.ceil(length * 1.25) : this.live * 4 < length && length > INITIAL ? Math.max(INITIAL, length >>> 1) : length;
    const entries = new Float64Array(capacity * 3);
    const counters = new Int32Array(capacity * 2);
    const strings = new Array<string | undefined>(capacity * 2).fill(undefined);
    const inFlight = this.writes;
    const writes = inFlight.size > 0 ? new Map<number, Promise<void>>() : inFlight;
    let to = 0;
    for (let from = this.head; from < this.tail; from++) {
      if (Number.isNaN(this.entries[from * 3]!)) continue;
      entries[to * 3] = this.entries[from * 3]!;
      entries[to * 3 + 1] = this.entries[from * 3 + 1]!;
      entries[to * 3 + 2] = this.entries[from * 3 + 2]!;
      counters[to * 2] = this.counters[from * 2]!;
      counters[to * 2 + 1] = this.counters[from * 2 + 1]!;
      strings[to * 2] = this.strings[from * 2];
      strings[to * 2 + 1] = this.strings[from * 2 + 1];
      if (writes !== inFlight) {
        const write = inFlight.get(from);
        if (write !== undefined) writes.set(to, write);
      }
      to++;
    }
    this.entries = entries;
    this.counters = counters;
    this.strings = strings;
    this.writes = writes;
    this.head = 0;
    this.tail = to;
    this.reindex(indexSizeFor(capacity));
  }

  /** Indexes the live slots afresh in an index of `size` (the one there, cleared, when it has that size). */
  private reindex(size: number): void {
    if (this.index.length === size) this.index.fill(0);
    else this.index = new Int32Array(size);
    this.removedInIndex = 0;
    const mask = size - 1;
    for (let slot = this.head; slot < this.tail; slot++) {
      const id = this.entries[slot * 3]!;
      if (Number.isNaN(id)) continue;
      let i = hash(id) & mask;
      while (this.index[i] !== 0) i = (i + 1) & mask;
      this.index[i] = slot + 1;
    }
  }
}

const INITIAL = 8;

/** The index's size for `capacity` slots: the power of two at least 1.5 times it (so at most 2/3 full). */
function indexSizeFor(capacity: number): number {
  let size = 16;
  while (size * 2 < capacity * 3) size *= 2;
  return size;
}

/** The low 32 bits of an identity (its well-mixed half: see identity in event-recorder.ts). */
function hash(id: number): number {
  return id >>> 0;
}
