/** configmaps (core/v1): keys as config keys, data and binaryData disjoint, 1 MiB in all, `immutable` honoured. */
import { FieldError, FieldPath, forbidden, invalid, tooLong } from '../../../api/field-errors';
import type { KubeObject } from '../../../api/types';
import { isConfigMapKey } from '../../../api/validation/names';
import { configMapTable } from '../../printers/simple-kinds';
import type { ResourceDefinition } from '../resource';
import { ALL_VERBS, kindStrategy } from './common';

/** corev1.MaxSecretSize, which ConfigMaps share. */
export const MAX_DATA_SIZE = 1024 * 1024;

const entries = (m: unknown): [string, unknown][] => (m && typeof m === 'object' ? Object.entries(m as object) : []);

export function validateConfigMap(object: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  const data = FieldPath.root('data');
  const binary = FieldPath.root('binaryData');
  for (const [key, value] of entries(object.data)) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(data.key(key).toString(), key, msg));
    total += Buffer.byteLength(String(value ?? ''));
  }
  for (const [key, value] of entries(object.binaryData)) {
    for (const msg of isConfigMapKey(key)) errs.push(invalid(binary.key(key).toString(), key, msg));
    if (object.data && typeof object.data === 'object' && key in (object.data as object)) {
      errs.push(invalid(binary.key(key).toString(), key, 'duplicate of key present in data'));
    }
    total += Math.floor((String(value ?? '').length * 3) / 4);
  }
  if (total > MAX_DATA_SIZE) errs.push(tooLong('', MAX_DATA_SIZE));
  return errs;
}

/** Shared by ConfigMaps and Secrets: once `immutable: true`, data and immutable itself are fixed. */
export function validateImmutableData(object: KubeObject, old: KubeObject, dataFields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (object.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of dataFields) {
    if (JSON.stringify(object[f] ?? {}) !== JSON.stringify(old[f] ?? {})) errs.push(forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return errs;
}

export const configmaps: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  listKind: 'ConfigMapList',
  resource: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],
  verbs: ALL_VERBS,
  subresources: [],
  strategy: kindStrategy({
    namespaced: true,
    validate: validateConfigMap,
    validateUpdate: (object, old) => validateImmutableData(object, old, ['data', 'binaryData']).concat(validateConfigMap(object)),
  }),
  table: configMapTable,
};
