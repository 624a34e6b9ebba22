/**
 * A handle on one decoded object of the registry (RegistryStore.shared): the stored key-value it is
 * the decode of, and the object itself held weakly, so that holders of many objects (informer
 * caches) keep ~100 bytes per object instead of the ~5 KB a decoded pod takes, and the object is
 * decoded again only when somebody reads it after the garbage collector took it.
 *
 * Contract:
 * - `object()` is always an object equal to the decode of `kv` (same resourceVersion, parts shared
 *   as RegistryStore.shared shares them), read-only like every shared object. While the object is
 *   alive it is that same object; once collected, the first reader decodes it again through the
 *   registry and every holder of the handle gets that new object from then on.
 * - An object has at most one handle (`handleOf`), and a handle stands for one revision of one key:
 *   a new revision is a new object with a new handle.
 * - The key-value is the store's own (StoredKv): the handle keeps nothing the store does not keep
 *   already, since the store packs the value's text in place.
 */
import type { KubeObject } from '../../api/types';
import type { KeyValue } from '../../store/types';

/** What a handle decodes its object through (the registry that made it). */
export interface HandleSource {
  /** True when stored text is what clients get (no storage conversion): a served JSON can be cut from `kv.value`. */
  readonly storedAsServed: boolean;
  /** A fresh decode of `kv`, parts shared, for `handle`, whose object was collected. */
  redecode(kv: KeyValue, handle: ObjectHandle): KubeObject;
}

/** Objects decoded again because their handle's object had been collected (benchmarks, tests). */
export const handleStats = { redecoded: 0 };

const handles = new WeakMap<object, ObjectHandle | undefined>();
/** A key always in `handles`, deleted and set again to let V8 shrink its table (see shrinkHandles). */
const SHRINK_KEY = {};
handles.set(SHRINK_KEY, undefined);

/**
 * Lets the table of `handles` shrink to the objects alive. V8 takes collected objects out of a
 * WeakMap's table during a collection but shrinks the table only when a key is deleted (and then
 * only if a quarter or less of it is in use), and a burst of writes grows it to the objects decoded
 * between two full collections: ~80 B a pod, kept for good, at 10,000 pods. For callers that know
 * collections have taken objects since (the registries' sweeps of their decoded objects).
 */
export function shrinkHandles(): void {
  handles.delete(SHRINK_KEY);
  handles.set(SHRINK_KEY, undefined);
}

/**
 * A WeakRef to the object it was made with, so that the object needs no WeakRef of its own (~24
 * bytes less a handle: informers keep one a pod). A WeakRef's target is fixed, so an object
 * decoded again after the first was collected is held by `again`.
 */
export class ObjectHandle extends WeakRef<KubeObject> {
  /**
   * The object's `namespace/name` as informers key their caches, made once for all of them (see
   * Informer's cacheKey): each informer making its own kept a string per informer per object.
   */
  cacheKey: string | undefined = undefined;
  /** The object decoded again, once the one the handle was made with was collected. */
  private again: WeakRef<KubeObject> | undefined = undefined;

  constructor(readonly kv: KeyValue, private readonly source: HandleSource, object: KubeObject) {
    super(object);
    handles.set(object, this);
  }

  /** The object's resourceVersion, read without the object. */
  get resourceVersion(): string {
    return String(this.kv.modRevision);
  }

  get storedAsServed(): boolean {
    return this.source.storedAsServed;
  }

  /** The object (decoded again if it was collected; see the contract above). */
  object(): KubeObject {
    const held = this.peek();
    if (held !== undefined) return held;
    const object = this.source.redecode(this.kv, this);
    handleStats.redecoded++;
    this.again = new WeakRef(object);
    handles.set(object, this);
    return object;
  }

  /** The object if it is alive, without decoding it again. */
  peek(): KubeObject | undefined {
    return this.again === undefined ? super.deref() : this.again.deref();
  }

  /** As peek: the object alive now, whether it is the first one or one decoded again. */
  override deref(): KubeObject | undefined {
    return this.peek();
  }
}

/** The handle of a registry-shared object; undefined for any other object (a copy, a list's own, an HTTP client's). */
export function handleOf(object: object): ObjectHandle | undefined {
  return handles.get(object);
}
