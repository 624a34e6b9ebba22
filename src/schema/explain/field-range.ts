/**
 * A field path as kube-apiserver words it (`spec.containers[0].image`, from a Status cause, an event
 * or a scheduler explanation) → the range of the YAML that holds it. A field the document does not
 * have (a missing image) lands on the nearest thing that is there: the key of the object that should
 * hold it, or a list item's first key.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { parseFieldPath } from '../field-path';
import type { FieldPathSegment } from '../types';
import { rangeOf } from './diagnostics';

export interface FieldRange {
  range: [number, number];
  /** True when the whole path was found; false when the range is an ancestor's. */
  exact: boolean;
}

export function fieldRange(doc: Document, path: string | readonly FieldPathSegment[]): FieldRange | undefined {
  const segments = typeof path === 'string' ? parseFieldPath(path) : path;
  let node = doc.contents as Node | null;
  if (!node) return undefined;
  let anchor: [number, number] = firstKeyRange(node) ?? rangeOf(node);
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const resolved = node && isAlias(node) ? ((node.resolve(doc) as Node | undefined) ?? null) : node;
    if (typeof segment === 'number') {
      if (!resolved || !isSeq(resolved)) return { range: anchor, exact: false };
      const item = resolved.items[segment] as Node | null | undefined;
      if (!item) return { range: anchor, exact: false };
      node = item;
      anchor = firstKeyRange(item) ?? rangeOf(item);
      continue;
    }
    if (!resolved || !isMap(resolved)) return { range: anchor, exact: false };
    const pair = resolved.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
    if (!pair) return { range: anchor, exact: false };
    const key = pair.key as Node;
    const value = pair.value as Node | null;
    const last = i === segments.length - 1;
    // The last field shows on its value when it has one (`image: ngnix` underlines `ngnix`), else on its key.
    if (last) return { range: value && isScalar(value) && value.value !== null ? rangeOf(value) : rangeOf(key), exact: true };
    node = value;
    anchor = rangeOf(key);
  }
  return { range: anchor, exact: true };
}

function firstKeyRange(node: Node): [number, number] | undefined {
  if (!isMap(node)) return undefined;
  const key = node.items[0]?.key as Node | null | undefined;
  return key ? rangeOf(key) : undefined;
}
