/**
 * Managed-fields field sets shared between decoded objects.
 *
 * A decoded object's `managedFields[].fieldsV1` trees are a large part of it (a third of a Running
 * pod's objects: every `"f:x":{}` leaf is an object of its own), and they repeat: every pod a
 * controller creates, every status a kubelet writes, names the same fields. Objects the registry
 * keeps decoded (RegistryStore.shared) therefore point at one frozen tree per distinct field set.
 * Nothing a client sees changes: the trees are equal to the ones decoded, shared objects are
 * read-only by contract anyway, and freezing turns a write through one into an error instead of a
 * change to every object that shares it.
 */
import type { KubeObject } from '../../api/types';

/** Distinct field sets remembered; past this the oldest is forgotten (objects keep theirs). */
const MAX_FIELD_SETS = 4096;

const fieldSets = new Map<string, Record<string, unknown>>();

/** Replaces each managedFields entry's fieldsV1 of a freshly decoded object with the shared equal tree. */
export function shareFieldSets(object: KubeObject): void {
  const entries = object.metadata?.managedFields;
  if (!Array.isArray(entries)) return;
  for (const entry of entries) {
    const set = entry?.fieldsV1;
    if (set === null || typeof set !== 'object') continue;
    const text = JSON.stringify(set);
    const known = fieldSets.get(text);
    if (known !== undefined) {
      entry.fieldsV1 = known;
      continue;
    }
    if (fieldSets.size >= MAX_FIELD_SETS) fieldSets.delete(fieldSets.keys().next().value!);
    fieldSets.set(text, deepFreeze(set));
  }
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) if (child !== null && typeof child === 'object') deepFreeze(child);
  return Object.freeze(value);
}
