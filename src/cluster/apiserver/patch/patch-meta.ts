/**
 * How a field merges, as the OpenAPI schema says (x-kubernetes-patch-strategy, -patch-merge-key,
 * -list-type, -list-map-keys, -map-type). The patch algorithms take a MetaLookup so that they stay pure:
 * the caller adapts the schema index (src/schema) or, in tests, a small table.
 *
 * Paths are field names from the object root; list items add nothing (the fields of a container are
 * under ['spec', 'containers', ...]) and map entries add their key (['metadata', 'labels', 'app']).
 */

export interface PatchMeta {
  /** `merge`, `replace`, `retainKeys`, or a comma-separated pair such as `merge,retainKeys`. */
  patchStrategy?: string;
  patchMergeKey?: string;
  /** `atomic`, `set` or `map`. */
  listType?: string;
  listMapKeys?: string[];
  /** `atomic` or `granular` (x-kubernetes-map-type). */
  mapType?: string;
  /** The field's schema default; server-side apply fills missing list-map keys with it. */
  default?: unknown;
}

export type MetaLookup = (path: readonly string[]) => PatchMeta | undefined;

/** The lookup for kinds the schema does not know: every list atomic, every map merged. */
export const noMeta: MetaLookup = () => undefined;

/** A MetaLookup from a table keyed by dotted paths (`spec.containers.ports`): for tests and fallbacks. */
export function metaFromTable(table: Record<string, PatchMeta>): MetaLookup {
  return (path) => table[path.join('.')];
}

/** The strategy other than retainKeys in a `x-kubernetes-patch-strategy` value. */
export function mergeStrategy(meta: PatchMeta | undefined): string {
  if (!meta?.patchStrategy) return '';
  return meta.patchStrategy.split(',').map((s) => s.trim()).find((s) => s !== 'retainKeys') ?? '';
}

/**
 * How server-side apply treats a list (structured-merge-diff via kube-openapi's schemaconv): the
 * list-type extension wins; otherwise a `merge` patch strategy makes the list associative (keyed by the
 * merge key, or a set when there is none); otherwise it is atomic.
 */
export function listSemantics(meta: PatchMeta | undefined): { type: 'atomic' | 'set' | 'map'; keys: string[] } {
  if (meta?.listType === 'map') return { type: 'map', keys: meta.listMapKeys ?? (meta.patchMergeKey ? [meta.patchMergeKey] : []) };
  if (meta?.listType === 'set') return { type: 'set', keys: [] };
  if (meta?.listType === 'atomic') return { type: 'atomic', keys: [] };
  if (mergeStrategy(meta) === 'merge') return meta?.patchMergeKey ? { type: 'map', keys: [meta.patchMergeKey] } : { type: 'set', keys: [] };
  return { type: 'atomic', keys: [] };
}
