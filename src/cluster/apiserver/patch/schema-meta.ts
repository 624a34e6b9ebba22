/**
 * The MetaLookup of a kind from the generated schema index (src/schema/field-index.ts patchMeta),
 * memoized per path: patches look the same few paths up many times.
 */
import type { MetaLookup, PatchMeta } from './patch-meta';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The part of FieldIndex this needs (loadFieldIndex() gives the real one). */
export interface PatchMetaSource {
  patchMeta(gvk: GroupVersionKind, path: readonly string[]): PatchMeta;
}

export function schemaMetaLookup(source: PatchMetaSource, gvk: GroupVersionKind): MetaLookup {
  const cache = new Map<string, PatchMeta | undefined>();
  return (path) => {
    const key = path.join('\u0000');
    if (!cache.has(key)) {
      const meta = source.patchMeta(gvk, path);
      cache.set(key, Object.keys(meta).length > 0 ? meta : undefined);
    }
    return cache.get(key);
  };
}
