/**
 * Freezes a JSON value and everything in it: for values shared between objects (caches of field
 * sets, decoded parts), so that a write through one of them fails instead of changing them all.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
