/**
 * JSON Merge Patch (RFC 7386) as kube-apiserver applies it (evanphx/json-patch.v4 MergePatch):
 * a null member deletes, an object member merges recursively, anything else replaces. Nulls nested
 * inside a value that replaces (or is added) are pruned from objects, as evanphx does; nulls inside
 * arrays are kept. Lists are always replaced whole: that is the difference from a strategic merge patch.
 */
import { jsonCopy } from '../../api/json-copy';
import { jsonExact } from '../registry/written';
import { clone, isObject, setMember, type JsonObject } from './json-value';

/**
 * A copy of a value a patch adds, with the nulls nested in its objects left out (not those in
 * arrays). The patch is exact JSON (see applyMergePatch) or a jsonCopy: copied as jsonCopy would.
 */
function prunedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = value[i] === undefined ? null : prunedCopy(value[i]);
    return out;
  }
  const out: JsonObject = {};
  for (const k in value) {
    const v = (value as JsonObject)[k];
    if (v === null || v === undefined) continue;
    setMember(out, k, prunedCopy(v));
  }
  return out;
}


function mergeValue(current: unknown, patch: unknown): unknown {
  if (!isObject(current)) return prunedCopy(patch);
  // What replaces an object keeps its nested nulls (evanphx prunes only what is added).
  if (!isObject(patch)) return jsonCopy(patch);
  mergeObjects(current, patch);
  return current;
}

/** Merges `patch` into `doc`, reading the patch only: what it adds is copied. */
function mergeObjects(doc: JsonObject, patch: JsonObject): void {
  for (const k in patch) {
    const v = patch[k];
    // jsonCopy drops undefined members (a frozen patch is not looked into by jsonExact).
    if (v === undefined) continue;
    const own = k === '__proto__' ? (Object.prototype.hasOwnProperty.call(doc, k) ? doc[k] : undefined) : doc[k];
    if (v === null) {
      delete doc[k];
    } else if (own === undefined || own === null) {
      setMember(doc, k, prunedCopy(v));
    } else {
      setMember(doc, k, mergeValue(own, v));
    }
  }
}

/**
 * Returns `document` with `patch` merged in. The patch is never modified, and the result shares
 * nothing with it (a patch that is not exact JSON, with undefined members or values JSON would
 * change, is copied as JSON first: that is the patch a client would have sent); the document is
 * not modified either unless `ownsDocument` (the caller's fresh copy, merged into in place rather
 * than copied). Copying only what the patch adds spared the copy of the whole patch and a second
 * walk of the added values to prune their nulls (a kubelet's status patch adds nearly all of itself).
 */
export function applyMergePatch<T extends object>(document: T, patch: JsonObject, ownsDocument = false): T {
  const doc = (ownsDocument ? document : clone(document)) as unknown as JsonObject;
  mergeObjects(doc, jsonExact(patch) ? patch : jsonCopy(patch));
  return doc as unknown as T;
}
