/**
 * After apply, what happened to a pod lands on the field that caused it (issue 7):
 *  - FailedScheduling (PodScheduled=False, Unschedulable) → the requests, nodeSelector, affinity or
 *    tolerations its message names;
 *  - ErrImagePull / ImagePullBackOff / InvalidImageName → the container's image;
 *  - CrashLoopBackOff → the container's command (or args, or name);
 *  - OOMKilled → the container's limits.memory;
 *  - CreateContainerConfigError → the configMapRef / configMapKeyRef (or secret ref) it names.
 * Pod documents only: a workload's pods have other names. Warnings, since the manifest may be right
 * and the cluster short of room.
 */
import type { Document } from 'yaml';
import type { Container, ContainerStatus, Pod } from '../../cluster/api/types';
import type { ManifestDiagnostic } from '../../schema/explain/diagnostics';
import { documentKind } from '../../schema/explain/document-kind';
import { fieldRange } from '../../schema/explain/field-range';
import { parseText } from '../../schema/explain/parsed-text';
import { loadFieldIndex, type FieldIndex } from '../../schema/field-index';
import type { FieldPathSegment } from '../../schema/types';
import type { ClusterSnapshot } from './snapshot';

export function runtimeDiagnostics(text: string, snapshot: ClusterSnapshot, index: FieldIndex = loadFieldIndex()): ManifestDiagnostic[] {
  const out: ManifestDiagnostic[] = [];
  parseText(text).documents.forEach((doc, d) => {
    if (documentKind(index, doc)?.kind !== 'Pod') return;
    const manifest = doc.toJS() as Pod | null;
    const name = manifest?.metadata?.name;
    if (!manifest || !name) return;
    const namespace = manifest.metadata.namespace ?? 'default';
    const live = snapshot.pods.find((p) => p.metadata.name === name && (p.metadata.namespace ?? 'default') === namespace);
    if (live === undefined) return;
    podOutcomes(doc, d, manifest, live, out);
  });
  return out;
}

function podOutcomes(doc: Document, d: number, manifest: Pod, live: Pod, out: ManifestDiagnostic[]): void {
  const push = (path: FieldPathSegment[], message: string, fallback: FieldPathSegment[] = ['spec']) => {
    const exact = fieldRange(doc, path);
    const where = exact?.exact ? exact : fieldRange(doc, fallback) ?? exact;
    if (where) out.push({ range: where.range, severity: 'warning', code: 'runtime', message, document: d, fieldPath: pathText(path) });
  };
  const spec = manifest.spec ?? ({} as Pod['spec']);
  const scheduled = live.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    const message = `FailedScheduling: ${scheduled.message ?? ''}`;
    for (const path of schedulingCulprits(scheduled.message ?? '', spec)) push(path, message);
  }
  const statuses = [
    ...((live.status?.initContainerStatuses ?? []) as ContainerStatus[]).map((s) => ({ s, list: 'initContainers' as const })),
    ...((live.status?.containerStatuses ?? []) as ContainerStatus[]).map((s) => ({ s, list: 'containers' as const })),
  ];
  for (const { s, list } of statuses) {
    const containers = (spec[list] ?? []) as Container[];
    const i = containers.findIndex((c) => c.name === s.name);
    if (i < 0) continue;
    const at = (...rest: FieldPathSegment[]): FieldPathSegment[] => ['spec', list, i, ...rest];
    const waiting = s.state?.waiting;
    const reason = waiting?.reason ?? '';
    const text = `${reason}: ${waiting?.message ?? ''}`.replace(/: $/, '');
    if (reason === 'ErrImagePull' || reason === 'ImagePullBackOff' || reason === 'InvalidImageName' || reason === 'ErrImageNeverPull') {
      push(at('image'), text, at('name'));
    } else if (reason === 'CrashLoopBackOff') {
      const last = s.lastState?.terminated;
      const detail = last ? ` (last exit code ${last.exitCode}${last.reason ? `, ${last.reason}` : ''})` : '';
      const c = containers[i];
      const field = c.command ? 'command' : c.args ? 'args' : 'name';
      if (last?.reason !== 'OOMKilled') push(at(field), `${text}${detail}`, at('name'));
    } else if (reason === 'CreateContainerConfigError') {
      push(configRef(containers[i], waiting?.message ?? '', at), text, at('name'));
    }
    const terminated = s.state?.terminated ?? s.lastState?.terminated;
    if (terminated?.reason === 'OOMKilled') {
      push(at('resources', 'limits', 'memory'), `OOMKilled: the container used more memory than its limit (exit code ${terminated.exitCode})`, at('name'));
    }
  }
}

/** The fields a FailedScheduling message blames. */
function schedulingCulprits(message: string, spec: Pod['spec']): FieldPathSegment[][] {
  const out: FieldPathSegment[][] = [];
  const containers = spec.containers ?? [];
  for (const resource of ['cpu', 'memory']) {
    if (!message.includes(`Insufficient ${resource}`)) continue;
    const i = containers.findIndex((c) => c.resources?.requests?.[resource] !== undefined || c.resources?.limits?.[resource] !== undefined);
    const c = containers[i];
    if (c) out.push(['spec', 'containers', i, 'resources', c.resources?.requests?.[resource] !== undefined ? 'requests' : 'limits', resource]);
  }
  if (message.includes("didn't match Pod's node affinity/selector")) {
    if (spec.nodeSelector) out.push(['spec', 'nodeSelector']);
    if ((spec.affinity as { nodeAffinity?: unknown } | undefined)?.nodeAffinity) out.push(['spec', 'affinity', 'nodeAffinity']);
  }
  if (message.includes('untolerated taint')) out.push(spec.tolerations ? ['spec', 'tolerations'] : ['spec']);
  if (out.length === 0) out.push(['spec']);
  return out;
}

/** The env/envFrom reference the kubelet's message names (`configmap "x" not found`, `couldn't find key k in ConfigMap ns/x`). */
function configRef(c: Container, message: string, at: (...rest: FieldPathSegment[]) => FieldPathSegment[]): FieldPathSegment[] {
  const named = /(?:configmap|secret) "([^"]+)"/i.exec(message)?.[1] ?? /(?:ConfigMap|Secret) [^/\s]+\/(\S+)/.exec(message)?.[1];
  const env = (c.env ?? []) as { valueFrom?: { configMapKeyRef?: { name?: string }; secretKeyRef?: { name?: string } } }[];
  for (let e = 0; e < env.length; e++) {
    const from = env[e].valueFrom;
    if (from?.configMapKeyRef && (named === undefined || from.configMapKeyRef.name === named)) return at('env', e, 'valueFrom', 'configMapKeyRef');
    if (from?.secretKeyRef && (named === undefined || from.secretKeyRef.name === named)) return at('env', e, 'valueFrom', 'secretKeyRef');
  }
  const envFrom = (c.envFrom ?? []) as { configMapRef?: { name?: string }; secretRef?: { name?: string } }[];
  for (let e = 0; e < envFrom.length; e++) {
    if (envFrom[e].configMapRef && (named === undefined || envFrom[e].configMapRef!.name === named)) return at('envFrom', e, 'configMapRef');
    if (envFrom[e].secretRef && (named === undefined || envFrom[e].secretRef!.name === named)) return at('envFrom', e, 'secretRef');
  }
  return at('name');
}

function pathText(path: FieldPathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}
