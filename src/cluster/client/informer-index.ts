/**
 * One index of an informer's cache (client-go's Indexers/Index): for each value the index function
 * gives, the keys of the cached objects that give it.
 *
 * It holds keys only, the cache's own key strings: the objects stay where the cache holds them
 * (weakly, through their handles), so reading one value's objects decodes only those. A value's
 * keys are one key alone, up to SMALL keys in an array, or a Set beyond: most values (a node's pods,
 * a ReplicaSet's) have few keys, and a Set's table costs ~100 bytes even for two keys. So an index
 * costs ~10-25 bytes per object at 30 objects per value, ~50 at 2 (measured, V8 in Node 20).
 *
 * Keeping it right needs the values an object had before it changed or went. When every object so
 * far gave at most one value (the common index: a node name, a controller), a key sits under one
 * value at most, so an update whose value already has the key changed nothing and the old object is
 * not read; otherwise the old object is read (decoded again if it was collected).
 */

/** The values an object is found by; an object that gives none is not in the index. */
export type IndexFunc<T> = (object: T) => string[];

/** The most keys a value holds in an array (read and searched in full) before it gets a Set. */
const SMALL = 32;

type Keys = string | string[] | Set<string>;

export class InformerIndex<T> {
  private readonly byValue = new Map<string, Keys>();
  /** Set once the function gave some object more than one value: a key may then be in several Sets. */
  private multiValued = false;

  constructor(private readonly fn: IndexFunc<T>) {}

  keys(value: string): Iterable<string> {
    const keys = this.byValue.get(value);
    return keys === undefined ? [] : typeof keys === 'string' ? [keys] : keys;
  }

  add(key: string, object: T): void {
    for (const value of this.values(object)) this.addValue(key, value);
  }

  remove(key: string, object: T): void {
    for (const value of this.values(object)) this.removeValue(key, value);
  }

  /** `oldObject`: the object before the update, read only when the new values do not settle it. */
  update(key: string, oldObject: () => T, object: T): void {
    const values = this.values(object);
    if (!this.multiValued && values.length === 1 && this.has(values[0]!, key)) return;
    for (const value of this.values(oldObject())) if (!values.includes(value)) this.removeValue(key, value);
    for (const value of values) this.addValue(key, value);
  }

  private values(object: T): string[] {
    const values = this.fn(object);
    if (values.length > 1) this.multiValued = true;
    return values;
  }

  private has(value: string, key: string): boolean {
    const keys = this.byValue.get(value);
    if (keys === undefined) return false;
    if (typeof keys === 'string') return keys === key;
    return Array.isArray(keys) ? keys.includes(key) : keys.has(key);
  }

  private addValue(key: string, value: string): void {
    const keys = this.byValue.get(value);
    if (keys === undefined) this.byValue.set(value, key);
    else if (typeof keys === 'string') {
      if (keys !== key) this.byValue.set(value, [keys, key]);
    } else if (Array.isArray(keys)) {
      if (keys.includes(key)) return;
      if (keys.length < SMALL) keys.push(key);
      else this.byValue.set(value, new Set(keys).add(key));
    } else keys.add(key);
  }

  private removeValue(key: string, value: string): void {
    const keys = this.byValue.get(value);
    if (keys === undefined) return;
    if (typeof keys === 'string') {
      if (keys === key) this.byValue.delete(value);
    } else if (Array.isArray(keys)) {
      const i = keys.indexOf(key);
      if (i < 0) return;
      if (keys.length === 2) this.byValue.set(value, keys[1 - i]!);
      else keys.splice(i, 1);
    } else if (keys.delete(key) && keys.size === 0) this.byValue.delete(value);
  }
}
