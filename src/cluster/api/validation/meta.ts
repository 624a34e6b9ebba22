/**
 * ObjectMeta validation as apimachinery/pkg/api/validation (ValidateObjectMetaAccessor and
 * ValidateObjectMetaAccessorUpdate) does it: name or generateName, namespace presence by scope,
 * labels, annotations (keys and the 256 KiB total), owner references, finalizers, and the fields an
 * update may not change.
 */
import { FieldError, FieldPath, forbidden, invalid, required, tooLong } from '../field-errors';
import type { ObjectMeta, OwnerReference } from '../types';
import {
  FIELD_IMMUTABLE_ERROR_MSG,
  IS_NEGATIVE_ERROR_MSG,
  isQualifiedName,
  isValidLabelValue,
  validateNamespaceName,
  type NameValidator,
} from './names';

export const TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * 1024;

const metaPath = FieldPath.root('metadata');

export function validateLabelName(name: string, path: FieldPath): FieldError[] {
  return isQualifiedName(name).map((msg) => invalid(path.toString(), name, msg));
}

export function validateLabels(labels: Record<string, string> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    errs.push(...validateLabelName(key, path));
    if (typeof value !== 'string') continue;
    for (const msg of isValidLabelValue(value)) errs.push(invalid(path.toString(), value, msg));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    // Annotation keys are qualified names except that case does not matter.
    for (const msg of isQualifiedName(key.toLowerCase())) errs.push(invalid(path.toString(), key, msg));
    total += Buffer.byteLength(key) + Buffer.byteLength(String(value ?? ''));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) errs.push(tooLong(path.toString(), TOTAL_ANNOTATION_SIZE_LIMIT_B));
  return errs;
}

function validateOwnerReferences(refs: OwnerReference[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    const apiVersion = ref.apiVersion ?? '';
    const version = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
    if (!version) errs.push(invalid(path.child('apiVersion').toString(), apiVersion, 'version must not be empty'));
    if (!ref.kind) errs.push(invalid(path.child('kind').toString(), ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(invalid(path.child('name').toString(), ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(invalid(path.child('uid').toString(), ref.uid ?? '', 'uid must not be empty'));
    if (apiVersion === 'v1' && ref.kind === 'Event') errs.push(invalid(path.toString(), ref, '/v1, Kind=Event is disallowed from being an owner'));
    if (ref.controller) {
      const name = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          invalid(path.toString(), refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${name}`),
        );
      } else firstController = name;
    }
  }
  return errs;
}

function validateFinalizers(finalizers: string[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) for (const msg of isQualifiedName(f)) errs.push(invalid(path.toString(), f, msg));
  if (finalizers?.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(invalid(path.toString(), finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/**
 * Validates a new object's metadata. `nameFn` is the kind's name rule (most kinds: DNS subdomain;
 * namespaces and services: DNS label).
 */
export function validateObjectMeta(meta: ObjectMeta, namespaced: boolean, nameFn: NameValidator, path: FieldPath = metaPath): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.generateName) {
    for (const msg of nameFn(meta.generateName, true)) errs.push(invalid(path.child('generateName').toString(), meta.generateName, msg));
  }
  if (!meta.name) errs.push(required(path.child('name').toString(), 'name or generateName is required'));
  else for (const msg of nameFn(meta.name, false)) errs.push(invalid(path.child('name').toString(), meta.name, msg));
  if (namespaced) {
    if (!meta.namespace) errs.push(required(path.child('namespace').toString()));
    else for (const msg of validateNamespaceName(meta.namespace, false)) errs.push(invalid(path.child('namespace').toString(), meta.namespace, msg));
  } else if (meta.namespace) {
    errs.push(forbidden(path.child('namespace').toString(), 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number' && meta.generation < 0) {
    errs.push(invalid(path.child('generation').toString(), meta.generation, IS_NEGATIVE_ERROR_MSG));
  }
  errs.push(...validateLabels(meta.labels, path.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, path.child('finalizers')));
  return errs;
}

/** Go compares zero values: an empty string and an absent field are the same. */
const norm = (v: unknown): unknown => (v === '' || v === undefined ? null : v);
const same = (a: unknown, b: unknown): boolean => {
  const x = norm(a);
  const y = norm(b);
  // Equal scalars (every update's name, namespace, uid...) need no serialization.
  return x === y || JSON.stringify(x) === JSON.stringify(y);
};

export function validateImmutableField(newValue: unknown, oldValue: unknown, path: string): FieldError[] {
  return same(newValue, oldValue) ? [] : [invalid(path, newValue ?? null, FIELD_IMMUTABLE_ERROR_MSG)];
}

const IMMUTABLE_META = ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const;

/** Validates metadata on update: immutable identity fields and the same syntax rules as create. */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta, path: FieldPath = metaPath): FieldError[] {
  const errs: FieldError[] = [];
  if (old.deletionTimestamp) {
    const extra = (meta.finalizers ?? []).filter((f) => !(old.finalizers ?? []).includes(f));
    const unique = [...new Set(extra)].sort();
    if (unique.length) {
      errs.push(
        forbidden(
          path.child('finalizers').toString(),
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${unique.map((f) => JSON.stringify(f)).join(', ')}}`,
        ),
      );
    }
  }
  if (!meta.resourceVersion) errs.push(invalid(path.child('resourceVersion').toString(), meta.resourceVersion ?? '', 'must be specified for an update'));
  if ((meta.generation ?? 0) < (old.generation ?? 0)) errs.push(invalid(path.child('generation').toString(), meta.generation ?? 0, 'must not be decremented'));
  for (const field of IMMUTABLE_META) {
    // Compared first: the path is worded only for an error (every update of every object comes here).
    if (!same(meta[field] ?? undefined, old[field] ?? undefined)) errs.push(...validateImmutableField(meta[field] ?? undefined, old[field] ?? undefined, path.child(field).toString()));
  }
  errs.push(...validateLabels(meta.labels, path.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, path.child('ownerReferences')));
  return errs;
}
