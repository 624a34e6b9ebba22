/**
 * Freezes a JSON value and everything in it: for values shared between objects (caches of field
 * sets, decoded parts), so that a write through one of them fails instead of changing them all.
 * Walks members in place (JSON values have no enumerable inherited members) rather than through
 * Object.values, which made an array per object walked: ~5 KB of garbage a pod in the bring-up.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
    } else {
      const members = value as Record<string, unknown>;
      for (const key in members) deepFreeze(members[key]);
    }
    Object.freeze(value);
  }
  return value;
}
