/**
 * Which objects a list or watch selects: a label selector, a field selector, and the request's
 * namespace. Field selectors know metadata.name and metadata.namespace for every kind plus the
 * kind's `selectableFields`; any other field is a 400 as kube-apiserver answers it.
 *
 * NOTE: a minimal selector parser lives here until src/cluster/api/labels.ts and field-selector.ts
 * (the KINDS engineer's) land; then this file delegates to them.
 */
import { badRequest } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import type { ResourceDefinition } from './resource';

type LabelRequirement =
  | { op: 'exists' | '!'; key: string }
  | { op: '=' | '!='; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: Set<string> };

type FieldRequirement = { field: string; op: '=' | '!='; value: string };

export interface Selection {
  /** True when every object matches (no selectors): lists can skip decoding. */
  readonly everything: boolean;
  /** When the field selector pins metadata.name to one value, that name (lets a list read one key). */
  readonly name: string | undefined;
  matches(object: KubeObject): boolean;
}

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

export function parseLabelSelector(text: string): LabelRequirement[] {
  const reqs: LabelRequirement[] = [];
  for (const part of splitTopLevel(text)) {
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^()]*)\)$/.exec(part))) {
      const values = new Set(m[3]!.split(',').map((v) => v.trim()).filter((v) => v));
      reqs.push({ op: m[2] as 'in' | 'notin', key: m[1]!, values });
    } else if ((m = /^([^\s!=(),]+)\s*(!=|==|=)\s*([^\s!=(),]*)$/.exec(part))) {
      reqs.push({ op: m[2] === '!=' ? '!=' : '=', key: m[1]!, value: m[3]! });
    } else if ((m = /^!\s*([^\s!=(),]+)$/.exec(part))) {
      reqs.push({ op: '!', key: m[1]! });
    } else if ((m = /^([^\s!=(),]+)$/.exec(part))) {
      reqs.push({ op: 'exists', key: m[1]! });
    } else {
      throw badRequest(`unable to parse requirement: found '${part}', expected: identifier`);
    }
  }
  return reqs;
}

function labelMatches(reqs: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  for (const r of reqs) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = has ? labels![r.key]! : undefined;
    switch (r.op) {
      case 'exists': if (!has) return false; break;
      case '!': if (has) return false; break;
      case '=': if (v !== r.value) return false; break;
      case '!=': if (v === r.value) return false; break;
      case 'in': if (!has || !r.values.has(v!)) return false; break;
      case 'notin': if (has && r.values.has(v!)) return false; break;
    }
  }
  return true;
}

export function parseFieldSelector(text: string): FieldRequirement[] {
  const reqs: FieldRequirement[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s)) {
    const m = /^([^=!]+?)\s*(!=|==|=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    reqs.push({ field: m[1]!.trim(), op: m[2] === '!=' ? '!=' : '=', value: m[3]!.trim() });
  }
  return reqs;
}

const ALL: Selection = { everything: true, name: undefined, matches: () => true };

export function selectionFor(def: ResourceDefinition, labelSelector: string | null, fieldSelector: string | null): Selection {
  const labels = labelSelector ? parseLabelSelector(labelSelector) : [];
  const fields = fieldSelector ? parseFieldSelector(fieldSelector) : [];
  if (labels.length === 0 && fields.length === 0) return ALL;
  const getters: ((o: KubeObject) => string)[] = fields.map((f) => {
    if (f.field === 'metadata.name') return (o) => o.metadata.name ?? '';
    if (f.field === 'metadata.namespace') return (o) => o.metadata.namespace ?? '';
    const getter = def.selectableFields?.[f.field];
    if (!getter) throw badRequest(`field label not supported: ${f.field}`);
    return getter;
  });
  let name: string | undefined;
  for (const f of fields) if (f.field === 'metadata.name' && f.op === '=') name = f.value;
  return {
    everything: false,
    name,
    matches(object: KubeObject): boolean {
      for (let i = 0; i < fields.length; i++) {
        const v = getters[i]!(object);
        const f = fields[i]!;
        if (f.op === '=' ? v !== f.value : v === f.value) return false;
      }
      return labels.length === 0 || labelMatches(labels, object.metadata.labels);
    },
  };
}
