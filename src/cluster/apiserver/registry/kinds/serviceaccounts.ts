/** serviceaccounts (core/v1). The ServiceAccount admission plugin and the per-namespace `default` account build on it. */
import { serviceAccountTable } from '../../printers/simple-kinds';
import type { ResourceDefinition } from '../resource';
import { ALL_VERBS, kindStrategy } from './common';

export const serviceaccounts: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  listKind: 'ServiceAccountList',
  resource: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  verbs: ALL_VERBS,
  subresources: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }],
  strategy: kindStrategy({ namespaced: true }),
  table: serviceAccountTable,
};
