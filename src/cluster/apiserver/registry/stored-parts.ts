/**
 * A status write's new status, made of the stored status's own parts wherever it says what they
 * say. The kubelet writes a pod's whole status each time, and most of it is what the pod's status
 * said already (the PodScheduled and Initialized conditions, host IPs, start time, a container's
 * mounts), but as new values: its patch's, copied. Whatever walks the written object after the
 * strategy (the managedFields diff, the validation, freezing it for the watch fan-out, the next
 * write's diff of it) walked those again and compared them member by member with the stored ones.
 * A stored part is frozen (registry/shared-parts.ts), so all of them skip it by identity.
 *
 * Contract: `keepStoredParts(value, stored)` returns `stored` when `value` is exactly its JSON (the
 * same members in the same order, the same scalars: JSON.stringify gives the same text), else
 * `value` with each such part inside it replaced by the stored one. Only frozen stored parts are
 * taken (a decoded object's are read-only by contract, not frozen: they are left alone), and only
 * values the registry may write into: a frozen value is someone's shared one and is returned as it
 * is. Nothing the client sees changes: the text is the same, and the stored parts were already
 * what every reader of the previous revision sees.
 */
import { plainPrototype } from './written';
import { setMember } from '../patch/json-value';

const hasOwn = Object.prototype.hasOwnProperty;

export function keepStoredParts(value: unknown, stored: unknown): unknown {
  if (value === stored || value === null || typeof value !== 'object' || stored === null || typeof stored !== 'object') return value;
  if (!Object.isFrozen(stored) || Object.isFrozen(value) || !plainPrototype(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  if (Array.isArray(value)) {
    if (!Array.isArray(stored)) return value;
    let same = value.length === stored.length;
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      const c = i < stored.length ? keepStoredParts(v, stored[i]) : v;
      if (c !== v) value[i] = c;
      // A hole or an undefined item is never the stored one's (JSON has neither).
      if (c !== stored[i] || c === undefined) same = false;
    }
    return same ? stored : value;
  }
  if (Array.isArray(stored)) return value;
  const object = value as Record<string, unknown>;
  const storedObject = stored as Record<string, unknown>;
  const keys = Object.keys(storedObject);
  let same = true;
  let n = 0;
  for (const k in object) {
    if (!hasOwn.call(object, k)) continue;
    const v = object[k];
    const s = hasOwn.call(storedObject, k) ? storedObject[k] : undefined;
    const c = s === undefined ? v : keepStoredParts(v, s);
    if (c !== v) setMember(object, k, c);
    if (keys[n] !== k || c !== s) same = false;
    n++;
  }
  return same && n === keys.length ? stored : value;
}
