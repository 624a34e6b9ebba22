/**
 * Selector matching for the scheduler: label selectors (pod affinity, topology spread) and node
 * selector terms (node affinity, nodeSelector). Selectors are compiled once into predicates
 * because a cycle evaluates them against every node and pod.
 */
import type { LabelSelector, NodeSelectorRequirement, NodeSelectorTerm } from './api';

export type Labels = Record<string, string> | undefined;
export type LabelPredicate = (labels: Labels) => boolean;

export const EVERYTHING: LabelPredicate = () => true;
export const NOTHING: LabelPredicate = () => false;

/**
 * metav1.LabelSelectorAsSelector: a nil selector matches nothing, an empty one everything.
 * Unknown operators make the selector match nothing (the API server rejects them anyway).
 */
export function compileLabelSelector(selector: LabelSelector | undefined | null): LabelPredicate {
  if (!selector) return NOTHING;
  const checks: LabelPredicate[] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) checks.push((l) => l?.[k] === v);
  for (const r of selector.matchExpressions ?? []) {
    // The checks keep the key and values only, not the requirement (a piece of some pod's spec).
    const key = r.key;
    const values = new Set(r.values ?? []);
    switch (r.operator) {
      case 'In': checks.push((l) => l?.[key] !== undefined && values.has(l[key]!)); break;
      case 'NotIn': checks.push((l) => l?.[key] === undefined || !values.has(l[key]!)); break;
      case 'Exists': checks.push((l) => l?.[key] !== undefined); break;
      case 'DoesNotExist': checks.push((l) => l?.[key] === undefined); break;
      default: return NOTHING;
    }
  }
  if (checks.length === 0) return EVERYTHING;
  return (l) => { for (const c of checks) if (!c(l)) return false; return true; };
}

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  switch (r.operator) {
    case 'In': return value !== undefined && (r.values ?? []).includes(value);
    case 'NotIn': return value === undefined || !(r.values ?? []).includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || (r.values ?? []).length !== 1) return false;
      const have = Number.parseInt(value, 10);
      const want = Number.parseInt(r.values![0]!, 10);
      if (Number.isNaN(have) || Number.isNaN(want)) return false;
      return r.operator === 'Gt' ? have > want : have < want;
    }
    default: return false;
  }
}

export interface NodeFields {
  name: string;
  labels: Labels;
}

/**
 * One node selector term: all its expressions and fields must match. A term with neither matches
 * nothing (corev1 nodeaffinity: "an empty term matches no objects").
 */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: NodeFields): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const r of exprs) if (!requirementMatches(r, node.labels?.[r.key])) return false;
  for (const r of fields) {
    // Only metadata.name is a supported node field.
    if (r.key !== 'metadata.name' || !requirementMatches(r, node.name)) return false;
  }
  return true;
}

/** Terms are ORed. */
export function nodeSelectorTermsMatch(terms: NodeSelectorTerm[], node: NodeFields): boolean {
  for (const t of terms) if (nodeSelectorTermMatches(t, node)) return true;
  return false;
}
