/**
 * nodes (core/v1, cluster-scoped). Kubelets register their Node with its status, so create keeps
 * status (kube-apiserver's node strategy does too); updates through the main resource keep the old
 * status and `nodes/status` keeps the old spec.
 */
import { FieldError as FieldErrorClass, FieldPath, forbidden, invalid, notSupported, required } from '../../../api/field-errors';
import type { FieldError } from '../../../api/field-errors';
import type { KubeObject, Node } from '../../../api/types';
import { canonicalizeResourceList } from '../../../api/defaults/quantities';
import { validateLabelName } from '../../../api/validation/meta';
import { isValidLabelValue } from '../../../api/validation/names';
import { nodeTable } from '../../printers/nodes';
import type { ResourceDefinition } from '../resource';
import { clone, kindStrategy, STATUS_VERBS } from './common';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateTaints(taints: unknown, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!Array.isArray(taints)) return errs;
  const seen = new Set<string>();
  taints.forEach((t: { key?: string; value?: string; effect?: string }, i) => {
    const p = path.index(i);
    errs.push(...validateLabelName(t.key ?? '', p.child('key')));
    const valueErrs = isValidLabelValue(t.value ?? '');
    if (valueErrs.length) errs.push(invalid(p.child('value').toString(), t.value ?? '', valueErrs.join(';')));
    if (!t.effect) errs.push(required(p.child('effect').toString()));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(notSupported(p.child('effect').toString(), t.effect, TAINT_EFFECTS));
    const id = `${t.key}:${t.effect}`;
    if (seen.has(id)) errs.push(new FieldErrorClass('FieldValueDuplicate', p.toString(), t, 'taints must be unique by key and effect pair'));
    seen.add(id);
  });
  return errs;
}

function validateNode(object: KubeObject): FieldError[] {
  const node = object as Node;
  return validateTaints(node.spec?.taints, FieldPath.root('spec').child('taints'));
}

export const nodes: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Node',
  listKind: 'NodeList',
  resource: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: [{ name: 'status', kind: 'Node', verbs: STATUS_VERBS }],
  strategy: kindStrategy({
    namespaced: false,
    defaults(object) {
      // SetDefaults_NodeStatus: allocatable defaults to capacity.
      const status = (object as Node).status;
      if (status?.capacity && !status.allocatable) status.allocatable = clone(status.capacity);
      canonicalizeResourceList(status?.capacity, 'Node');
      canonicalizeResourceList(status?.allocatable, 'Node');
    },
    prepareForUpdate(object, old, ctx) {
      if (ctx.subresource === '') object.status = clone(old.status);
      else if (ctx.subresource === 'status') object.spec = clone(old.spec);
    },
    validate: validateNode,
    validateUpdate(object, old) {
      const errs = validateNode(object);
      // Pod CIDRs and the provider ID may be set once, never changed (ValidateNodeUpdate).
      const oldCIDRs = (old as Node).spec?.podCIDRs ?? [];
      const newCIDRs = (object as Node).spec?.podCIDRs ?? [];
      if (oldCIDRs.length > 0) {
        const changed = oldCIDRs.length !== newCIDRs.length ? 1 : oldCIDRs.filter((c, i) => c !== newCIDRs[i]).length;
        for (let i = 0; i < changed; i++) errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
      }
      const oldProvider = (old as Node).spec?.providerID as string | undefined;
      if (oldProvider && oldProvider !== (object as Node).spec?.providerID) {
        errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
      }
      return errs;
    },
  }),
  table: nodeTable,
  // FormatBool: an absent spec.unschedulable selects as "false".
  selectableFields: { 'spec.unschedulable': (o: KubeObject) => String((o as Node).spec?.unschedulable === true) },
};
