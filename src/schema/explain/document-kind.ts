/**
 * The kind of one YAML document, from its own apiVersion and kind: no settings, no file-name globs.
 * A document being typed may have a kind and no apiVersion yet (or a misspelt version): the kind
 * alone then picks the group/version that serves it, preferring the core group and GA versions.
 */
import type { Document } from 'yaml';
import type { FieldIndex } from '../field-index';
import type { GroupVersionKind } from '../types';
import { gvkOf } from '../yaml-location';

export function documentKind(index: FieldIndex, doc: Document): GroupVersionKind | undefined {
  const kind = doc.contents && typeof (doc.contents as { get?: unknown }).get === 'function' ? doc.get('kind') : undefined;
  const apiVersion = kind === undefined ? undefined : doc.get('apiVersion');
  const exact = gvkOf(apiVersion, kind);
  if (exact !== undefined && index.schemaForKind(exact) !== undefined) return exact;
  if (typeof kind !== 'string' || kind === '') return exact;
  const candidates = index.versionsOfKind(kind);
  if (candidates.length === 0) return exact;
  const rank = (g: GroupVersionKind) => (g.group === '' ? 0 : 2) + (/^v\d+$/.test(g.version) ? 0 : 1);
  return [...candidates].sort((a, b) => rank(a) - rank(b))[0];
}
