/**
 * The scheduling parts of a PodSpec: tolerations, node and pod (anti-)affinity, topology spread
 * constraints and scheduling gates, worded as pkg/apis/core/validation.
 */
import { FieldError, FieldPath, duplicate, forbidden, invalid, notSupported, required } from '../field-errors';
import type { Toleration } from '../types';
import { validateLabelName, validateLabels } from './meta';
import { isQualifiedName, isValidLabelValue } from './names';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateTolerations(tolerations: Toleration[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const p = path.index(i);
    if (t.key) errs.push(...validateLabelName(t.key, p.child('key')));
    if (!t.key && t.operator !== 'Exists') {
      errs.push(invalid(p.child('operator').toString(), t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(invalid(p.child('effect').toString(), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (t.operator ?? '') {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(t.value ?? '');
        if (msgs.length) errs.push(invalid(p.child('operator').toString(), t.value ?? '', msgs.join(';')));
        break;
      }
      case 'Exists':
        if (t.value) errs.push(invalid(p.child('operator').toString(), t, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(notSupported(p.child('operator').toString(), t.operator, ['Equal', 'Exists']));
    }
    if (t.effect && !TAINT_EFFECTS.includes(t.effect)) errs.push(notSupported(p.child('effect').toString(), t.effect, TAINT_EFFECTS));
  });
  return errs;
}

/** A NodeSelectorRequirement (node affinity): operators In, NotIn, Exists, DoesNotExist, Gt, Lt. */
function validateNodeSelectorRequirement(rq: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const values = Array.isArray(rq.values) ? rq.values : [];
  switch (rq.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(required(path.child('values').toString(), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(forbidden(path.child('values').toString(), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(required(path.child('values').toString(), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(invalid(path.child('operator').toString(), rq.operator ?? '', 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(String(rq.key ?? ''), path.child('key')));
  return errs;
}

function validateNodeSelectorTerm(term: Obj, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const exprs = Array.isArray(term.matchExpressions) ? term.matchExpressions : [];
  exprs.forEach((rq: Obj, i) => errs.push(...validateNodeSelectorRequirement(rq, path.child('matchExpressions').index(i))));
  const fields = Array.isArray(term.matchFields) ? term.matchFields : [];
  fields.forEach((rq: Obj, i) => {
    const p = path.child('matchFields').index(i);
    if (rq.key !== 'metadata.name') errs.push(invalid(p.child('key').toString(), rq.key ?? '', 'not a valid field selector key'));
    if (rq.operator !== 'In' && rq.operator !== 'NotIn') errs.push(invalid(p.child('operator').toString(), rq.operator ?? '', 'not a valid selector operator'));
    if (!Array.isArray(rq.values) || rq.values.length !== 1) errs.push(required(p.child('values').toString(), 'must be only one value when `operator` is \'In\' or \'NotIn\' for node field selector'));
  });
  return errs;
}

/** metav1.LabelSelector inside a spec (affinity terms, topology spread). */
export function validateLabelSelector(selector: unknown, path: FieldPath): FieldError[] {
  if (!isObj(selector)) return [];
  const errs = validateLabels(selector.matchLabels as Record<string, string> | undefined, path.child('matchLabels'));
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  exprs.forEach((e: Obj, i) => {
    const p = path.child('matchExpressions').index(i);
    const values = Array.isArray(e.values) ? (e.values as string[]) : [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(p.child('values').toString(), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(forbidden(p.child('values').toString(), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalid(p.child('operator').toString(), e.operator ?? '', 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(String(e.key ?? ''), p.child('key')));
    values.forEach((v, vi) => {
      for (const m of isValidLabelValue(v)) errs.push(invalid(p.child('values').index(vi).toString(), v, m));
    });
  });
  return errs;
}

function validatePodAffinityTerm(term: Obj, path: FieldPath): FieldError[] {
  const errs = validateLabelSelector(term.labelSelector, path.child('labelSelector'));
  const key = String(term.topologyKey ?? '');
  if (!key) errs.push(required(path.child('topologyKey').toString(), 'can not be empty'));
  else errs.push(...validateLabelName(key, path.child('topologyKey')));
  return errs;
}

function validateWeighted(terms: unknown, path: FieldPath, inner: (t: Obj, p: FieldPath) => FieldError[], innerName: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(terms)) return errs;
  terms.forEach((t: Obj, i) => {
    const p = path.index(i);
    if (typeof t.weight !== 'number' || t.weight <= 0 || t.weight > 100) errs.push(invalid(p.child('weight').toString(), t.weight ?? 0, 'must be in the range 1-100'));
    if (isObj(t[innerName])) errs.push(...inner(t[innerName] as Obj, p.child(innerName)));
  });
  return errs;
}

export function validateAffinity(affinity: unknown, path: FieldPath): FieldError[] {
  if (!isObj(affinity)) return [];
  const errs: FieldError[] = [];
  const na = affinity.nodeAffinity;
  if (isObj(na)) {
    const p = path.child('nodeAffinity');
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (isObj(req)) {
      const rp = p.child('requiredDuringSchedulingIgnoredDuringExecution');
      const terms = Array.isArray(req.nodeSelectorTerms) ? req.nodeSelectorTerms : [];
      if (terms.length === 0) errs.push(required(rp.child('nodeSelectorTerms').toString(), 'must have at least one node selector term'));
      terms.forEach((t: Obj, i) => errs.push(...validateNodeSelectorTerm(t, rp.child('nodeSelectorTerms').index(i))));
    }
    errs.push(...validateWeighted(na.preferredDuringSchedulingIgnoredDuringExecution, p.child('preferredDuringSchedulingIgnoredDuringExecution'), validateNodeSelectorTerm, 'preference'));
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pa = affinity[kind];
    if (!isObj(pa)) continue;
    const p = path.child(kind);
    const req = Array.isArray(pa.requiredDuringSchedulingIgnoredDuringExecution) ? pa.requiredDuringSchedulingIgnoredDuringExecution : [];
    req.forEach((t: Obj, i) => errs.push(...validatePodAffinityTerm(t, p.child('requiredDuringSchedulingIgnoredDuringExecution').index(i))));
    errs.push(...validateWeighted(pa.preferredDuringSchedulingIgnoredDuringExecution, p.child('preferredDuringSchedulingIgnoredDuringExecution'), validatePodAffinityTerm, 'podAffinityTerm'));
  }
  return errs;
}

const WHEN_UNSATISFIABLE = ['DoNotSchedule', 'ScheduleAnyway'];

export function validateTopologySpreadConstraints(constraints: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(constraints)) return errs;
  const seen = new Set<string>();
  constraints.forEach((c: Obj, i) => {
    const p = path.index(i);
    if (typeof c.maxSkew !== 'number' || c.maxSkew <= 0) errs.push(invalid(p.child('maxSkew').toString(), c.maxSkew ?? 0, 'must be greater than zero'));
    const key = String(c.topologyKey ?? '');
    if (!key) errs.push(required(p.child('topologyKey').toString(), 'can not be empty'));
    else for (const m of isQualifiedName(key)) errs.push(invalid(p.child('topologyKey').toString(), key, m));
    const wu = String(c.whenUnsatisfiable ?? '');
    if (!WHEN_UNSATISFIABLE.includes(wu)) errs.push(notSupported(p.child('whenUnsatisfiable').toString(), wu, WHEN_UNSATISFIABLE));
    if (c.minDomains !== undefined && c.minDomains !== null) {
      if (typeof c.minDomains !== 'number' || c.minDomains <= 0) errs.push(invalid(p.child('minDomains').toString(), c.minDomains, 'must be greater than 0'));
      else if (wu !== 'DoNotSchedule') errs.push(invalid(p.child('minDomains').toString(), c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${wu}`));
    }
    const pair = `{${key}, ${wu}}`;
    if (seen.has(pair)) errs.push(duplicate(p.toString(), pair));
    seen.add(pair);
    errs.push(...validateLabelSelector(c.labelSelector, p.child('labelSelector')));
  });
  return errs;
}

export function validateSchedulingGates(gates: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(gates)) return errs;
  const seen = new Set<string>();
  gates.forEach((g: Obj, i) => {
    const name = String(g?.name ?? '');
    for (const m of isQualifiedName(name)) errs.push(invalid(path.index(i).toString(), name, m));
    if (seen.has(name)) errs.push(duplicate(path.index(i).toString(), name));
    seen.add(name);
  });
  return errs;
}
