/**
 * Strategic merge patch failures, worded as k8s.io/apimachinery's mergepatch and strategicpatch word
 * them, with the status kind kube-apiserver gives each (interpretStrategicMergePatchError).
 */
import { goFormat, isObject, type JsonObject } from './json-value';

export type SmpErrorKind = 'BadRequest' | 'Invalid' | 'Internal';

export class StrategicMergePatchError extends Error {
  constructor(readonly kind: SmpErrorKind, message: string) {
    super(message);
    this.name = 'StrategicMergePatchError';
  }
}

export const errBadJsonDoc = () => new StrategicMergePatchError('BadRequest', 'invalid JSON document');
export const errNoListOfLists = () => new StrategicMergePatchError('Invalid', 'lists of lists are not supported');
export const errBadPrimitiveList = () => new StrategicMergePatchError('BadRequest', 'invalid patch format of primitive list');
export const errBadRetainKeys = () => new StrategicMergePatchError('BadRequest', 'invalid patch format of retainKeys');
export const errBadSetElementOrder = () => new StrategicMergePatchError('BadRequest', 'invalid patch format of setElementOrder list');
export const internal = (message: string) => new StrategicMergePatchError('Internal', message);

/** The Go type name reflect prints for a decoded JSON value. */
function goType(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return '[]interface {}';
  if (isObject(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v === 'boolean' ? 'bool' : 'string';
}
export const errBadArgType = (expected: string, actual: unknown) => internal(`expected a ${expected}, but received a ${goType(actual)}`);
export const errNoMergeKey = (m: JsonObject, key: string) => internal(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
export const errBadPatchType = (t: unknown, m: JsonObject) => internal(`unknown patch type: ${goFormat(t)} in map: ${goFormat(m)}`);
