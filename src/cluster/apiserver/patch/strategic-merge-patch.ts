/**
 * Strategic merge patch as kube-apiserver applies it (k8s.io/apimachinery strategicpatch,
 * StrategicMergeMapPatch: parallel lists merged, unmatched nulls ignored), driven by the schema's
 * patch strategies and merge keys (patch-meta.ts):
 *
 * - maps merge recursively; `null` deletes a member; strategy `replace` replaces the whole map;
 * - lists with strategy `merge` merge by their merge key (containers by name, ports by containerPort,
 *   conditions by type), or as a union when they hold scalars (finalizers); other lists are replaced;
 * - directives: `$patch: replace|delete` on a map or list item, `$patch: replace` as a list element,
 *   `$retainKeys`, `$deleteFromPrimitiveList/<list>`, and `$setElementOrder/<list>` (the order kubectl's
 *   three-way patches and the kubelet's status patches send). Without it, items in the patch come in
 *   the patch's order and items only on the server keep their place relative to them.
 *
 * One deliberate difference: directive keys inside values that are newly added (where Kubernetes
 * copies them and then drops them as unknown fields on decoding) are removed here, because our
 * objects stay JSON and would otherwise keep them.
 *
 * Failures are StrategicMergePatchError with apimachinery's wording and the status kind
 * kube-apiserver gives them (interpretStrategicMergePatchError): 400 for malformed directives, 422 for
 * lists of lists and retainKeys mismatches, 500 for the rest.
 */
import { clone, goFormat, isObject, type JsonObject } from './json-value';
import { mergeStrategy, type MetaLookup } from './patch-meta';
import {
  errBadArgType,
  errBadJsonDoc,
  errBadPatchType,
  errBadPrimitiveList,
  errBadRetainKeys,
  errBadSetElementOrder,
  errNoMergeKey,
  internal,
} from './strategic-merge-errors';
import { findByKey, kindOf, listElementKind, normalizeElementOrder, partition, sameGoType } from './strategic-merge-order';

export { StrategicMergePatchError, type SmpErrorKind } from './strategic-merge-errors';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST) throw errBadPrimitiveList();
    throw errBadSetElementOrder();
  }
  return key.slice(slash + 1);
}

function isDirectiveKey(key: string): boolean {
  return key === DIRECTIVE || key === RETAIN_KEYS || key.startsWith(`${SET_ELEMENT_ORDER}/`) || key.startsWith(`${DELETE_FROM_PRIMITIVE_LIST}/`);
}

/** Drops maps carrying `$patch` (and list elements that are such maps), then stray directive keys. */
function removeDirectives(v: unknown): { value: unknown; keep: boolean } {
  if (isObject(v)) {
    if (DIRECTIVE in v) return { value: undefined, keep: false };
    for (const k of Object.keys(v)) {
      if (isDirectiveKey(k)) {
        delete v[k];
        continue;
      }
      const r = removeDirectives(v[k]);
      if (r.keep) v[k] = r.value;
      else delete v[k];
    }
    return { value: v, keep: true };
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const r = removeDirectives(item);
      if (r.keep) out.push(r.value);
    }
    return { value: out, keep: true };
  }
  return { value: v, keep: true };
}

function discardNulls(v: unknown): void {
  if (isObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else discardNulls(v[k]);
    }
  } else if (Array.isArray(v)) {
    v.forEach(discardNulls);
  }
}

export class StrategicMerger {
  constructor(private readonly meta: MetaLookup) {}

