/**
 * Which objects a list or watch selects: a label selector and a field selector (parsed by
 * src/cluster/api/labels.ts and field-selector.ts). Field selectors know metadata.name and
 * metadata.namespace for every kind plus the kind's `selectableFields`; a selector that does not
 * parse or names another field is a 400 worded as kube-apiserver's list handler words it
 * (`field label not supported: spec.foo`).
 */
import { badRequest } from '../../api/errors';
import { checkSupportedFields, parseFieldSelector, type FieldSelector } from '../../api/field-selector';
import { parseLabelSelector, type LabelSelector } from '../../api/labels';
import type { KubeObject } from '../../api/types';
import type { ResourceDefinition } from './resource';

export interface Selection {
  /** True when every object matches (no selectors): lists can skip decoding. */
  readonly everything: boolean;
  /** When the field selector pins metadata.name to one value, that name (lets a list read one key). */
  readonly name: string | undefined;
  matches(object: KubeObject): boolean;
}

const ALL: Selection = { everything: true, name: undefined, matches: () => true };

export function selectionFor(def: ResourceDefinition, labelSelector: string | null, fieldSelector: string | null): Selection {
  if (!labelSelector && !fieldSelector) return ALL;
  let labels: LabelSelector;
  let fields: FieldSelector;
  try {
    labels = parseLabelSelector(labelSelector ?? '');
    fields = parseFieldSelector(fieldSelector ?? '');
    checkSupportedFields(fields, Object.keys(def.selectableFields ?? {}));
  } catch (err) {
    // Only the cause: kubectl itself prefixes `Unable to find "/v1, Resource=pods" that match label
    // selector …` (cli-runtime's resource visitor), so a server that sent it would print it twice.
    throw badRequest((err as Error).message);
  }
  if (labels.empty() && fields.empty()) return ALL;
  const getters = def.selectableFields ?? {};
  const name = fields.requiresExactMatch('metadata.name');
  const anyField = !fields.empty();
  // One reader for the selection, of the object being matched, rather than a closure made for each
  // call: a watch matches every event for every watcher with a selector. Matching never nests.
  let current: KubeObject | undefined;
  const read = (field: string): string => {
    const object = current!;
    if (field === 'metadata.name') return object.metadata.name ?? '';
    if (field === 'metadata.namespace') return object.metadata.namespace ?? '';
    return getters[field]!(object);
  };
  return {
    everything: false,
    name,
    matches(object: KubeObject): boolean {
      if (anyField) {
        current = object;
        const ok = fields.matches(read);
        current = undefined;
        if (!ok) return false;
      }
      return labels.matches(object.metadata.labels);
    },
  };
}
