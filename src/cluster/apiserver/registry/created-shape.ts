/**
 * The stored shape of a new object (codec.ts storedShape) without its two copies when the object
 * already has that shape: a create's object is the registry's own (the request body's copy, or a
 * body handed over in process) and is read, never changed, once it is encoded, so it can stand for
 * its stored text itself. Bodies come that way (apiVersion, kind, metadata first, no
 * resourceVersion): every event a recorder writes, every pod a client or controller creates.
 *
 * An object the create path deleted a member from (api/removed-members.ts) is copied all the same:
 * V8 keeps it in dictionary mode, larger and slower to read, and the copy is a fast object.
 *
 * Contract: JSON.stringify of the answer is JSON.stringify of storedShape(object, apiVersion, kind),
 * byte for byte, and the answer is the object itself only when no member would move or go and none
 * of its or its metadata's members went.
 */
import type { KubeObject } from '../../api/types';
import { lostMember } from '../../api/removed-members';
import { storedShape } from './codec';

export function createdShape(object: KubeObject, apiVersion: string, kind: string): KubeObject {
  return isStoredShape(object, apiVersion, kind) ? object : storedShape(object, apiVersion, kind);
}

/**
 * True when `object` begins apiVersion, kind, metadata (in the order JSON.stringify and a spread
 * see them, integer-like keys first) with this resource's values, and its metadata has no
 * resourceVersion member: then storedShape would only copy it as it is. Unless it or its metadata
 * lost a member (see above).
 */
function isStoredShape(object: KubeObject, apiVersion: string, kind: string): boolean {
  const meta = object.metadata;
  if (object.apiVersion !== apiVersion || object.kind !== kind || meta === null || typeof meta !== 'object') return false;
  if (Object.prototype.hasOwnProperty.call(meta, 'resourceVersion')) return false;
  if (lostMember(object) || lostMember(meta)) return false;
  let at = 0;
  for (const key in object) {
    if (key !== (at === 0 ? 'apiVersion' : at === 1 ? 'kind' : 'metadata')) return false;
    if (++at === 3) return true;
  }
  return false;
}
