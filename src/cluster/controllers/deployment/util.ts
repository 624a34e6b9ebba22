/**
 * The Deployment controller's arithmetic and bookkeeping (pkg/controller/deployment/util, 1.32):
 * revision annotations, maxSurge/maxUnavailable resolved against the desired replicas, the pod
 * template hash, conditions and their exact reasons and messages, and the status from the
 * ReplicaSets' counts.
 */
import type { KubeObject } from '../../api/types';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const POD_TEMPLATE_HASH = 'pod-template-hash';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
const MAX_REV_HISTORY_CHARS = 2000;

export const Reasons = {
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  FailedRSCreate: 'ReplicaSetCreateError',
  NewReplicaSet: 'NewReplicaSetCreated',
  FoundNewRS: 'FoundNewReplicaSet',
  NewRSAvailable: 'NewReplicaSetAvailable',
  TimedOut: 'ProgressDeadlineExceeded',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  collisionCount?: number;
}

export interface DeploymentSpec {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  template?: { metadata?: { labels?: Record<string, string>; [k: string]: unknown }; spec?: unknown };
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
}

export const specOf = (d: KubeObject) => (d.spec ?? {}) as DeploymentSpec;
export const rsSpecOf = (rs: KubeObject) => (rs.spec ?? {}) as DeploymentSpec;
export const rsStatusOf = (rs: KubeObject) => (rs.status ?? {}) as { replicas?: number; readyReplicas?: number; availableReplicas?: number; observedGeneration?: number; conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[] };
export const replicasOf = (o: KubeObject) => rsSpecOf(o).replicas ?? 0;

export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

