/**
 * deployments (apps/v1) with /status and /scale. Defaults and validation live in src/cluster/api
 * (defaults/apps.ts, validation/apps.ts); the Deployment controller (src/cluster/controllers)
 * rolls its ReplicaSets.
 */
import { defaultDeployment } from '../../../api/defaults/apps';
import { validateDeploymentSpec, validateDeploymentStatus, validateSelectorImmutable } from '../../../api/validation/apps';
import { deploymentTable } from '../../printers/apps';
import type { ResourceDefinition } from '../resource';
import { ALL_VERBS, kindStrategy, STATUS_VERBS } from './common';
import { keepLabels, nextGeneration, startGeneration } from './workloads';

type Obj = Record<string, unknown>;

export const deployments: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  listKind: 'DeploymentList',
  resource: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  verbs: ALL_VERBS,
  subresources: [
    { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: STATUS_VERBS },
    { name: 'status', kind: 'Deployment', verbs: STATUS_VERBS },
  ],
  strategy: kindStrategy({
    namespaced: true,
    hasStatus: true,
    defaults: (object) => defaultDeployment(object as unknown as Obj),
    prepareForCreate: (object) => startGeneration(object, {}),
    prepareForUpdate(object, old, ctx) {
      if (ctx.subresource === 'status') keepLabels(object, old);
      nextGeneration(object, old, ctx.subresource, true);
    },
    validate: (object) => validateDeploymentSpec((object.spec ?? {}) as Obj),
    validateUpdate(object, old, ctx) {
      if (ctx.subresource === 'status') return validateDeploymentStatus(object.status, old.status);
      return [...validateDeploymentSpec((object.spec ?? {}) as Obj), ...validateSelectorImmutable((object.spec ?? {}) as Obj, (old.spec ?? {}) as Obj)];
    },
  }),
  table: deploymentTable,
};
