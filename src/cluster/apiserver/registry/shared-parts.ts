/**
 * Parts shared between the objects the registry keeps decoded (RegistryStore.shared).
 *
 * A large cluster keeps one decoded object per stored object (lists, tables, watch fan-out and
 * every in-process informer read the same one), and much of each repeats across objects:
 *
 * - managedFields field sets: every `"f:x":{}` leaf of a decoded fieldsV1 is an object of its own,
 *   and every pod a controller creates, every status a kubelet writes, names the same fields. Each
 *   distinct set is one deep-frozen tree.
 * - sub-objects defaulting and admission make alike: a pod's tolerations (the two default ones),
 *   its service-account token volume's `projected` source, empty `resources` and
 *   `securityContext`. Each distinct one, by the property it sits under, is one deep-frozen tree.
 * - strings: JSON.parse makes a new string for every value longer than a few characters, so each
 *   pod carries its own copies of its image, its mount paths, the same few timestamps, the
 *   default tolerations' keys... Each value is one string.
 *
 * Nothing a client sees changes: the trees are equal to the ones decoded, strings are immutable,
 * shared objects are read-only by contract anyway, and freezing turns a write through a field set
 * into an error instead of a change to every object that shares it. Cost: one JSON.stringify per
 * field set and a walk of the object (~7 us for a Running pod, beside ~30 us for its JSON.parse).
 */
import type { KubeObject } from '../../api/types';
import { deepFreeze } from '../../api/deep-freeze';
import { sameJson } from '../../api/same-json';
import { exactScalar, jsonExact, plainPrototype } from './written';
import { frozenFieldsText } from '../patch/managed-fields-recent';
import { RecentWeakMap } from '../../api/recent-weak-map';

/** Distinct field sets and sub-objects remembered; past this the oldest is forgotten (objects keep theirs). */
const MAX_FIELD_SETS = 4096;
/** Properties whose values are shared whole (see above). */
const ALIKE = new Set(['tolerations', 'projected', 'resources', 'securityContext']);
/** Distinct strings remembered; when full the table starts again (objects keep theirs). */
const MAX_STRINGS = 16_384;
/** Shorter strings are shared by JSON.parse already; longer ones rarely repeat and cost to hash. */
const MIN_STRING = 11;
const MAX_STRING = 256;

const fieldSets = new Map<string, Record<string, unknown>>();
let strings = new Map<string, string>();

/** Makes a freshly decoded object use the shared equal parts (it must not be handed out yet). */
export function shareParts(object: KubeObject): void {
  walk(object as unknown as Record<string, unknown>);
  const entries = object.metadata?.managedFields;
  if (!Array.isArray(entries)) return;
  for (const entry of entries) {
    const set = entry?.fieldsV1;
    if (set !== null && typeof set === 'object') entry.fieldsV1 = sharedTree(set, true);
  }
}

/**
 * Makes an object a write has just encoded (see written.ts) use the shared equal parts, as
 * shareParts does, and freezes it throughout, if it is exactly what JSON.parse of its text gives
 * (written.ts jsonExact); false, and the walk stops, at the first value that is not (the object is
 * then decoded from its text instead, and what the walk froze or shared already is only read-only
 * or equal to what it was). One walk for both: checking first and then freezing walked every
 * written object twice. Parts frozen already are shared ones (of the object's previous revision,
 * of a managedFields cache), exact by that contract, and are left as they are: nothing is assigned
 * where the value does not change, so a frozen part never gets a write.
 */
export function shareWrittenParts(object: KubeObject): boolean {
  if (Object.getPrototypeOf(object) !== Object.prototype) return false;
  const meta = (object as { metadata?: unknown }).metadata;
  // An object being deleted is only frozen: its parts are met in no later revision of it (a
  // terminating pod's last status write is followed by its deletion), and sharing them cost a
  // table look-up for every string and a JSON.stringify for every set, its kubelet set (its IPs in
  // it) and its terminated containers' statuses being new each time; what it added to the tables
  // pushed out the parts of the objects that stay.
  if (meta !== null && typeof meta === 'object' && (meta as { deletionTimestamp?: unknown }).deletionTimestamp) return freezeExact(object as unknown as Record<string, unknown>);
  return freezeWalk(object as unknown as Record<string, unknown>);
}

