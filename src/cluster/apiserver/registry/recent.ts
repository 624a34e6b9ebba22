/**
 * The last `capacity` objects a registry decoded, held strongly (RegistryStore.shared): every
 * other holder keeps a weak handle (handle.ts), and an object is usually read again right after it
 * is decoded (the rest of a watch fan-out, informers' handlers, the object's next write a moment
 * later in a burst). The oldest is let go when a new one comes; memory stays bounded whatever the
 * number of objects.
 */
export class RecentObjects {
  private readonly slots: (object | undefined)[] = [];
  private next = 0;

  constructor(readonly capacity: number) {}

  add(object: object): void {
    if (this.slots.length < this.capacity) {
      this.slots.push(object);
      return;
    }
    this.slots[this.next] = object;
    this.next = (this.next + 1) % this.capacity;
  }

  /** How many objects are held now (at most `capacity`). */
  get size(): number {
    return this.slots.length;
  }
}
