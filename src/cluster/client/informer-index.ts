/**
 * One index of an informer's cache (client-go's Indexers/Index): for each value the index function
 * gives, the keys of the cached objects that give it.
 *
 * It holds keys only, the cache's own key strings: the objects stay where the cache holds them
 * (weakly, through their handles), so reading one value's objects decodes only those. The cost is a
 * Set entry per object and value, and a Set per distinct value.
 *
 * Keeping it right needs the values an object had before it changed or went. When every object so
 * far gave at most one value (the common index: a node name, a controller), a key sits in one Set
 * at most, so an update whose value's Set already has the key changed nothing and the old object is
 * not read; otherwise the old object is read (decoded again if it was collected).
 */

/** The values an object is found by; an object that gives none is not in the index. */
export type IndexFunc<T> = (object: T) => string[];

const NONE: ReadonlySet<string> = new Set();

export class InformerIndex<T> {
  private readonly byValue = new Map<string, Set<string>>();
  /** Set once the function gave some object more than one value: a key may then be in several Sets. */
  private multiValued = false;

  constructor(private readonly fn: IndexFunc<T>) {}

  keys(value: string): ReadonlySet<string> {
    return this.byValue.get(value) ?? NONE;
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
    if (!this.multiValued && values.length === 1 && this.byValue.get(values[0]!)?.has(key)) return;
    for (const value of this.values(oldObject())) if (!values.includes(value)) this.removeValue(key, value);
    for (const value of values) this.addValue(key, value);
  }

  private values(object: T): string[] {
    const values = this.fn(object);
    if (values.length > 1) this.multiValued = true;
    return values;
  }

  private addValue(key: string, value: string): void {
    let keys = this.byValue.get(value);
    if (!keys) this.byValue.set(value, (keys = new Set()));
    keys.add(key);
  }

  private removeValue(key: string, value: string): void {
    const keys = this.byValue.get(value);
    if (!keys?.delete(key)) return;
    if (keys.size === 0) this.byValue.delete(value);
  }
}
