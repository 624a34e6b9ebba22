/**
 * The finalizers a DELETE adds for the garbage collector (kubernetes/apiserver registry store:
 * deletionFinalizersForGarbageCollection): `propagationPolicy: Orphan` leaves `orphan`,
 * `Foreground` leaves `foregroundDeletion`, `Background` leaves neither; with no policy, the one the
 * object already carries stays (every kind served here defaults to deleting dependents, in the
 * background). The object then waits, marked for deletion, until the garbage collector has
 * orphaned or deleted its dependents and removed the finalizer.
 */
export const ORPHAN_FINALIZER = 'orphan';
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

/** The finalizers after the delete, or undefined when they do not change (as sets). */
export function finalizersForPropagation(existing: readonly string[] | undefined, policy: string | undefined): string[] | undefined {
  const current = existing ?? [];
  // The usual delete (a pod, a kubelet's final one): nothing to keep, nothing asked for.
  if (current.length === 0 && policy !== 'Orphan' && policy !== 'Foreground') return undefined;
  const orphan = policy === 'Orphan' || (policy === undefined && current.includes(ORPHAN_FINALIZER));
  const foreground = policy === 'Foreground' || (policy === undefined && current.includes(FOREGROUND_FINALIZER));
  const next = current.filter((f) => f !== ORPHAN_FINALIZER && f !== FOREGROUND_FINALIZER);
  if (orphan) next.push(ORPHAN_FINALIZER);
  if (foreground) next.push(FOREGROUND_FINALIZER);
  const before = new Set(current);
  const after = new Set(next);
  if (before.size === after.size && [...after].every((f) => before.has(f))) return undefined;
  return next;
}
