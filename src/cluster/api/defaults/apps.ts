/**
 * apps/v1 defaults (pkg/apis/apps/v1/defaults.go and the generated defaulters that run the pod
 * spec's defaults inside every pod template): a Deployment gets one replica, the RollingUpdate
 * strategy with 25%/25%, ten old ReplicaSets kept and a 600 s progress deadline; a ReplicaSet one
 * replica. Template metadata keeps `creationTimestamp: null`, as Go's encoding of an unset
 * metav1.Time writes it in 1.32.
 */
import type { PodSpec } from '../types';
import { defaultPodSpec } from './pod';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A pod template inside a workload's spec: the pod spec defaults, and Go's encoding of its metadata. */
export function defaultPodTemplate(template: unknown): void {
  if (!isObj(template)) return;
  if (!isObj(template.metadata)) template.metadata = {};
  const meta = template.metadata as Obj;
  if (!('creationTimestamp' in meta)) meta.creationTimestamp = null;
  if (!isObj(template.spec)) template.spec = {};
  defaultPodSpec(template.spec as PodSpec, false);
}

/** SetDefaults_ReplicaSet. */
export function defaultReplicaSet(rs: Obj): void {
  if (!isObj(rs.spec)) rs.spec = {};
  const spec = rs.spec as Obj;
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  defaultPodTemplate(spec.template ?? (spec.template = {}));
}

/** SetDefaults_Deployment. */
export function defaultDeployment(deployment: Obj): void {
  if (!isObj(deployment.spec)) deployment.spec = {};
  const spec = deployment.spec as Obj;
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  if (!isObj(spec.strategy)) spec.strategy = {};
  const strategy = spec.strategy as Obj;
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    if (!isObj(strategy.rollingUpdate)) strategy.rollingUpdate = {};
    const rolling = strategy.rollingUpdate as Obj;
    if (rolling.maxUnavailable === undefined || rolling.maxUnavailable === null) rolling.maxUnavailable = '25%';
    if (rolling.maxSurge === undefined || rolling.maxSurge === null) rolling.maxSurge = '25%';
  }
  if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null) spec.revisionHistoryLimit = 10;
  if (spec.progressDeadlineSeconds === undefined || spec.progressDeadlineSeconds === null) spec.progressDeadlineSeconds = 600;
  defaultPodTemplate(spec.template ?? (spec.template = {}));
}
