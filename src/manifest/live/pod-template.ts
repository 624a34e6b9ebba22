/**
 * Where a manifest keeps the pod it runs: a Pod's spec, a workload's spec.template, a CronJob's job
 * template. Live hovers speak about the pod spec whatever kind holds it.
 */
import type { FieldPathSegment } from '../../schema/types';

const TEMPLATE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController', 'PodTemplate']);

/** The path of the PodSpec in an object of `kind`, or undefined for kinds that hold no pod. */
export function podSpecPath(kind: string): FieldPathSegment[] | undefined {
  if (kind === 'Pod') return ['spec'];
  if (kind === 'PodTemplate') return ['template', 'spec'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  if (TEMPLATE_KINDS.has(kind)) return ['spec', 'template', 'spec'];
  return undefined;
}

/** The path inside the pod spec, when `segments` is under it. */
export function withinPodSpec(kind: string, segments: readonly FieldPathSegment[]): FieldPathSegment[] | undefined {
  const prefix = podSpecPath(kind);
  if (prefix === undefined || segments.length < prefix.length) return undefined;
  for (let i = 0; i < prefix.length; i++) if (segments[i] !== prefix[i]) return undefined;
  return segments.slice(prefix.length);
}

export function getIn(object: unknown, segments: readonly FieldPathSegment[]): unknown {
  let value = object;
  for (const s of segments) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[s];
  }
  return value;
}
