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
 * by a quarter leaves at most 2/5 of the columns unused right after growing (past the first growth,
 * to 16), less as they fill (doubling left up to 3/4 unused: 256 slots for a node's 130 events).
 * Each compaction frees a quarter of the slots or grows them by a quarter, so an entry is copied
 * ~4 times at most.
 *
 * The create in flight of an entry (`write`) is kept by slot in a Map of the few in flight, not in
 * a column: a column costs every remembered entry 8 bytes for the moments its create is on its way.
 *
 * An entry's namespace is a number in a column of 16-bit ones (32-bit past 65,535 namespaces): its
 * place in a table of the namespaces the live entries have, made again from them at each
 * compaction. A kubelet's events name a few namespaces, so a column of strings cost every entry 8
 * bytes for a pointer to one of those few.
 */
export class EventAggregates {
  /**
   * id, createdAt and lastSeen (ms since the recorder began), by slot × 3: one column for the
   * three numbers, so that making room allocates fewer arrays (a typed array costs more to make
   * than its few slots to copy).
   */
  private entries = new Float64Array(INITIAL * 3);
  /** sequence and count, by slot × 2. */
  private counters = new Int32Array(INITIAL * 2);
  /** Each slot's namespace as 1 + its place in `namespaceNames`; 0 for a free slot. */
  private namespaceIds: Uint16Array | Uint32Array = new Uint16Array(INITIAL);
  /** The namespaces of the live entries (and of entries removed since the last compaction). */
  private namespaceNames: string[] = [];
  /** The place in namespaceNames of the namespace last added (most adds repeat it). */
  private lastNamespace = -1;
  /** Places in namespaceNames by name, made once it has more than a few (searched in full until then). */
  private namespacePlaces: Map<string, number> | undefined = undefined;
  private names: (string | undefined)[] = new Array<string | undefined>(INITIAL).fill(undefined);
  /** The create of an entry's event while it is in flight (its repeats wait for it), by slot. */
  private writes: Map<number, Promise<void>> | undefined = undefined;
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

  namespace(slot: number): string { return this.namespaceNames[this.namespaceIds[slot]! - 1]!; }
  objectName(slot: number): string { return this.names[slot]!; }
  createdAt(slot: number): number { return this.entries[slot * 3 + 1]!; }
  lastSeen(slot: number): number { return this.entries[slot * 3 + 2]!; }
  sequence(slot: number): number { return this.counters[slot * 2]!; }
  count(slot: number): number { return this.counters[slot * 2 + 1]!; }
  write(slot: number): Promise<void> | undefined { return this.writes?.get(slot); }
  /** The Map of writes goes once the last is done: a settled kubelet has none in flight, and an empty Map is ~150 bytes. */
  setWrite(slot: number, write: Promise<void> | undefined): void {
    if (write !== undefined) (this.writes ??= new Map()).set(slot, write);
    else if (this.writes?.delete(slot) && this.writes.size === 0) this.writes = undefined;
  }

  /** Slots in the columns (live entries, holes and free room): what the table costs beside its size. */
  get capacity(): number {
    return this.names.length;
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
    // The id first: namespaceId may put a 32-bit column in place of the 16-bit one, and
    // `this.namespaceIds[slot] = this.namespaceId(...)` would write into the one it replaced.
    const namespaceId = this.namespaceId(namespace);
    this.namespaceIds[slot] = namespaceId;
    this.names[slot] = objectName;
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
    this.namespaceIds[slot] = 0;
    this.names[slot] = undefined;
    if (this.writes?.delete(slot) && this.writes.size === 0) this.writes = undefined;
    this.live--;
  }

  /** 1 + the place of `namespace` in namespaceNames, added if it is not there. */
  private namespaceId(namespace: string): number {
    const names = this.namespaceNames;
    let at = this.lastNamespace;
    if (at < 0 || names[at] !== namespace) {
      const places = this.namespacePlaces;
      at = places !== undefined ? (places.get(namespace) ?? -1) : names.indexOf(namespace);
      if (at < 0) {
        // The first as an array of one: a push onto an empty array makes room for 17 (~150 bytes a kubelet).
        const name = sharedNamespace(namespace);
        if (names.length === 0) this.namespaceNames = [name];
        else names.push(name);
        const count = this.namespaceNames.length;
        at = count - 1;
        if (places !== undefined) places.set(name, at);
        else if (count > FEW_NAMESPACES) this.namespacePlaces = new Map(names.map((n, i) => [n, i]));
        if (count > 0xffff && this.namespaceIds instanceof Uint16Array) this.namespaceIds = Uint32Array.from(this.namespaceIds);
      }
      this.lastNamespace = at;
    }
    return at + 1;
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
   * Compacts the live entries to the front (in their order), in columns grown by a quarter (to
   * FIRST_GROWN at least) when over three quarters are live, halved when under a quarter are (never
   * below INITIAL), else of the same size.
   */
  private makeRoom(): void {
    const length = this.capacity;
    const capacity = this.live * 4 > length * 3 ? Math.max(FIRST_GROWN, Math.ceil(length * 1.25)) : this.live * 4 < length && length > INITIAL ? Math.max(INITIAL, length >>> 1) : length;
    const entries = new Float64Array(capacity * 3);
    const counters = new Int32Array(capacity * 2);
    const oldNames = this.namespaceNames;
    const oldIds = this.namespaceIds;
    this.namespaceNames = [];
    this.lastNamespace = -1;
    this.namespacePlaces = undefined;
    const namespaceIds = oldNames.length > 0xffff ? new Uint32Array(capacity) : new Uint16Array(capacity);
    // namespaceId may switch namespaceIds to 32 bits: the new ids are written to whichever it is.
    this.namespaceIds = namespaceIds;
    const names = new Array<string | undefined>(capacity).fill(undefined);
    const inFlight = this.writes;
    const writes = inFlight !== undefined ? new Map<number, Promise<void>>() : undefined;
    let to = 0;
    for (let from = this.head; from < this.tail; from++) {
      if (Number.isNaN(this.entries[from * 3]!)) continue;
      entries[to * 3] = this.entries[from * 3]!;
      entries[to * 3 + 1] = this.entries[from * 3 + 1]!;
      entries[to * 3 + 2] = this.entries[from * 3 + 2]!;
      counters[to * 2] = this.counters[from * 2]!;
      counters[to * 2 + 1] = this.counters[from * 2 + 1]!;
      const namespaceId = this.namespaceId(oldNames[oldIds[from]! - 1]!);
      this.namespaceIds[to] = namespaceId;
      names[to] = this.names[from];
      if (writes !== undefined) {
        const write = inFlight!.get(from);
        if (write !== undefined) writes.set(to, write);
      }
      to++;
    }
    this.entries = entries;
    this.counters = counters;
    this.names = names;
    this.writes = writes !== undefined && writes.size > 0 ? writes : undefined;
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
/**
 * What the first growth gives: a kubelet's start records 6 node events and each pod start 4, and
 * growing by a quarter from INITIAL took three compactions (8, 10, 13, 17) for a node's first two
 * pods, each making every column anew (~5 us: ~1.5% of a 10,000-pod bring-up on 5,000 nodes).
 */
const FIRST_GROWN = 16;
/** Namespaces an EventAggregates searches in full to find one; past this it keeps a Map of them. */
const FEW_NAMESPACES = 16;

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
