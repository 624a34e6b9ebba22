/**
 * An ordered set of records keyed by string, for range scans over many keys (150,000 pods is the
 * design point).
 *
 * Records live in sorted chunks of at most `MAX_CHUNK` entries, chunks in key order. Finding a key
 * is two binary searches (chunk by its last key, then within the chunk); inserting or removing
 * moves at most one chunk's entries, so placing a key costs O(log n + MAX_CHUNK) rather than the
 * O(n) of a single sorted array. Keys compare as JavaScript strings (UTF-16 code units), which is
 * byte order for the ASCII keys the API server writes.
 *
 * Inserts are lazy: a new item is appended to an unsorted `pending` list, and is put in order only
 * when something needs order (a scan, a remove, `toArray`). Creates usually come in bursts between
 * lists, and placing each new key as it came cost a put of a new key about a fifth of its time
 * (binary searches over long common-prefix keys, then a splice); sorting a burst once and merging
 * it costs less per key, and nothing for a burst no list ever reads. Lookups by key do not go
 * through this index (the engine has a Map), so laziness is invisible to callers.
 */

const MAX_CHUNK = 512;
/** Chunks built from a merge are this full, leaving room for later single inserts before a split. */
const BUILT_CHUNK = 384;

export interface Keyed {
  readonly key: string;
}

export class SortedIndex<T extends Keyed> {
  private chunks: T[][] = [];
  /** lastKeys[c] is the last key of chunks[c]: binary search reads one flat array, not three objects per step. */
  private lastKeys: string[] = [];
  /** Items inserted since the last time order was needed, in insertion order. */
  private pending: T[] = [];
  private count = 0;

  get size(): number {
    return this.count + this.pending.length;
  }

  /** Adds `item`; its key must not be present (neither placed nor pending). */
  insert(item: T): void {
    this.pending.push(item);
  }

  /** Puts pending items in order: one by one when they are few, else one merge and rebuild. */
  private settle(): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    pending.sort(byKey);
    // A single insert moves about half a chunk; a rebuild touches every item once. Rebuild once
    // the burst is a noticeable share of the index.
    if (pending.length * 32 < this.count) {
      for (const item of pending) this.place(item);
      return;
    }
    this.rebuild(merge(this.toArrayPlaced(), pending));
  }

  private rebuild(items: T[]): void {
    const chunks: T[][] = [];
    const lastKeys: string[] = [];
    for (let i = 0; i < items.length; i += BUILT_CHUNK) {
      const chunk = items.slice(i, i + BUILT_CHUNK);
      chunks.push(chunk);
      lastKeys.push(chunk[chunk.length - 1].key);
    }
    this.chunks = chunks;
    this.lastKeys = lastKeys;
    this.count = items.length;
  }

  /** Places one item in its chunk. */
  private place(item: T): void {
    const key = item.key;
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
      this.lastKeys.push(key);
      this.count++;
      return;
    }
    let c = this.chunkFor(key);
    if (c === this.chunks.length) c--; // beyond every key: append to the last chunk
    const chunk = this.chunks[c];
    if (this.lastKeys[c] < key) {
      chunk.push(item); // the common case of ascending keys
      this.lastKeys[c] = key;
    } else {
      chunk.splice(lowerBound(chunk, key), 0, item);
    }
    this.count++;
    if (chunk.length > MAX_CHUNK) {
      const right = chunk.splice(chunk.length >> 1);
      this.chunks.splice(c + 1, 0, right);
      this.lastKeys.splice(c, 1, chunk[chunk.length - 1].key, right[right.length - 1].key);
    }
  }

  /** Removes the record with `key`, if present. */
  remove(key: string): void {
    this.settle();
    const c = this.chunkFor(key);
    if (c === this.chunks.length) return;
    const chunk = this.chunks[c];
    const i = lowerBound(chunk, key);
    if (i === chunk.length || chunk[i].key !== key) return;
    chunk.splice(i, 1);
    this.count--;
    if (chunk.length === 0) {
      this.chunks.splice(c, 1);
      this.lastKeys.splice(c, 1);
    } else if (i === chunk.length) {
      this.lastKeys[c] = chunk[chunk.length - 1].key;
    }
  }

  /**
   * Visits records with `start <= key < end` in key order (`end` undefined: no upper bound) until
   * `visit` returns false.
   */
  scan(start: string, end: string | undefined, visit: (item: T) => boolean | void): void {
    this.settle();
    const chunks = this.chunks;
    let c = this.chunkFor(start);
    if (c === chunks.length) return;
    let i = lowerBound(chunks[c], start);
    for (; c < chunks.length; c++, i = 0) {
      const chunk = chunks[c];
      // Compare with `end` only in the chunk where the range stops: string compares of long
      // common-prefix keys are most of a scan's cost otherwise.
      if (end === undefined || this.lastKeys[c] < end) {
        for (; i < chunk.length; i++) if (visit(chunk[i]) === false) return;
        continue;
      }
      for (; i < chunk.length; i++) {
        const item = chunk[i];
        if (item.key >= end) return;
        if (visit(item) === false) return;
      }
      return;
    }
  }

  /** Every record, in key order (a fresh array). */
  toArray(): T[] {
    this.settle();
    return this.toArrayPlaced();
  }

  private toArrayPlaced(): T[] {
    const out: T[] = [];
    for (const chunk of this.chunks) for (const item of chunk) out.push(item);
    return out;
  }

  /** Index of the first chunk whose last key is >= `key`; chunks.length if none. */
  private chunkFor(key: string): number {
    const lastKeys = this.lastKeys;
    let lo = 0;
    let hi = lastKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lastKeys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function byKey(a: Keyed, b: Keyed): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Merges two arrays sorted by key (no key in both). */
function merge<T extends Keyed>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i].key < b[j].key ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/** Index of the first item whose key is >= `key`. */
function lowerBound(items: readonly Keyed[], key: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
