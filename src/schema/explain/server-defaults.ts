/**
 * What the API server's defaulting (src/cluster/api/defaults, the same code the simulated API server
 * runs) fills in under an object of a manifest: the pod spec's and containers' defaults, including
 * those the schema cannot state (a container's imagePullPolicy follows its image's tag). Applied to a
 * copy of the document's pod spec, wherever the kind keeps it.
 */
import { defaultPodSpec } from '../../cluster/api/defaults/pod';
import type { PodSpec } from '../../cluster/api/types';
import type { FieldPathSegment } from '../types';
import { getIn } from '../field-path';

const TEMPLATE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']);

function podSpecPath(kind: string): FieldPathSegment[] | undefined {
  if (kind === 'Pod') return ['spec'];
  if (kind === 'PodTemplate') return ['template', 'spec'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  return TEMPLATE_KINDS.has(kind) ? ['spec', 'template', 'spec'] : undefined;
}

/** Fields absent from the object at `segments` that defaulting sets to a plain value, with that value. */
export function serverDefaults(kind: string, object: unknown, segments: readonly FieldPathSegment[]): { name: string; default: unknown }[] {
  const prefix = podSpecPath(kind);
  if (prefix === undefined || segments.length < prefix.length || prefix.some((s, i) => segments[i] !== s)) return [];
  const spec = getIn(object, prefix);
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return [];
  const copy = structuredClone(spec) as PodSpec;
  try {
    defaultPodSpec(copy);
  } catch {
    return []; // a half-typed spec the defaulting code cannot walk
  }
  const rest = segments.slice(prefix.length);
  const before = getIn(spec, rest);
  const after = getIn(copy, rest);
  if (after === null || typeof after !== 'object' || Array.isArray(after)) return [];
  const present = before !== null && typeof before === 'object' ? (before as Record<string, unknown>) : {};
  const out: { name: string; default: unknown }[] = [];
  for (const [name, value] of Object.entries(after as Record<string, unknown>)) {
    if (name in present || value === null || (typeof value === 'object' && Object.keys(value).length > 0)) continue;
    if (name === 'serviceAccount') continue; // the deprecated mirror of serviceAccountName
    out.push({ name, default: value });
  }
  return out;
}
