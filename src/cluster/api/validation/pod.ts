/**
 * Pod validation as pkg/apis/core/validation words it (ValidatePodSpec, ValidatePodUpdate,
 * ValidatePodStatusUpdate), in the same order, so a multi-error Status lists causes as
 * kube-apiserver lists them. Metadata is validated by the strategy before these run.
 */
import { FieldError, FieldPath, duplicate, forbidden, invalid, notSupported, required } from '../field-errors';
import type { Container, ContainerStatus, Pod, PodSpec, Toleration } from '../types';
import { validateContainers, validateInitContainers } from './container';
import { validateImmutableField, validateLabelName, validateLabels } from './meta';
import { inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain } from './names';
import { validateAffinity, validateSchedulingGates, validateTolerations, validateTopologySpreadConstraints } from './scheduling';
import { validateImagePullSecrets, validateVolumes } from './volumes';

const specPath = FieldPath.root('spec');
const MAX_INT32 = 2147483647;
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

function enumField(value: unknown, path: FieldPath, supported: string[]): FieldError[] {
  if (value === undefined || value === null || value === '') return [required(path.toString())];
  return supported.includes(String(value)) ? [] : [notSupported(path.toString(), value, supported)];
}

function subdomainField(value: unknown, path: FieldPath): FieldError[] {
  if (typeof value !== 'string' || !value) return [];
  return isDNS1123Subdomain(value).map((m) => invalid(path.toString(), value, m));
}

function labelField(value: unknown, path: FieldPath): FieldError[] {
  if (typeof value !== 'string' || !value) return [];
  return isDNS1123Label(value).map((m) => invalid(path.toString(), value, m));
}

export function validatePodSpec(spec: PodSpec, path: FieldPath = specPath): FieldError[] {
  const errs: FieldError[] = [];
  const { errs: volumeErrs, names: volumes } = validateVolumes(spec.volumes, path.child('volumes'));
  errs.push(...volumeErrs);
  errs.push(...validateContainers(spec.containers, volumes, path.child('containers')));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, volumes, path.child('initContainers')));
  if (spec.hostNetwork === true) {
    // A host-network pod's ports are the node's: hostPort and containerPort must agree.
    (spec.containers ?? []).forEach((c, ci) =>
      (c.ports ?? []).forEach((port, pi) => {
        if ((port.hostPort ?? 0) !== port.containerPort) {
          errs.push(invalid(path.child('containers').index(ci).child('ports').index(pi).child('containerPort').toString(), port.containerPort, 'must match `hostPort` when `hostNetwork` is true'));
        }
      }),
    );
  }
  errs.push(...enumField(spec.restartPolicy, path.child('restartPolicy'), RESTART_POLICIES));
  errs.push(...enumField(spec.dnsPolicy, path.child('dnsPolicy'), DNS_POLICIES));
  errs.push(...validateLabels(spec.nodeSelector, path.child('nodeSelector')));
  errs.push(...validateImagePullSecrets(spec.imagePullSecrets, path.child('imagePullSecrets')));
  errs.push(...validateAffinity(spec.affinity, path.child('affinity')));
  errs.push(...validateSchedulingGates(spec.schedulingGates, path.child('schedulingGates')));
  errs.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, path.child('topologySpreadConstraints')));
  errs.push(...subdomainField(spec.serviceAccountName, path.child('serviceAccountName')));
  errs.push(...subdomainField(spec.nodeName, path.child('nodeName')));
  const ads = spec.activeDeadlineSeconds;
  if (typeof ads === 'number' && (ads < 1 || ads > MAX_INT32)) errs.push(invalid(path.child('activeDeadlineSeconds').toString(), ads, inclusiveRangeError(1, MAX_INT32)));
  errs.push(...labelField(spec.hostname, path.child('hostname')));
  errs.push(...labelField(spec.subdomain, path.child('subdomain')));
  if (spec.tolerations?.length) errs.push(...validateTolerations(spec.tolerations, path.child('tolerations')));
  errs.push(...subdomainField(spec.priorityClassName, path.child('priorityClassName')));
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null && !PREEMPTION_POLICIES.includes(String(spec.preemptionPolicy))) {
    errs.push(notSupported(path.child('preemptionPolicy').toString(), spec.preemptionPolicy, PREEMPTION_POLICIES));
  }
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    // Negative values are accepted and treated as 1 by the kubelet; kube-apiserver allows them.
  }
  return errs;
}

/** ValidatePodCreate beyond the spec: ephemeral containers only through their subresource. */
export function validatePodCreate(pod: Pod): FieldError[] {
  const errs = validatePodSpec(pod.spec ?? ({} as PodSpec));
  const eph = pod.spec?.ephemeralContainers;
  if (Array.isArray(eph) && eph.length) errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  return errs;
}

