/**
 * Members the API server deletes from an object it is about to store, remembered per object.
 *
 * V8 keeps an object a member was deleted from (any but the last one added) in its slow dictionary
 * mode: ~400 bytes more and slower reads for as long as it lives. A create's object is stored as
 * itself when it already has the stored form (registry/created-shape.ts), so it must not be one of
 * those: the create path deletes through removeMember (the registry's metadata rules, strategies,
 * pruning of unknown fields), and createdShape copies an object that lostMember reports, as it
 * copies any other not in the stored form (codec.ts storedShape, whose copies are fast objects).
 *
 * Contract: lostMember(o) is true once removeMember deleted a member o had. A `delete` written
 * elsewhere in the create path is not seen: use removeMember there.
 */
const thinned = new WeakSet<object>();

/** Deletes `key` from `object`, remembering that `object` lost a member if it had it. */
export function removeMember(object: object, key: string): void {
  if (!Object.prototype.hasOwnProperty.call(object, key)) return;
  delete (object as Record<string, unknown>)[key];
  thinned.add(object);
}

/** True when removeMember deleted a member of `object`. */
export function lostMember(object: object): boolean {
  return thinned.has(object);
}