  mergeMap(original: JsonObject | undefined, patch: JsonObject, path: readonly string[]): JsonObject {
    if (DIRECTIVE in patch) {
      const directive = patch[DIRECTIVE];
      if (directive === 'replace') {
        delete patch[DIRECTIVE];
        return removeDirectives(patch).value as JsonObject;
      }
      if (directive === 'delete') return {};
      throw errBadPatchType(directive, patch);
    }
    const out: JsonObject = original ?? {};
    this.applyRetainKeys(out, patch);
    this.applySetElementOrder(out, patch, path);

    for (const patchKey of Object.keys(patch)) {
      let k = patchKey;
      const patchV = patch[patchKey];
      let isDeleteList = false;
      if (k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        k = extractKey(k, DELETE_FROM_PRIMITIVE_LIST);
        isDeleteList = true;
      }
      if (patchV === null) {
        delete out[k];
        continue;
      }
      if (!Object.prototype.hasOwnProperty.call(out, k) || !sameGoType(out[k], patchV)) {
        if (!isDeleteList) {
          discardNulls(patchV);
          const r = removeDirectives(patchV);
          if (r.keep) out[k] = r.value;
          else delete out[k];
        }
        continue;
      }
      const fieldPath = [...path, k];
      const kind = kindOf(patchV);
      if (kind === 'map') {
        const strategy = mergeStrategy(this.meta(fieldPath));
        out[k] = strategy === 'replace' ? patchV : this.mergeMap(out[k] as JsonObject, patchV as JsonObject, fieldPath);
      } else if (kind === 'slice') {
        const meta = this.meta(fieldPath);
        if (mergeStrategy(meta) === 'merge' || isDeleteList) {
          out[k] = this.mergeSlice(out[k] as unknown[], patchV as unknown[], fieldPath, meta?.patchMergeKey ?? '', isDeleteList);
        } else {
          out[k] = patchV;
        }
      } else {
        out[k] = patchV;
      }
    }
    return out;
  }

