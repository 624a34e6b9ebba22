/**
 * One string per distinct value, for holders of many objects that would each keep their own copy
 * of a few values (namespaces, image names, condition times: every decoded object and every
 * rfc3339() call makes new strings). Bounded: past `capacity` distinct values the pool starts
 * afresh; strings already handed out stay with their holders, only the sharing of new ones starts over.
 */
export class StringPool {
  private strings = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  /** How many distinct strings the pool holds (at most `capacity`). */
  get size(): number {
    return this.strings.size;
  }

  /** The pool's string equal to `value` (`value` itself the first time). */
  intern(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    if (this.strings.size >= this.capacity) this.strings = new Map();
    this.strings.set(value, value);
    return value;
  }
}

/**
 * One string per namespace name for holders that keep one per object for as long as it lives (a
 * kubelet's pod workers, its event recorder's remembered events): each decoded object brings its
 * own copy of "default", 24 bytes a holder a pod otherwise.
 */
const namespaceNames = new StringPool(10_000);

export function sharedNamespace(namespace: string): string {
  return namespaceNames.intern(namespace);
}
