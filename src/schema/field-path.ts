/**
 * Field paths as kube-apiserver words them: field names joined by `.`, list indices as `[i]`
 * (`spec.containers[0].volumeMounts`). Map keys are joined by `.` too, as the strict JSON decoder does.
 */
import type { FieldPathSegment } from './types';

export function formatFieldPath(segments: readonly FieldPathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/**
 * `spec.containers[0].image` → ['spec', 'containers', 0, 'image']. A map key that contains dots
 * (`app.kubernetes.io/name`) cannot be written this way; pass segments instead.
 */
export function parseFieldPath(path: string): FieldPathSegment[] {
  const out: FieldPathSegment[] = [];
  for (const part of path.split('.')) {
    if (part === '') continue;
    const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      out.push(part);
      continue;
    }
    if (match[1] !== '') out.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]));
  }
  return out;
}

/** The value at `segments` in a plain JSON value; undefined where the path leaves it. */
export function getIn(object: unknown, segments: readonly FieldPathSegment[]): unknown {
  let value = object;
  for (const s of segments) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[s];
  }
  return value;
}