function freezeWalk(object: Record<string, unknown>): boolean {
  if (Object.isFrozen(object)) return true;
  for (const key in object) {
    if (key === '__proto__') return false;
    const value = object[key];
    if (typeof value === 'string') {
      const s = shared(value);
      if (s !== value) object[key] = s;
    } else if (value !== null && typeof value === 'object') {
      if (!plainPrototype(value)) return false;
      if (key === 'fieldsV1' && ownVariant(value)) {
        if (!freezeExact(value as Record<string, unknown>)) return false;
      } else if (ALIKE.has(key) || key === 'fieldsV1') {
        // A tree is shared by its JSON text: only an exact one may stand for others.
        if (!jsonExact(value)) return false;
        const tree = key === 'fieldsV1' ? sharedTree(value as Record<string, unknown>, true) : sharedAlike(key, value as Record<string, unknown>);
        if (tree !== value) object[key] = tree;
      } else if (Array.isArray(value) ? !freezeArray(value) : !freezeWalk(value as Record<string, unknown>)) return false;
    } else if (!exactScalar(value)) return false;
  }
  Object.freeze(object);
  return true;
}

function freezeArray(array: unknown[]): boolean {
  if (Object.isFrozen(array)) return true;
  for (let i = 0; i < array.length; i++) {
    // A hole reads as undefined, which is not exact either.
    const value = array[i];
    if (typeof value === 'string') {
      const s = shared(value);
      if (s !== value) array[i] = s;
    } else if (value !== null && typeof value === 'object') {
      if (!plainPrototype(value)) return false;
      if (Array.isArray(value) ? !freezeArray(value) : !freezeWalk(value as Record<string, unknown>)) return false;
    } else if (!exactScalar(value)) return false;
  }
  Object.freeze(array);
  return true;
}

/**
 * Whether a written field set is a managedFields cache's answer made for one object (see
 * managed-fields-recent.ts recall): an unfrozen tree whose top members, or their members, are the
 * cache's frozen trees, and whose new nodes spell what is the object's own (a pod's IPs under
 * f:podIPs, members a write left as the entry had them). Such a set is met in no other object, so
 * it is frozen as it is rather than shared: looking it up cost a JSON.stringify of the whole set, a
 * miss in the table and a deep freeze (~15 us, at every status write that reports a pod's IP), and
 * each one pushed a set met again out of the tables. The encoder's new trees (the general path,
 * nothing frozen in them) and the caches' own frozen sets are shared as before; a set taken for a
 * variant by mistake only stays unshared, equal all the same.
 */
function ownVariant(set: object): boolean {
  if (Object.isFrozen(set) || Array.isArray(set)) return false;
  for (const key in set) {
    const member = (set as Record<string, unknown>)[key];
    if (member === null || typeof member !== 'object') continue;
    if (Object.isFrozen(member)) return true;
    for (const inner in member) {
      const value = (member as Record<string, unknown>)[inner];
      if (value !== null && typeof value === 'object' && Object.isFrozen(value)) return true;
    }
  }
  return false;
}

/** freezeWalk without the sharing: freezes `object` throughout if it is exact JSON (false, and the walk stops, at the first value that is not). */
function freezeExact(object: Record<string, unknown>): boolean {
  if (Object.isFrozen(object)) return true;
  for (const key in object) {
    if (key === '__proto__') return false;
    const value = object[key];
    if (value !== null && typeof value === 'object') {
      if (!plainPrototype(value)) return false;
      if (Array.isArray(value) ? !freezeExactArray(value) : !freezeExact(value as Record<string, unknown>)) return false;
    } else if (!exactScalar(value)) return false;
  }
  Object.freeze(object);
  return true;
}

function freezeExactArray(array: unknown[]): boolean {
  if (Object.isFrozen(array)) return true;
  for (let i = 0; i < array.length; i++) {
    const value = array[i];
    if (value !== null && typeof value === 'object') {
      if (!plainPrototype(value)) return false;
      if (Array.isArray(value) ? !freezeExactArray(value) : !freezeExact(value as Record<string, unknown>)) return false;
    } else if (!exactScalar(value)) return false;
  }
  Object.freeze(array);
  return true;
}

