/**
 * What the apps/v1 workload strategies share (pkg/registry/apps/*\/strategy.go): a new object
 * starts at generation 1 with an empty status; the generation moves only when the spec (and, for
 * Deployments, the annotations, which are copied to ReplicaSets) changes; a client cannot set it;
 * `/status` keeps the spec (and a Deployment's labels); `/scale` writes spec.replicas alone.
 */
import type { KubeObject } from '../../../api/types';
import { semanticEqual } from '../../../api/validation/apps';
import { clone } from './common';

/** PrepareForCreate: generation 1 and the kind's initial status. */
export function startGeneration(object: KubeObject, status: Record<string, unknown>): void {
  object.metadata.generation = 1;
  object.status = status;
}

/**
 * PrepareForUpdate (after BeforeUpdate restored the old generation): bumped by one when what the
 * generation tracks changed. `/status` writes never change it.
 */
export function nextGeneration(object: KubeObject, old: KubeObject, subresource: string, annotationsCount: boolean): void {
  const previous = old.metadata.generation;
  if (previous === undefined) delete object.metadata.generation;
  else object.metadata.generation = previous;
  if (subresource === 'status') return;
  const changed = !semanticEqual(object.spec, old.spec) || (annotationsCount && !semanticEqual(object.metadata.annotations ?? {}, old.metadata.annotations ?? {}));
  if (changed) object.metadata.generation = (previous ?? 0) + 1;
}

/** The status strategy of Deployments also keeps the labels (its reset fields: spec, metadata.labels). */
export function keepLabels(object: KubeObject, old: KubeObject): void {
  if (old.metadata.labels === undefined) delete object.metadata.labels;
  else object.metadata.labels = clone(old.metadata.labels);
}
