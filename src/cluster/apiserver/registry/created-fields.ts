/**
 * The managedFields of recent creates, found again for a create of the same shape: creates of
 * objects alike but for their name (a controller's pods, a kubelet's events) skip the field-set
 * walk, which is most of a create's managedFields.
 *
 * What a create's managedFields depend on besides the time: field sets name fields, map keys and
 * list items (by their key fields, or by value in set lists), and compare values only with the zero
 * value, whose leaves are all null. So two objects have the same shape when they have the same
 * keys in the same order, the same kind of every value (null, string, number, boolean, undefined:
 * a present but undefined member is a field too), and the same values of the scalars in lists and
 * of the scalar members of list items (where key fields are); other scalars may differ. Events of
 * one reason, or pods of one template, then share a shape whatever their names, messages, labels'
 * values and timestamps.
 *
 * Each writer (field manager and subresource) keeps a few exemplars, each a snapshot of the
 * structure of an object it created, compared with a new object member by member: no text is
 * built for the comparison (a shape string was ~3 KB of garbage a pod and ~1.5 KB an event).
 */
import type { ManagedFieldsEntry } from '../../api/types';

/** An exemplar's structure: an object's keys in order and their nodes, an array's items, or a scalar as it was. */
export type ShapeNode = { keys: string[]; members: ShapeNode[] } | { items: ShapeNode[] } | { scalar: unknown };

interface Exemplar {
  shape: ShapeNode;
  entries: readonly ManagedFieldsEntry[];
}

/** Exemplars a writer keeps (most recently used first), and writers kept. */
const MAX_EXEMPLARS = 16;
const MAX_WRITERS = 256;

export class CreatedFields {
  private readonly byWriter = new Map<string, Exemplar[]>();

  /** The entries recorded for a create of the same shape by the same writer, or undefined. */
  get(object: object, manager: string, subresource: string): readonly ManagedFieldsEntry[] | undefined {
    const exemplars = this.byWriter.get(writerKey(manager, subresource));
    if (exemplars === undefined) return undefined;
    for (let i = 0; i < exemplars.length; i++) {
      const exemplar = exemplars[i]!;
      if (!sameShape(object, exemplar.shape, false)) continue;
      if (i > 0) {
        exemplars.splice(i, 1);
        exemplars.unshift(exemplar);
      }
      return exemplar.entries;
    }
    return undefined;
  }

  /** Remembers `entries` (frozen: they are handed out again) for creates of `shape` (see `snapshot`). */
  set(shape: ShapeNode, manager: string, subresource: string, entries: readonly ManagedFieldsEntry[]): void {
    const key = writerKey(manager, subresource);
    let exemplars = this.byWriter.get(key);
    if (exemplars === undefined) {
      if (this.byWriter.size >= MAX_WRITERS) this.byWriter.delete(this.byWriter.keys().next().value!);
      this.byWriter.set(key, (exemplars = []));
    }
    exemplars.unshift({ shape, entries });
    if (exemplars.length > MAX_EXEMPLARS) exemplars.pop();
  }
}

function writerKey(manager: string, subresource: string): string {
  return `${manager}\n${subresource}`;
}

/** The structure of `value` as it is now (later changes to the object do not reach it). */
export function snapshot(value: unknown): ShapeNode {
  if (value === null || typeof value !== 'object') return { scalar: value };
  if (Array.isArray(value)) {
    const items: ShapeNode[] = [];
    for (let i = 0; i < value.length; i++) items.push(snapshot(value[i]));
    return { items };
  }
  const keys = Object.keys(value);
  return { keys, members: keys.map((k) => snapshot((value as Record<string, unknown>)[k])) };
}

/**
 * Whether `value` has the shape the exemplar node has (see above). `item`: the value is a list
 * item, whose scalars count by value. Stricter than the shape in a few corners (two functions are
 * never alike): a miss only costs the walk the cache saves.
 */
function sameShape(value: unknown, node: ShapeNode, item: boolean): boolean {
  if (value === null || typeof value !== 'object') {
    if (!('scalar' in node)) return false;
    return item ? sameScalar(value, node.scalar) : sameKind(value, node.scalar);
  }
  if (Array.isArray(value)) {
    if (!('items' in node)) return false;
    const items = node.items;
    if (value.length !== items.length) return false;
    for (let i = 0; i < value.length; i++) if (!sameShape(value[i], items[i]!, true)) return false;
    return true;
  }
  if (!('keys' in node)) return false;
  const { keys, members } = node;
  let i = 0;
  // for-in rather than Object.keys, which makes an array for every object compared (written and
  // decoded objects inherit no enumerable members).
  for (const k in value) {
    if (i >= keys.length || keys[i] !== k) return false;
    const v = (value as Record<string, unknown>)[k];
    const member = members[i]!;
    // The scalar members of a list item count by value (its key fields are among them); deeper ones by kind.
    if (item && (v === null || typeof v !== 'object')) {
      if (!('scalar' in member) || !sameScalar(v, member.scalar)) return false;
    } else if (!sameShape(v, member, false)) return false;
    i++;
  }
  return i === keys.length;
}

/** The same scalar: same type and value (NaN is NaN). */
function sameScalar(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && a !== a && b !== b);
}

/** The same kind of scalar (null, string, number, boolean, undefined; anything else only if identical). */
function sameKind(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  const t = typeof a;
  if (t !== typeof b) return false;
  return t === 'string' || t === 'number' || t === 'boolean' || t === 'undefined' || a === b;
}