/** The fields a pod update may change, as the Forbidden message lists them. */
export const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function containerUpdates(next: Container[] | undefined, prev: Container[] | undefined, path: FieldPath): { errs: FieldError[]; stop: boolean } {
  const a = next ?? [];
  const b = prev ?? [];
  if (a.length !== b.length) return { errs: [forbidden(path.toString(), 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  a.forEach((c, i) => {
    if (!c.image) errs.push(required(path.index(i).child('image').toString()));
    else if (c.image.trim().length !== c.image.length) errs.push(invalid(path.index(i).child('image').toString(), c.image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

const json = (v: unknown): string => JSON.stringify(v ?? null);

/** JSON with object keys sorted: Go compares structs, so the order a client wrote keys in never counts. */
const canonical = (v: unknown): string => JSON.stringify(v ?? null, (_k, value: unknown) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, (value as Record<string, unknown>)[k]]));
});

function onlyAddedTolerations(next: Toleration[] | undefined, prev: Toleration[] | undefined, path: FieldPath): FieldError[] {
  for (const old of prev ?? []) {
    const found = (next ?? []).some((t) => canonical({ ...old, tolerationSeconds: t.tolerationSeconds }) === canonical(t) || sameToleration(old, t));
    if (!found) return [forbidden(path.toString(), 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next, path);
}

function sameToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? '') === (b.key ?? '') && (a.operator ?? '') === (b.operator ?? '') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '');
}

function onlyDeletedSchedulingGates(next: PodSpec['schedulingGates'], prev: PodSpec['schedulingGates'], path: FieldPath): FieldError[] {
  const old = new Set((prev ?? []).map((g) => g.name));
  const errs: FieldError[] = [];
  (next ?? []).forEach((g, i) => {
    if (!old.has(g.name)) errs.push(forbidden(path.index(i).toString(), `only deletion is allowed, but found new scheduling gate '${g.name}'`));
  });
  return errs;
}

/** A go-cmp-like summary of what changed at the top level of the spec (kube-apiserver appends a full cmp.Diff). */
export function specDiff(prev: PodSpec, next: PodSpec): string {
  const keys = [...new Set([...Object.keys(prev), ...Object.keys(next)])].sort();
  const lines = ['  core.PodSpec{'];
  let identical = 0;
  const goName = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);
  for (const k of keys) {
    if (canonical(prev[k]) === canonical(next[k])) {
      identical++;
      continue;
    }
    if (identical) lines.push(`  \t... // ${identical} identical fields`);
    identical = 0;
    if (prev[k] !== undefined) lines.push(`- \t${goName(k)}: ${json(prev[k])},`);
    if (next[k] !== undefined) lines.push(`+ \t${goName(k)}: ${json(next[k])},`);
  }
  if (identical) lines.push(`  \t... // ${identical} identical fields`);
  lines.push('  }');
  return `${lines.join('\n')}\n`;
}

export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = validatePodSpec(pod.spec ?? ({} as PodSpec));
  const next = pod.spec ?? ({} as PodSpec);
  const prev = old.spec ?? ({} as PodSpec);
  const containers = containerUpdates(next.containers, prev.containers, specPath.child('containers'));
  errs.push(...containers.errs);
  if (containers.stop) return errs;
  const inits = containerUpdates(next.initContainers, prev.initContainers, specPath.child('initContainers'));
  errs.push(...inits.errs);
  if (inits.stop) return errs;

  const adsPath = specPath.child('activeDeadlineSeconds').toString();
  const newAds = next.activeDeadlineSeconds as number | undefined;
  const oldAds = prev.activeDeadlineSeconds as number | undefined;
  if (typeof newAds === 'number') {
    if (newAds < 0 || newAds > MAX_INT32) return [...errs, invalid(adsPath, newAds, inclusiveRangeError(0, MAX_INT32))];
    if (typeof oldAds === 'number' && oldAds < newAds) return [...errs, invalid(adsPath, newAds, 'must be less than or equal to previous value')];
  } else if (typeof oldAds === 'number') {
    errs.push(invalid(adsPath, null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...onlyAddedTolerations(next.tolerations, prev.tolerations, specPath.child('tolerations')));
  errs.push(...onlyDeletedSchedulingGates(next.schedulingGates, prev.schedulingGates, specPath.child('schedulingGates')));
  if (canonical(next) === canonical(prev)) return errs;

  // Put back what may change, then anything still different is forbidden.
  const munged: PodSpec = structuredClone(next);
  munged.containers = (munged.containers ?? []).map((c, i) => ({ ...c, image: prev.containers?.[i]?.image }) as Container);
  if (munged.initContainers) munged.initContainers = munged.initContainers.map((c, i) => ({ ...c, image: prev.initContainers?.[i]?.image }) as Container);
  restore(munged, prev, 'activeDeadlineSeconds');
  restore(munged, prev, 'schedulingGates');
  restore(munged, prev, 'tolerations');
  const oldGrace = prev.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = oldGrace;
  if ((prev.schedulingGates?.length ?? 0) > 0) {
    // A gated pod may gain nodeSelector entries and node affinity (not lose or change them).
    const oldSel = prev.nodeSelector ?? {};
    const newSel = munged.nodeSelector ?? {};
    const changed = Object.keys(oldSel).some((k) => newSel[k] !== oldSel[k]);
    if (changed) errs.push(invalid('spec.nodeSelector', newSel, 'only additions to spec.nodeSelector are allowed (no mutations or deletions)'));
    restore(munged, prev, 'nodeSelector');
    restore(munged, prev, 'affinity');
  }
  if (canonical(munged) !== canonical(prev)) {
    errs.push(forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${specDiff(prev, munged)}`));
  }
  return errs;
}

function restore(target: PodSpec, source: PodSpec, key: string): void {
  if (source[key] === undefined) delete target[key];
  else target[key] = structuredClone(source[key]);
}

function stateTransitions(next: ContainerStatus[] | undefined, prev: ContainerStatus[] | undefined, path: FieldPath, restartPolicy: string | undefined): FieldError[] {
  if (restartPolicy === 'Always') return [];
  const errs: FieldError[] = [];
  (prev ?? []).forEach((before, i) => {
    const terminated = before.state?.terminated;
    if (!terminated) return;
    // OnFailure pods may restart a container that failed.
    if (terminated.exitCode !== 0 && restartPolicy === 'OnFailure') return;
    for (const s of next ?? []) {
      if (s.name === before.name && !s.state?.terminated) errs.push(forbidden(path.index(i).child('state').toString(), 'may not be transitioned to non-terminated state'));
    }
  });
  return errs;
}

/** Pod condition types whose names validatePodConditions does not check. */
const SYSTEM_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized']);

/** ValidatePodStatusUpdate: the kubelet and scheduler's writes to pods/status. */
export function validatePodStatusUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const status = pod.status ?? {};
  // validatePodConditions: a condition's status is not checked, and a type other than the system
  // ones must be a qualified name, at kube-apiserver's own path for it (metadata.conditions[i].Type).
  (status.conditions ?? []).forEach((c, i) => {
    // A null item decodes as Go's zero condition: an empty type.
    const type = typeof c?.type === 'string' ? c.type : '';
    if (!SYSTEM_CONDITIONS.has(type)) errs.push(...validateLabelName(type, FieldPath.root('metadata').child('conditions').index(i).child('Type')));
  });
  if ((pod.spec?.nodeName ?? '') !== (old.spec?.nodeName ?? '')) errs.push(forbidden('status.nodeName', 'may not be changed directly'));
  errs.push(...validateImmutableField(status.qosClass, old.status?.qosClass, 'status.qosClass'));
  const nominated = status.nominatedNodeName ?? '';
  if (nominated && nominated !== (old.status?.nominatedNodeName ?? '')) errs.push(...subdomainField(nominated, FieldPath.root('status').child('nominatedNodeName')));
  const rp = old.spec?.restartPolicy;
  errs.push(...stateTransitions(status.containerStatuses, old.status?.containerStatuses, FieldPath.root('status').child('containerStatuses'), rp));
  errs.push(...stateTransitions(status.initContainerStatuses, old.status?.initContainerStatuses, FieldPath.root('status').child('initContainerStatuses'), rp));
  const ips = status.podIPs ?? [];
  if (ips.length && status.podIP && ips[0]!.ip !== status.podIP) errs.push(invalid('status.podIPs[0].ip', ips[0]!.ip, 'must be equal to podIP'));
  return errs;
}

/**
 * ValidatePodEphemeralContainersUpdate: ephemeral containers (kubectl debug) may only be added;
 * each needs a unique name and an image, and may not declare ports, probes or resources.
 */
export function validateEphemeralContainersUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const path = specPath.child('ephemeralContainers');
  const next = (pod.spec?.ephemeralContainers as Container[] | undefined) ?? [];
  const prev = (old.spec?.ephemeralContainers as Container[] | undefined) ?? [];
  const names = new Set([...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name));
  next.forEach((c, i) => {
    const p = path.index(i);
    if (!c.name) errs.push(required(p.child('name').toString()));
    else {
      for (const m of isDNS1123Label(c.name)) errs.push(invalid(p.child('name').toString(), c.name, m));
      if (names.has(c.name)) errs.push(duplicate(p.child('name').toString(), c.name));
      names.add(c.name);
    }
    if (!c.image) errs.push(required(p.child('image').toString()));
    for (const f of ['ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'resources']) {
      const v = c[f];
      const empty = v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && Object.keys(v as object).length === 0);
      if (!empty) errs.push(forbidden(p.child(f).toString(), 'cannot be set for an Ephemeral Container'));
    }
  });
  for (const before of prev) {
    const after = next.find((c) => c.name === before.name);
    if (!after) errs.push(forbidden(path.toString(), `existing ephemeral containers "${before.name}" may not be removed\n`));
    else if (canonical(after) !== canonical(before)) errs.push(forbidden(path.toString(), `existing ephemeral containers "${before.name}" may not be changed\n`));
  }
  return errs;
}
