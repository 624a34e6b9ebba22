/**
 * apps/v1 Deployment and ReplicaSet validation as pkg/apis/apps/validation words it
 * (ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidatePodTemplateSpecForReplicaSet, the status
 * checks) plus what the registry strategies add (the selector is immutable in apps/v1). Bad values
 * that are Go structs or maps are printed as Go's `%#v` prints them, as kube-apiserver's field
 * errors do (`map[string]string{"app":"web"}`).
 */
import { FieldError, FieldPath, forbidden, invalid, notSupported, required } from '../field-errors';
import { labelSelectorAsSelector, SelectorParseError, type LabelSelectorSpec } from '../labels';
import type { PodSpec } from '../types';
import { validateAnnotations, validateLabels } from './meta';
import { FIELD_IMMUTABLE_ERROR_MSG, IS_NEGATIVE_ERROR_MSG, regexError } from './names';
import { validatePodSpec } from './pod';
import { validateLabelSelector } from './scheduling';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A field error whose bad value is shown as already formatted Go text. */
class GoValueError extends FieldError {
  constructor(field: string, private readonly shown: string, detail: string) {
    super('FieldValueInvalid', field, shown, detail);
  }

  override body(): string {
    return this.detail ? `Invalid value: ${this.shown}: ${this.detail}` : `Invalid value: ${this.shown}`;
  }
}

const goString = (s: string): string => JSON.stringify(s);

/** `map[string]string{"a":"b"}` (Go sorts map keys when printing). */
export function goStringMap(m: unknown): string {
  if (!isObj(m)) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${goString(k)}:${goString(String(m[k]))}`).join(', ')}}`;
}

