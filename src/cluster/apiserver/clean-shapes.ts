/**
 * Shapes of new objects the decode walk found clean (decodedFields: no unknown field, no type
 * error), a few per resource: a create of the same shape is clean too, and comparing it with one
 * is cheaper than the schema walk (~7% of an event create was that walk; a kubelet's events, a
 * controller's pods of one template, all come in one shape).
 *
 * Why the comparison is enough: what the walk finds depends on the keys (unknown fields, at every
 * depth, map keys too), on the JSON kind of every value (null, string, boolean, number, object,
 * array: the decode check, decode-types.ts) and, among values, on numbers (an integer field
 * takes an integer within its format's range; quantities and int-or-strings the same or a string)
 * and on the strings a quantity or a Time field holds (they must parse). So two values are alike
 * when they have the same keys in the same order, the same list lengths, and scalars of the same
 * kind, numbers only when both are integers within int32's range (which every integer format
 * takes) or the same number, strings only when the new one parses as a quantity and as a Time
 * wherever the remembered one does. Only clean results are remembered: an error's message names
 * values, which alike objects need not share.
 */
import type { ResourceDefinition } from './registry/resource';
import { snapshot, type ShapeNode } from './registry/created-fields';
import { decodesAsQuantity } from './decode-types';
import { isRfc3339 } from '../api/time-parse';

/** Exemplars a resource keeps, most recently met first: a miss compares the new object with each. */
const MAX_EXEMPLARS = 4;

export class CleanShapes {
  private readonly byResource = new WeakMap<ResourceDefinition, ShapeNode[]>();

  /** True when `object` is alike (see above) to an object of `def` found clean before. */
  has(def: ResourceDefinition, object: unknown): boolean {
    const exemplars = this.byResource.get(def);
    if (exemplars === undefined) return false;
    for (let i = 0; i < exemplars.length; i++) {
      const exemplar = exemplars[i]!;
      if (!alike(object, exemplar)) continue;
      if (i > 0) {
        exemplars.splice(i, 1);
        exemplars.unshift(exemplar);
      }
      return true;
    }
    return false;
  }

  /** Remembers the shape of `object`, which the walk just found clean, as it is now. */
  add(def: ResourceDefinition, object: unknown): void {
    let exemplars = this.byResource.get(def);
    if (exemplars === undefined) this.byResource.set(def, (exemplars = []));
    const shape = snapshot(object);
    markParses(shape);
    exemplars.unshift(shape);
    if (exemplars.length > MAX_EXEMPLARS) exemplars.pop();
  }
}

/** A remembered string, with what it parses as (PARSES_QUANTITY, PARSES_TIME: see decodesAlike), set by add. */
type ScalarNode = { scalar: unknown; parses?: number };

const PARSES_QUANTITY = 1;
const PARSES_TIME = 2;

/** Marks each string of a new exemplar with what it parses as: once per exemplar, not at every comparison. */
function markParses(node: ShapeNode): void {
  if ('keys' in node) for (const member of node.members) markParses(member);
  else if ('items' in node) for (const item of node.items) markParses(item);
  else if (typeof node.scalar === 'string') (node as ScalarNode).parses = parsesAs(node.scalar);
}

function parsesAs(s: string): number {
  // Every string that parses as a quantity must be marked ("k" and "Mi" do: see decodesAsQuantity);
  // a Time's text begins with a digit.
  const c = s.charCodeAt(0);
  return (decodesAsQuantity(s) ? PARSES_QUANTITY : 0) | (c >= 48 && c <= 57 && isRfc3339(s) ? PARSES_TIME : 0);
}

function alike(value: unknown, node: ShapeNode): boolean {
  if (value === null || typeof value !== 'object') return 'scalar' in node && sameKind(value, node);
  if (Array.isArray(value)) {
    if (!('items' in node)) return false;
    const items = node.items;
    if (value.length !== items.length) return false;
    for (let i = 0; i < value.length; i++) if (!alike(value[i], items[i]!)) return false;
    return true;
  }
  if (!('keys' in node)) return false;
  const { keys, members } = node;
  let i = 0;
  // for-in, not Object.keys (no array per object compared): bodies are plain JSON.
  for (const k in value) {
    if (i >= keys.length || keys[i] !== k) return false;
    if (!alike((value as Record<string, unknown>)[k], members[i]!)) return false;
    i++;
  }
  return i === keys.length;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Scalars the decode check cannot tell apart (see the header); anything else only if identical. */
function sameKind(a: unknown, node: ScalarNode): boolean {
  const b = node.scalar;
  if (a === b) return true;
  if (a === null || b === null) return false;
  const t = typeof a;
  if (t !== typeof b) return false;
  if (t === 'boolean') return true;
  if (t === 'string') return decodesAlike(a as string, node.parses ?? 0);
  return t === 'number' && smallInteger(a as number) && smallInteger(b as number);
}

/**
 * Whether string `value` decodes wherever the remembered string did: any string does, but in a
 * quantity or a Time field only one that parses, so it must parse as whatever the remembered one
 * did (`parses`). Most strings (names, images, messages) can be neither.
 */
function decodesAlike(value: string, parses: number): boolean {
  if (parses === 0) return true;
  return ((parses & PARSES_QUANTITY) === 0 || decodesAsQuantity(value)) && ((parses & PARSES_TIME) === 0 || isRfc3339(value));
}

function smallInteger(n: number): boolean {
  return Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX;
}
