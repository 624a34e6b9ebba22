/**
 * JSON Merge Patch (RFC 7386) as kube-apiserver applies it (evanphx/json-patch.v4 MergePatch):
 * a null member deletes, an object member merges recursively, anything else replaces. Nulls nested
 * inside a value that replaces (or is added) are pruned from objects, as evanphx does; nulls inside
 * arrays are kept. Lists are always replaced whole: that is the difference from a strategic merge patch.
 */
import { clone, isObject, type JsonObject } from './json-value';

function pruneNulls(v: unknown): unknown {
  if (isObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else pruneNulls(v[k]);
    }
  } else if (Array.isArray(v)) {
    for (const item of v) if (item !== null) pruneNulls(item);
  }
  return v;
}

function mergeValue(current: unknown, patch: unknown): unknown {
  if (!isObject(current)) return isObject(patch) || Array.isArray(patch) ? pruneNulls(patch) : patch;
  if (!isObject(patch)) return patch;
  mergeObjects(current, patch);
  return current;
}

function mergeObjects(doc: JsonObject, patch: JsonObject): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete doc[k];
    } else if (doc[k] === undefined || doc[k] === null) {
      doc[k] = pruneNulls(v);
    } else {
      doc[k] = mergeValue(doc[k], v);
    }
  }
}

/**
 * Returns `document` with `patch` merged in. The patch is never modified; the document is not
 * either unless `ownsDocument` (the caller's fresh copy, merged into in place rather than copied).
 */
export function applyMergePatch<T extends object>(document: T, patch: JsonObject, ownsDocument = false): T {
  const doc = (ownsDocument ? document : clone(document)) as unknown as JsonObject;
  mergeObjects(doc, clone(patch));
  return doc as unknown as T;
}
