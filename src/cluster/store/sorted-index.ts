/**
 * An ordered set of records keyed by string, for range scans over many keys (150,000 pods is the
 * design point).
 *
 * Records live in sorted chunks of at most `MAX_CHUNK` entries, chunks in key order. Finding a key
 * is two binary searches (chunk by its last key, then within the chunk); inserting or removing
 * moves at most one chunk's entries, so a put of a new key costs O(log n + MAX_CHUNK) rather than
 * the O(n) of a single sorted array. Keys compare as JavaScript strings (UTF-16 code units), which
 * is byte order for the ASCII keys the API server writes.
 */

const MAX_CHUNK = 512;

export interface Keyed {
  readonly key: string;
}

export class SortedIndex<T extends Keyed> {
  private chunks: T[][] = [];
  /** lastKeys[c] is the last key of chunks[c]: binary search reads one flat array, not three objects per step. */
  private lastKeys: string[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `item`; its key must not be present. */
  insert(item: T): void {
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
