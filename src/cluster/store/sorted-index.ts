/**
 * An ordered set of keys, for range scans over many keys (150,000 pods is the design point). It
 * holds the key strings themselves, not the records they name: a record may then be replaced (the
 * engine keeps a key's only version as its record, see engine.ts) without touching the order.
 *
 * Keys live in sorted chunks of at most `MAX_CHUNK` entries, chunks in key order. Finding a key
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

export class SortedIndex {
  private chunks: string[][] = [];
  /** lastKeys[c] is the last key of chunks[c]: binary search reads one flat array, not three objects per step. */
  private lastKeys: string[] = [];
  /** Items inserted since the last time order was needed, in insertion order. */
  private pending: string[] = [];
  private count = 0;

  get size(): number {
    return this.count + this.pending.length;
  }

  /** Adds `key`, which must not be present (neither placed nor pending). */
  insert(key: string): void {
    this.pending.push(key);
  }

  /** Puts pending items in order: one by one when they are few, else one merge and rebuild. */
  private settle(): void {
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    pending.sort();
    // A single insert moves about half a chunk; a rebuild touches every item once. Rebuild once
    // the burst is a noticeable share of the index.
    if (pending.length * 32 < this.count) {
      for (const item of pending) this.place(item);
      return;
    }
    this.rebuild(merge(this.toArrayPlaced(), pending));
  }

  private rebuild(items: string[]): void {
    const chunks: string[][] = [];
    const lastKeys: string[] = [];
    for (let i = 0; i < items.length; i += BUILT_CHUNK) {
      const chunk = items.slice(i, i + BUILT_CHUNK);
      chunks.push(chunk);
      lastKeys.push(chunk[chunk.length - 1]);
    }
    this.chunks = chunks;
    this.lastKeys = lastKeys;
    this.count = items.length;
  }

  /** Places one key in its chunk. */
  private place(key: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.lastKeys.push(key);
      this.count++;
      return;
    }
    let c = this.chunkFor(key);
    if (c === this.chunks.length) c--; // beyond every key: append to the last chunk
    const chunk = this.chunks[c];
    if (this.lastKeys[c] < key) {
      chunk.push(key); // the common case of ascending keys
      this.lastKeys[c] = key;
    } else {
      chunk.splice(lowerBound(chunk, key), 0, key);
    }
    this.count++;
    if (chunk.length > MAX_CHUNK) {
      const right = chunk.splice(chunk.length >> 1);
      this.chunks.splice(c + 1, 0, right);
      this.lastKeys.splice(c, 1, chunk[chunk.length - 1], right[right.length - 1]);
    }
  }

  /** Removes `key`, if present. */
  remove(key: string): void {
    this.settle();
    const c = this.chunkFor(key);
    if (c === this.chunks.length) return;
    const chunk = this.chunks[c];
    const i = lowerBound(chunk, key);
    if (i === chunk.length || chunk[i] !== key) return;
    chunk.splice(i, 1);
    this.count--;
    if (chunk.length === 0) {
      this.chunks.splice(c, 1);
      this.lastKeys.splice(c, 1);
    } else if (i === chunk.length) {
      this.lastKeys[c] = chunk[chunk.length - 1];
    }
  }

  /**
   * Visits the keys with `start <= key < end` in order (`end` undefined: no upper bound) until
   * `visit` returns false.
   */
  scan(start: string, end: string | undefined, visit: (key: string) => boolean | void): void {
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
        const key = chunk[i];
        if (key >= end) return;
        if (visit(key) === false) return;
      }
      return;
    }
  }

  /** Every key, in order (a fresh array). */
  toArray(): string[] {
    this.settle();
    return this.toArrayPlaced();
  }

  private toArrayPlaced(): string[] {
    const out: string[] = [];
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

/** Merges two sorted arrays (no key in both). */
function merge(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i] < b[j] ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/** Index of the first key that is >= `key`. */
function lowerBound(items: readonly string[], key: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