// ---- max surge / max unavailable --------------------------------------------------------------

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(value: number | string | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  const percent = Number(value.replace(/%$/, ''));
  const scaled = (percent * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** ResolveFenceposts: surge rounds up, unavailable down; both zero means one unavailable. */
export function resolveFenceposts(d: KubeObject): { surge: number; unavailable: number } {
  const spec = specOf(d);
  const desired = spec.replicas ?? 0;
  const ru = spec.strategy?.rollingUpdate ?? {};
  const surge = scaledValue(ru.maxSurge, desired, true);
  let unavailable = scaledValue(ru.maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

const isRolling = (d: KubeObject) => specOf(d).strategy?.type === 'RollingUpdate';

export function maxSurge(d: KubeObject): number {
  return isRolling(d) ? resolveFenceposts(d).surge : 0;
}

export function maxUnavailable(d: KubeObject): number {
  const desired = specOf(d).replicas ?? 0;
  if (!isRolling(d) || desired === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, desired);
}

// ---- counts -----------------------------------------------------------------------------------

const sum = (rss: (KubeObject | undefined)[], f: (rs: KubeObject) => number) => rss.reduce((n, rs) => n + (rs ? f(rs) : 0), 0);
/** GetReplicaCountForReplicaSets: desired (spec) replicas. */
export const specReplicas = (rss: (KubeObject | undefined)[]) => sum(rss, replicasOf);
/** GetActualReplicaCountForReplicaSets: observed (status) replicas. */
export const actualReplicas = (rss: (KubeObject | undefined)[]) => sum(rss, (rs) => rsStatusOf(rs).replicas ?? 0);
export const readyReplicas = (rss: (KubeObject | undefined)[]) => sum(rss, (rs) => rsStatusOf(rs).readyReplicas ?? 0);
export const availableReplicas = (rss: (KubeObject | undefined)[]) => sum(rss, (rs) => rsStatusOf(rs).availableReplicas ?? 0);

export const isActive = (rs: KubeObject | undefined): rs is KubeObject => !!rs && replicasOf(rs) > 0;

export function byCreation(a: KubeObject, b: KubeObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

export function revisionOf(rs: KubeObject): number {
  const n = Number(rs.metadata.annotations?.[REVISION] ?? '');
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

export const maxRevision = (rss: KubeObject[]) => rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);

// ---- the pod template hash --------------------------------------------------------------------

const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}

/**
 * controller.ComputeHash's shape: FNV-32a of the template (and of the collision count as 8
 * little-endian bytes), its decimal text encoded with rand.SafeEncodeString. kube-controller-manager
 * hashes Go's spew dump of the struct, which cannot be reproduced here: it hashes canonical JSON, so
 * the same template gives a stable name, but not the name a real cluster would give.
 */
export function computeHash(template: unknown, collisionCount: number | undefined): string {
  let hash = 0x811c9dc5;
  const feed = (byte: number) => {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  };
  for (const byte of Buffer.from(canonical(template), 'utf8')) feed(byte);
  if (collisionCount !== undefined) {
    const bytes = Buffer.alloc(8);
    bytes.writeUInt32LE(collisionCount >>> 0, 0);
    for (const byte of bytes) feed(byte);
  }
  return [...String(hash >>> 0)].map((c) => SAFE_ALPHANUMS[c.charCodeAt(0) % SAFE_ALPHANUMS.length]).join('');
}

/** EqualIgnoreHash: the templates alike once the pod-template-hash label is left out of both. */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  const strip = (t: unknown) => {
    const copy = structuredClone((t ?? {}) as { metadata?: { labels?: Record<string, string> } });
    if (copy.metadata?.labels) {
      delete copy.metadata.labels[POD_TEMPLATE_HASH];
      if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
    }
    return canonical(copy);
  };
  return strip(a) === strip(b);
}

// ---- annotations ------------------------------------------------------------------------------

function copyAnnotations(d: KubeObject, rs: KubeObject): boolean {
  let changed = false;
  const target = (rs.metadata.annotations ??= {});
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if ([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO].includes(k)) continue;
    if (target[k] === v) continue;
    target[k] = v;
    changed = true;
  }
  return changed;
}

/** SetReplicasAnnotations: desired-replicas and max-replicas; true when they changed. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS] !== String(desired)) { a[DESIRED_REPLICAS] = String(desired); changed = true; }
  if (a[MAX_REPLICAS] !== String(max)) { a[MAX_REPLICAS] = String(max); changed = true; }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: KubeObject, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
}

/** SetNewReplicaSetAnnotations: the deployment's annotations, the revision (and its history on a rollback), the replica annotations on a new one. */
export function setNewReplicaSetAnnotations(d: KubeObject, rs: KubeObject, newRevision: number, exists: boolean): boolean {
  let changed = copyAnnotations(d, rs);
  const a = (rs.metadata.annotations ??= {});
  const oldText = a[REVISION];
  const old = oldText === undefined || oldText === '' ? 0 : Number(oldText);
  if (!Number.isInteger(old)) return false;
  if (old < newRevision) {
    a[REVISION] = String(newRevision);
    changed = true;
    if (oldText !== undefined) {
      const history = a[REVISION_HISTORY] ?? '';
      let revisions = history === '' ? [] : history.split(',');
      let total = history.length + oldText.length + 1;
      while (total > MAX_REV_HISTORY_CHARS && revisions.length > 0) {
        total -= revisions[0]!.length + 1;
        revisions = revisions.slice(1);
      }
      a[REVISION_HISTORY] = [...revisions, oldText].join(',');
    }
  }
  const desired = specOf(d).replicas ?? 0;
  if (!exists && setReplicasAnnotations(rs, desired, desired + maxSurge(d))) changed = true;
  return changed;
}

// ---- conditions -------------------------------------------------------------------------------

export function condition(type: string, status: DeploymentCondition['status'], reason: string, message: string, now: number): DeploymentCondition {
  const t = rfc3339(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function getCondition(status: DeploymentStatus, type: string): DeploymentCondition | undefined {
  return status.conditions?.find((c) => c.type === type);
}

/** SetDeploymentCondition: same status and reason is a no-op; same status keeps lastTransitionTime; it goes last. */
export function setCondition(status: DeploymentStatus, c: DeploymentCondition): void {
  const current = getCondition(status, c.type);
  if (current && current.status === c.status && current.reason === c.reason) return;
  if (current && current.status === c.status) c.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), c];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((x) => x.type !== type);
  if (rest.length) status.conditions = rest;
  else delete status.conditions;
}

export const hasProgressDeadline = (d: KubeObject) => {
  const pds = specOf(d).progressDeadlineSeconds;
  return pds !== undefined && pds !== 2147483647;
};

/** calculateStatus (sync.go). Zero counts are left out, as Go's omitempty. */
export function calculateStatus(allRSs: KubeObject[], newRS: KubeObject | undefined, d: KubeObject, now: number): DeploymentStatus {
  const old = (d.status ?? {}) as DeploymentStatus;
  const available = availableReplicas(allRSs);
  const unavailable = Math.max(0, specReplicas(allRSs) - available);
  const status: DeploymentStatus = {};
  if (d.metadata.generation) status.observedGeneration = d.metadata.generation;
  const counts: [keyof DeploymentStatus, number][] = [
    ['replicas', actualReplicas(allRSs)], ['updatedReplicas', newRS ? actualReplicas([newRS]) : 0], ['readyReplicas', readyReplicas(allRSs)],
    ['availableReplicas', available], ['unavailableReplicas', unavailable],
  ];
  for (const [k, v] of counts) if (v) (status as Record<string, number>)[k] = v;
  if (old.conditions?.length) status.conditions = old.conditions.map((c) => ({ ...c }));
  if (old.collisionCount !== undefined) status.collisionCount = old.collisionCount;
  if (available >= (specOf(d).replicas ?? 0) - maxUnavailable(d)) {
    setCondition(status, condition('Available', 'True', Reasons.MinimumReplicasAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, condition('Available', 'False', Reasons.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** DeploymentComplete. */
export function deploymentComplete(d: KubeObject, status: DeploymentStatus): boolean {
  const desired = specOf(d).replicas ?? 0;
  return (status.updatedReplicas ?? 0) === desired && (status.replicas ?? 0) === desired && (status.availableReplicas ?? 0) === desired && (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available than last time. */
export function deploymentProgressing(d: KubeObject, status: DeploymentStatus): boolean {
  const old = (d.status ?? {}) as DeploymentStatus;
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** DeploymentTimedOut: the Progressing condition not updated for progressDeadlineSeconds. */
export function deploymentTimedOut(d: KubeObject, status: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(status, 'Progressing');
  if (!c) return false;
  if (c.reason === Reasons.NewRSAvailable) return false;
  if (c.reason === Reasons.TimedOut) return true;
  return Date.parse(c.lastUpdateTime) + (specOf(d).progressDeadlineSeconds ?? 0) * 1000 < now;
}
