/** leases (coordination.k8s.io/v1): node heartbeats live in kube-node-lease, leader election elsewhere. */
import { FieldPath, invalid } from '../../../api/field-errors';
import type { FieldError } from '../../../api/field-errors';
import type { KubeObject } from '../../../api/types';
import { IS_NEGATIVE_ERROR_MSG } from '../../../api/validation/names';
import { leaseTable } from '../../printers/simple-kinds';
import type { ResourceDefinition } from '../resource';
import { ALL_VERBS, kindStrategy } from './common';

interface LeaseSpec { leaseDurationSeconds?: number; leaseTransitions?: number }

function validateLease(object: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = (object.spec as LeaseSpec | undefined) ?? {};
  const path = FieldPath.root('spec');
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds !== null && spec.leaseDurationSeconds <= 0) {
    errs.push(invalid(path.child('leaseDurationSeconds').toString(), spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions !== null && spec.leaseTransitions < 0) {
    errs.push(invalid(path.child('leaseTransitions').toString(), spec.leaseTransitions, IS_NEGATIVE_ERROR_MSG));
  }
  return errs;
}

export const leases: ResourceDefinition = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  listKind: 'LeaseList',
  resource: 'leases',
  singular: 'lease',
  namespaced: true,
  verbs: ALL_VERBS,
  subresources: [],
  strategy: kindStrategy({ namespaced: true, validate: validateLease, validateUpdate: validateLease }),
  table: leaseTable,
};