  private applyRetainKeys(original: JsonObject, patch: JsonObject): void {
    if (!(RETAIN_KEYS in patch)) return;
    const retain = patch[RETAIN_KEYS];
    delete patch[RETAIN_KEYS];
    if (!Array.isArray(retain)) throw errBadRetainKeys();
    const keep = new Set(retain);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
      if (!keep.has(k)) throw errBadRetainKeys();
    }
    for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
  }

  private applySetElementOrder(original: JsonObject, patch: JsonObject, path: readonly string[]): void {
    for (const key of Object.keys(patch)) {
      if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
      const order = patch[key];
      delete patch[key];
      if (!Array.isArray(order)) throw errBadArgType('[]interface {}', order);
      const listKey = extractKey(key, SET_ELEMENT_ORDER);
      const foundOriginal = Object.prototype.hasOwnProperty.call(original, listKey);
      const foundPatch = Object.prototype.hasOwnProperty.call(patch, listKey);
      const originalList = original[listKey];
      const patchList = patch[listKey];
      if (foundOriginal && !Array.isArray(originalList)) throw errBadArgType('[]interface {}', originalList);
      if (foundPatch && !Array.isArray(patchList)) throw errBadArgType('[]interface {}', patchList);
      const fieldPath = [...path, listKey];
      const meta = this.meta(fieldPath);
      const mergeKey = meta?.patchMergeKey ?? '';
      this.validateOrder((patchList as unknown[]) ?? [], order, mergeKey);

      let merged: unknown[];
      const serverView = { list: (originalList as unknown[]) ?? [] };
      if (foundOriginal && !foundPatch) merged = originalList as unknown[];
      else if (!foundOriginal && foundPatch) merged = removeDirectives(patchList).value as unknown[];
      else if (foundOriginal && foundPatch) {
        merged = mergeStrategy(meta) === 'merge'
          ? this.mergeSlice(originalList as unknown[], patchList as unknown[], fieldPath, mergeKey, false, serverView)
          : (patchList as unknown[]);
      } else continue;

      const kind = listElementKind((originalList as unknown[]) ?? [], (patchList as unknown[]) ?? []);
      if (kind === undefined) throw internal('no elements in any of the given slices');
      const [inPatch, serverOnly] = partition(merged, order, mergeKey, mergeKey ? 'map' : kind);
      original[listKey] = normalizeElementOrder(inPatch, serverOnly, order, serverView.list, mergeKey, mergeKey ? 'map' : kind);
      delete patch[listKey];
    }
  }

  /** Every item of the patch list (deletions aside) appears in $setElementOrder, in the same relative order. */
  private validateOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
    if (order.length === 0 || patchList.length === 0) return;
    let items = patchList;
    if (mergeKey) {
      items = [];
      for (const v of patchList) {
        if (!isObject(v)) throw errBadArgType('map[string]interface {}', v);
        if (v[DIRECTIVE] !== 'delete') items.push(v);
      }
    }
    const keyOfItem = (v: unknown): unknown => {
      if (!mergeKey) return v;
      if (!isObject(v)) throw errBadArgType('map[string]interface {}', v);
      if (!(mergeKey in v)) throw errNoMergeKey(v, mergeKey);
      return v[mergeKey];
    };
    let p = 0;
    let o = 0;
    while (p < items.length && o < order.length) {
      if (isObject(items[p]) && DIRECTIVE in (items[p] as JsonObject)) {
        p++;
        continue;
      }
      if (keyOfItem(items[p]) === keyOfItem(order[o])) p++;
      o++;
    }
    if (p < items.length && o >= order.length) {
      throw internal(`The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`);
    }
  }

  /**
   * Merges a list with strategy merge. `serverView` receives the original list as the caller sees it
   * afterwards: in apimachinery the deletions and appends below write into the original slice's
   * backing array (while it has room), and $setElementOrder then orders server-only items by that
   * view. We reproduce it, since it decides where items land when a patch both deletes and adds.
   */
  private mergeSlice(original: unknown[], patch: unknown[], path: readonly string[], mergeKey: string, isDeleteList: boolean, serverView?: { list: unknown[] }): unknown[] {
    if (serverView) serverView.list = original;
    if (original.length === 0 && patch.length === 0) return original;
    const kind = listElementKind(original, patch)!;
    if (kind !== 'map') {
      if (isDeleteList) return original.filter((v) => !patch.some((d) => d === v));
      const merged: unknown[] = [];
      for (const v of [...original, ...patch]) if (!merged.some((m) => m === v)) merged.push(v);
      const [inPatch, serverOnly] = partition(merged, patch, mergeKey, kind);
      return normalizeElementOrder(inPatch, serverOnly, patch, original, mergeKey, kind);
    }
    if (!mergeKey) throw internal(`cannot merge lists without merge key for ${path[path.length - 1] ?? ''}`);

    const view = [...original]; // the backing array shared with the caller (capacity = length)
    let len = view.length;
    let shared = true;
    const rest: unknown[] = [];
    let replacement: unknown[] | undefined;
    for (const v of patch) {
      const item = v as JsonObject;
      if (!(DIRECTIVE in item)) {
        rest.push(v);
        continue;
      }
      switch (item[DIRECTIVE]) {
        case 'delete': {
          if (!(mergeKey in item)) throw errNoMergeKey(item, mergeKey);
          for (let at = findByKey(view.slice(0, len), mergeKey, item[mergeKey]); at >= 0; at = findByKey(view.slice(0, len), mergeKey, item[mergeKey])) {
            for (let i = at; i < len - 1; i++) view[i] = view[i + 1];
            len--;
          }
          break;
        }
        case 'replace':
          replacement = rest;
          break;
        case 'merge':
          throw internal('merging lists cannot yet be specified in the patch');
        default:
          throw errBadPatchType(item[DIRECTIVE], item);
      }
    }
    let base: unknown[];
    let patchItems: unknown[];
    let merged: unknown[];
    if (replacement) {
      base = rest.map((v) => removeDirectives(v).value);
      patchItems = [];
      merged = [...base];
      shared = false;
    } else {
      base = view.slice(0, len);
      patchItems = rest;
      merged = [...base];
      for (const v of patchItems) {
        const item = v as JsonObject;
        if (!(mergeKey in item)) throw errNoMergeKey(item, mergeKey);
        const at = findByKey(merged, mergeKey, item[mergeKey]);
        if (at >= 0) {
          merged[at] = this.mergeMap(merged[at] as JsonObject, item, path);
          if (shared) view[at] = merged[at];
        } else {
          const added = removeDirectives(item).value;
          if (shared && merged.length < view.length) view[merged.length] = added;
          else shared = false;
          merged.push(added);
        }
      }
    }
    if (serverView) serverView.list = view;
    const [inPatch, serverOnly] = partition(merged, patchItems, mergeKey, kind);
    return normalizeElementOrder(inPatch, serverOnly, patchItems, base, mergeKey, kind);
  }
}

/**
 * Applies a strategic merge patch to a copy of `original` (to `original` itself when the caller
 * owns it: `ownsOriginal`). The patch must be a JSON object (index.ts words the decoding errors)
 * and is never modified.
 */
export function applyStrategicMergePatch<T extends object>(original: T, patch: JsonObject, meta: MetaLookup, ownsOriginal = false): T {
  if (!isObject(original)) throw errBadJsonDoc();
  const merger = new StrategicMerger(meta);
  const out = merger.mergeMap((ownsOriginal ? original : clone(original)) as unknown as JsonObject, clone(patch), []);
  return out as unknown as T;
}