/**
 * Trees `fieldSets` has held (deep-frozen): one of them is its own shared copy, found without a
 * JSON.stringify. One forgotten since is still frozen and equal to itself, so it may stay.
 *
 * This and `aliases` remember the recent trees only (RecentWeakMap, two generations of
 * MAX_FIELD_SETS): a kubelet's status set names the pod's IPs, so every pod brings new ones, and a
 * WeakSet of them kept its table's room for every set alive in a burst for good (~50 B a pod,
 * measured in a heap snapshot at 10,000 pods). A tree met again after that is serialized again.
 */
const knownTrees = new RecentWeakMap<object, true>(MAX_FIELD_SETS);

/**
 * Frozen trees equal to a shared one, by the tree: the managedFields caches hand every write the
 * same frozen field sets (created-fields.ts, managed-fields-recent.ts), which are not the shared
 * trees of decoded objects, and each written object's were serialized again to be found.
 */
const aliases = new RecentWeakMap<object, Record<string, unknown>>(MAX_FIELD_SETS);

/**
 * `fieldSet`: the tree is a managedFields field set. A frozen one's text was made for the write
 * that carries it already (spec-text.ts) and is kept with the set (frozenFieldsText): a kubelet's
 * status set names the pod's IPs, so each pod's is a new one, serialized again here otherwise.
 */
function sharedTree(set: Record<string, unknown>, fieldSet = false): Record<string, unknown> {
  if (knownTrees.get(set) !== undefined) return set;
  const alias = aliases.get(set);
  if (alias !== undefined) return alias;
  const text = fieldSet && Object.isFrozen(set) ? frozenFieldsText(set) : JSON.stringify(set);
  const known = fieldSets.get(text);
  if (known !== undefined) {
    // Only a frozen tree stays equal to what it was serialized as.
    if (Object.isFrozen(set)) aliases.set(set, known);
    return known;
  }
  if (fieldSets.size >= MAX_FIELD_SETS) fieldSets.delete(fieldSets.keys().next().value!);
  fieldSets.set(text, deepFreeze(set));
  knownTrees.set(set, true);
  return set;
}

/**
 * The shared tree last found for each ALIKE property: the pods of a workload are created alike, so
 * a new pod's tolerations or token volume source are most often equal to the last pod's, and a
 * walk that compares them member by member costs less than their JSON.stringify and its look-up.
 */
const lastAlike = new Map<string, Record<string, unknown>>();

/** sharedTree for an exact value under an ALIKE property: the last tree found for it when equal, else by its text. */
function sharedAlike(key: string, value: Record<string, unknown>): Record<string, unknown> {
  const last = lastAlike.get(key);
  if (last !== undefined && sameJson(value, last)) return last;
  const tree = sharedTree(value);
  lastAlike.set(key, tree);
  return tree;
}

function shared(value: string): string {
  if (value.length < MIN_STRING || value.length > MAX_STRING) return value;
  const known = strings.get(value);
  if (known !== undefined) return known;
  if (strings.size >= MAX_STRINGS) strings = new Map();
  strings.set(value, value);
  return value;
}

/** Replaces string values (not keys) with their shared copies; field sets are left to shareParts. */
function walk(object: Record<string, unknown>): void {
  for (const key in object) {
    const value = object[key];
    if (typeof value === 'string') object[key] = shared(value);
    else if (value !== null && typeof value === 'object' && key !== 'fieldsV1') {
      if (ALIKE.has(key)) object[key] = sharedTree(value as Record<string, unknown>);
      else if (Array.isArray(value)) walkArray(value);
      else walk(value as Record<string, unknown>);
    }
  }
}

function walkArray(array: unknown[]): void {
  for (let i = 0; i < array.length; i++) {
    const value = array[i];
    if (typeof value === 'string') array[i] = shared(value);
    else if (value !== null && typeof value === 'object') {
      if (Array.isArray(value)) walkArray(value);
      else walk(value as Record<string, unknown>);
    }
  }
}