/** `v1.LabelSelector{MatchLabels:..., MatchExpressions:...}` as %#v prints a metav1.LabelSelector. */
export function goLabelSelector(selector: unknown): string {
  const s = isObj(selector) ? selector : {};
  const exprs = Array.isArray(s.matchExpressions) ? (s.matchExpressions as Obj[]) : undefined;
  const exprText = exprs === undefined
    ? '[]v1.LabelSelectorRequirement(nil)'
    : `[]v1.LabelSelectorRequirement{${exprs.map((e) => {
      const values = Array.isArray(e.values) ? `[]string{${(e.values as unknown[]).map((v) => goString(String(v))).join(', ')}}` : '[]string(nil)';
      return `v1.LabelSelectorRequirement{Key:${goString(String(e.key ?? ''))}, Operator:${goString(String(e.operator ?? ''))}, Values:${values}}`;
    }).join(', ')}}`;
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${exprText}}`;
}

/** `intstr.IntOrString{Type:1, IntVal:0, StrVal:"25%"}` as %#v prints an IntOrString. */
function goIntOrString(v: unknown): string {
  return typeof v === 'string' ? `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goString(v)}}` : `intstr.IntOrString{Type:0, IntVal:${Number(v ?? 0)}, StrVal:""}`;
}

function nonNegative(value: unknown, path: FieldPath): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalid(path.toString(), value, IS_NEGATIVE_ERROR_MSG)] : [];
}

const PERCENT = /^[0-9]+%$/;
const PERCENT_MSG = regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%');

function validatePositiveIntOrPercent(v: unknown, path: FieldPath): FieldError[] {
  if (typeof v === 'string') return PERCENT.test(v) ? [] : [new GoValueError(path.toString(), goIntOrString(v), PERCENT_MSG)];
  return nonNegative(v, path);
}

/** An IntOrString's number: a valid percent's value, else the integer (0 for other strings). */
function intOrPercentValue(v: unknown): number {
  if (typeof v === 'string') return PERCENT.test(v) ? Number(v.slice(0, -1)) : 0;
  return typeof v === 'number' ? v : 0;
}

/** The selector as labels.Selector, or undefined when it does not parse (an invalid operator). */
function selectorOf(spec: LabelSelectorSpec | null | undefined) {
  try {
    return labelSelectorAsSelector(spec);
  } catch (err) {
    if (err instanceof SelectorParseError) return undefined;
    throw err;
  }
}

/** core's ValidatePodTemplateSpec (template labels are reported at `template.labels`, as kube-apiserver does). */
function validatePodTemplateSpec(template: Obj, path: FieldPath): FieldError[] {
  const meta = isObj(template.metadata) ? template.metadata : {};
  const spec = (isObj(template.spec) ? template.spec : {}) as PodSpec;
  const errs = validateLabels(meta.labels as Record<string, string> | undefined, path.child('labels'));
  errs.push(...validateAnnotations(meta.annotations as Record<string, string> | undefined, path.child('annotations')));
  errs.push(...validatePodSpec(spec, path.child('spec')));
  if (Array.isArray(spec.ephemeralContainers) && spec.ephemeralContainers.length > 0) {
    errs.push(forbidden(path.child('spec').child('ephemeralContainers').toString(), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}

function validatePodTemplateSpecForReplicaSet(template: unknown, selector: ReturnType<typeof selectorOf>, path: FieldPath): FieldError[] {
  if (!isObj(template)) return [required(path.toString())];
  const errs: FieldError[] = [];
  const labels = isObj(template.metadata) ? (template.metadata.labels as Record<string, string> | undefined) : undefined;
  if (selector && !selector.empty() && !selector.matches(labels)) {
    errs.push(new GoValueError(path.child('metadata').child('labels').toString(), goStringMap(labels), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, path));
  const spec = isObj(template.spec) ? template.spec : {};
  if (spec.restartPolicy !== 'Always') errs.push(notSupported(path.child('spec').child('restartPolicy').toString(), spec.restartPolicy ?? '', ['Always']));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    errs.push(forbidden(path.child('spec').child('activeDeadlineSeconds').toString(), 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

/** The selector checks both kinds share: required, well formed, not empty, parsable. */
function validateSelector(spec: Obj, path: FieldPath): { errs: FieldError[]; selector: ReturnType<typeof selectorOf> } {
  const errs: FieldError[] = [];
  const raw = spec.selector;
  if (raw === undefined || raw === null) errs.push(required(path.child('selector').toString()));
  else {
    errs.push(...validateLabelSelector(raw, path.child('selector')));
    const s = isObj(raw) ? raw : {};
    const count = (isObj(s.matchLabels) ? Object.keys(s.matchLabels).length : 0) + (Array.isArray(s.matchExpressions) ? s.matchExpressions.length : 0);
    if (count === 0) errs.push(new GoValueError(path.child('selector').toString(), goLabelSelector(raw), 'empty selector is invalid for deployment'));
  }
  const selector = selectorOf(raw as LabelSelectorSpec | undefined);
  if (!selector) errs.push(new GoValueError(path.child('selector').toString(), `&${goLabelSelector(raw)}`, 'invalid label selector'));
  return { errs, selector };
}

export function validateReplicaSetSpec(spec: Obj, path: FieldPath = FieldPath.root('spec')): FieldError[] {
  const errs = nonNegative(spec.replicas, path.child('replicas'));
  errs.push(...nonNegative(spec.minReadySeconds, path.child('minReadySeconds')));
  const { errs: selectorErrs, selector } = validateSelector(spec, path);
  errs.push(...selectorErrs);
  if (selector) errs.push(...validatePodTemplateSpecForReplicaSet(spec.template, selector, path.child('template')));
  return errs;
}

function validateDeploymentStrategy(strategy: unknown, path: FieldPath): FieldError[] {
  const s = isObj(strategy) ? strategy : {};
  switch (s.type) {
    case 'Recreate':
      return s.rollingUpdate !== undefined && s.rollingUpdate !== null ? [forbidden(path.child('rollingUpdate').toString(), "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate': {
      if (!isObj(s.rollingUpdate)) return [required(path.child('rollingUpdate').toString(), 'this should be defaulted and never be nil')];
      const ru = s.rollingUpdate;
      const p = path.child('rollingUpdate');
      const errs = validatePositiveIntOrPercent(ru.maxUnavailable, p.child('maxUnavailable'));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, p.child('maxSurge')));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(new GoValueError(p.child('maxUnavailable').toString(), goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      if (typeof ru.maxUnavailable === 'string' && PERCENT.test(ru.maxUnavailable) && intOrPercentValue(ru.maxUnavailable) > 100) {
        errs.push(new GoValueError(p.child('maxUnavailable').toString(), goIntOrString(ru.maxUnavailable), 'must not be greater than 100%'));
      }
      return errs;
    }
    default: {
      const shown = `apps.DeploymentStrategy{Type:${goString(String(s.type ?? ''))}, RollingUpdate:${isObj(s.rollingUpdate) ? '(*apps.RollingUpdateDeployment)(0x0)' : '(*apps.RollingUpdateDeployment)(nil)'}}`;
      const detail = 'supported values: "Recreate", "RollingUpdate"';
      return [new (class extends FieldError {
        override body(): string { return `Unsupported value: ${shown}: ${detail}`; }
      })('FieldValueNotSupported', path.toString(), shown, detail)];
    }
  }
}

export function validateDeploymentSpec(spec: Obj, path: FieldPath = FieldPath.root('spec')): FieldError[] {
  const errs = nonNegative(spec.replicas, path.child('replicas'));
  const { errs: selectorErrs, selector } = validateSelector(spec, path);
  errs.push(...selectorErrs);
  if (selector) errs.push(...validatePodTemplateSpecForReplicaSet(spec.template, selector, path.child('template')));
  errs.push(...validateDeploymentStrategy(spec.strategy, path.child('strategy')));
  errs.push(...nonNegative(spec.minReadySeconds, path.child('minReadySeconds')));
  errs.push(...nonNegative(spec.revisionHistoryLimit, path.child('revisionHistoryLimit')));
  const pds = spec.progressDeadlineSeconds;
  if (typeof pds === 'number') {
    errs.push(...nonNegative(pds, path.child('progressDeadlineSeconds')));
    if (pds <= (typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0)) {
      errs.push(invalid(path.child('progressDeadlineSeconds').toString(), pds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

/** apps/v1 strategies' ValidateUpdate: the selector may not change. */
export function validateSelectorImmutable(spec: Obj, old: Obj): FieldError[] {
  if (semanticEqual(spec.selector ?? null, old.selector ?? null)) return [];
  return [new GoValueError('spec.selector', `${goLabelSelector(spec.selector)}`, FIELD_IMMUTABLE_ERROR_MSG)];
}

const STATUS_COUNTS = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'];

export function validateReplicaSetStatus(status: unknown): FieldError[] {
  const s = isObj(status) ? status : {};
  const path = FieldPath.root('status');
  const errs: FieldError[] = [];
  for (const f of STATUS_COUNTS) errs.push(...nonNegative(s[f], path.child(f)));
  const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : 0);
  const msg = 'cannot be greater than status.replicas';
  for (const f of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) if (n(f) > n('replicas')) errs.push(invalid(path.child(f).toString(), n(f), msg));
  if (n('availableReplicas') > n('readyReplicas')) errs.push(invalid(path.child('availableReplicas').toString(), n('availableReplicas'), 'cannot be greater than readyReplicas'));
  return errs;
}

export function validateDeploymentStatus(status: unknown, old: unknown): FieldError[] {
  const s = isObj(status) ? status : {};
  const path = FieldPath.root('status');
  const errs: FieldError[] = [];
  for (const f of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount']) {
    errs.push(...nonNegative(s[f], path.child(f)));
  }
  const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : 0);
  const msg = 'cannot be greater than status.replicas';
  for (const f of ['updatedReplicas', 'readyReplicas', 'availableReplicas']) if (n(f) > n('replicas')) errs.push(invalid(path.child(f).toString(), n(f), msg));
  if (n('availableReplicas') > n('readyReplicas')) errs.push(invalid(path.child('availableReplicas').toString(), n('availableReplicas'), 'cannot be greater than readyReplicas'));
  const oldCount = isObj(old) && typeof old.collisionCount === 'number' ? old.collisionCount : undefined;
  if (oldCount !== undefined && (typeof s.collisionCount !== 'number' || s.collisionCount < oldCount)) {
    errs.push(invalid(path.child('collisionCount').toString(), typeof s.collisionCount === 'number' ? s.collisionCount : 0, 'cannot be decremented'));
  }
  return errs;
}

/** apiequality.Semantic.DeepEqual for JSON values: member order does not matter. */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => semanticEqual(v, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Obj)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Obj)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => semanticEqual((a as Obj)[k], (b as Obj)[k]));
}
