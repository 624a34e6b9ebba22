/**
 * replicasets (apps/v1) with /status and /scale. Defaults and validation live in src/cluster/api
 * (defaults/apps.ts, validation/apps.ts); the ReplicaSet controller (src/cluster/controllers)
 * keeps the pods.
 */
import { defaultReplicaSet } from '../../../api/defaults/apps';
import { validateReplicaSetSpec, validateReplicaSetStatus, validateSelectorImmutable } from '../../../api/validation/apps';
import { replicaSetTable } from '../../printers/apps';
import type { ResourceDefinition } from '../resource';
import { ALL_VERBS, kindStrategy, STATUS_VERBS } from './common';
import { nextGeneration, startGeneration } from './workloads';

type Obj = Record<string, unknown>;

export const replicasets: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  listKind: 'ReplicaSetList',
  resource: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  verbs: ALL_VERBS,
  subresources: [
    { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: STATUS_VERBS },
    { name: 'status', kind: 'ReplicaSet', verbs: STATUS_VERBS },
  ],
  strategy: kindStrategy({
    namespaced: true,
    hasStatus: true,
    defaults: (object) => defaultReplicaSet(object as unknown as Obj),
    // Go encodes ReplicaSetStatus.replicas without omitempty.
    prepareForCreate: (object) => startGeneration(object, { replicas: 0 }),
    prepareForUpdate: (object, old, ctx) => nextGeneration(object, old, ctx.subresource, false),
    validate: (object) => validateReplicaSetSpec((object.spec ?? {}) as Obj),
    validateUpdate(object, old, ctx) {
      if (ctx.subresource === 'status') return validateReplicaSetStatus(object.status);
      return [...validateReplicaSetSpec((object.spec ?? {}) as Obj), ...validateSelectorImmutable((object.spec ?? {}) as Obj, (old.spec ?? {}) as Obj)];
    },
  }),
  table: replicaSetTable,
  // ReplicaSetToSelectableFields: status.replicas as its decimal text.
  selectableFields: { 'status.replicas': (o) => String((o.status as { replicas?: number } | undefined)?.replicas ?? 0) },
};
