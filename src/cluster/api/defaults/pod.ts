/**
 * Pod defaulting as kube-apiserver 1.32 applies it when it decodes a v1 Pod (pkg/apis/core/v1/
 * defaults.go), and the create-time status (pod strategy PrepareForCreate). Defaults are applied
 * on every write, so a PUT of what GET returned changes nothing.
 */
import { Quantity } from '../quantity';
import { canonicalizeResourceList } from './quantities';
import type { Container, Pod, PodSpec } from '../types';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_TERMINATION_MESSAGE_PATH = '/dev/termination-log';
/** Volume defaultMode 0644. */
export const DEFAULT_MODE = 0o644;

/** The tag an image reference names, as the kubelet's ParseImageName reads it (`latest` when none and no digest). */
export function imageTag(image: string): string {
  if (!image) return '';
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  if (colon >= 0) return withoutDigest.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

/** `Always` for `:latest` or an untagged image, otherwise `IfNotPresent`. */
export function defaultImagePullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  return imageTag(image ?? '') === 'latest' ? 'Always' : 'IfNotPresent';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function defaultProbe(probe: unknown): void {
  if (!isObj(probe)) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (isObj(probe.httpGet)) {
    probe.httpGet.path ??= '/';
    probe.httpGet.scheme ??= 'HTTP';
  }
  if (isObj(probe.grpc) && probe.grpc.service === undefined) probe.grpc.service = '';
}

function defaultLifecycleHandler(handler: unknown): void {
  if (isObj(handler) && isObj(handler.httpGet)) {
    handler.httpGet.path ??= '/';
    handler.httpGet.scheme ??= 'HTTP';
  }
}

function defaultEnv(container: Container): void {
  for (const env of (container.env as Obj[] | undefined) ?? []) {
    const from = env.valueFrom;
    if (isObj(from) && isObj(from.fieldRef)) from.fieldRef.apiVersion ??= 'v1';
  }
}

/** SetDefaults_Container, SetDefaults_ContainerPort, probes and lifecycle handlers. */
export function defaultContainer(container: Container, hostNetwork: boolean, inPod = true): void {
  if (!container.imagePullPolicy) container.imagePullPolicy = defaultImagePullPolicy(container.image);
  container.terminationMessagePath ??= DEFAULT_TERMINATION_MESSAGE_PATH;
  container.terminationMessagePolicy ??= 'File';
  // Go always writes the ResourceRequirements struct, so every stored container has `resources: {}`
  // (and kubectl-created pods own f:resources).
  if (container.resources === undefined || container.resources === null) container.resources = {};
  for (const port of container.ports ?? []) {
    if (!port.protocol) port.protocol = 'TCP';
    if (inPod && hostNetwork && !port.hostPort) port.hostPort = port.containerPort;
  }
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
  if (isObj(container.lifecycle)) {
    defaultLifecycleHandler(container.lifecycle.postStart);
    defaultLifecycleHandler(container.lifecycle.preStop);
  }
  defaultEnv(container);
  canonicalizeResources(container);
  // SetDefaults_Pod: a limit without a request requests the limit.
  const resources = container.resources;
  if (inPod && resources?.limits && Object.keys(resources.limits).length) {
    resources.requests ??= {};
    for (const [name, value] of Object.entries(resources.limits)) if (!(name in resources.requests)) resources.requests[name] = value;
  }
}

function canonicalizeResources(container: Container): void {
  const resources = container.resources;
  if (!isObj(resources)) return;
  canonicalizeResourceList(resources.limits, 'Pod');
  canonicalizeResourceList(resources.requests, 'Pod');
}

function defaultVolume(volume: Obj): void {
  const sources = Object.keys(volume).filter((k) => k !== 'name');
  if (sources.length === 0) volume.emptyDir = {};
  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const source = volume[key];
    if (isObj(source)) source.defaultMode ??= DEFAULT_MODE;
  }
  const projected = volume.projected;
  if (isObj(projected)) {
    for (const s of (projected.sources as Obj[] | undefined) ?? []) {
      if (isObj(s.serviceAccountToken)) s.serviceAccountToken.expirationSeconds ??= 3607;
    }
  }
  if (isObj(volume.hostPath)) volume.hostPath.type ??= '';
  if (isObj(volume.iscsi)) volume.iscsi.iscsiInterface ??= 'default';
}

/**
 * SetDefaults_PodSpec and, for a pod (`inPod`), SetDefaults_Pod: a pod template (a Deployment's)
 * gets no enableServiceLinks, no host ports for host-network ports and no requests from limits.
 */
export function defaultPodSpec(spec: PodSpec, inPod = true): void {
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (spec.securityContext === undefined || spec.securityContext === null) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) {
    spec.terminationGracePeriodSeconds = DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  }
  if (!spec.schedulerName) spec.schedulerName = DEFAULT_SCHEDULER_NAME;
  if (inPod && (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null)) spec.enableServiceLinks = true;
  // v1 conversion: the deprecated serviceAccount mirrors serviceAccountName (and fills it when only it is given).
  if (!spec.serviceAccountName && typeof spec.serviceAccount === 'string' && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  const hostNetwork = spec.hostNetwork === true;
  for (const c of spec.initContainers ?? []) defaultContainer(c, hostNetwork, inPod);
  for (const c of spec.containers ?? []) defaultContainer(c, hostNetwork, inPod);
  for (const c of (spec.ephemeralContainers as Container[] | undefined) ?? []) defaultContainer(c, hostNetwork, inPod);
  for (const v of (spec.volumes as Obj[] | undefined) ?? []) if (isObj(v)) defaultVolume(v);
}

export function defaultPod(pod: Pod): void {
  if (isObj(pod.status)) goEncodedConditions(pod.status);
  if (!isObj(pod.spec)) return;
  defaultPodSpec(pod.spec);
}

/** PodCondition's fields in Go's struct order: the order kube-apiserver writes them. */
const CONDITION_FIELDS = ['type', 'status', 'lastProbeTime', 'lastTransitionTime', 'reason', 'message'];

/**
 * Conditions as kube-apiserver stores them after decoding into Go structs: lastProbeTime and
 * lastTransitionTime are struct-typed (metav1.Time), which encoding/json never omits, so a condition
 * without them is stored with `null` (a strategic merge patch's `"lastProbeTime": null` deletes the
 * key, the Go round trip brings it back), in the struct's field order. This runs before the field
 * manager, as the decode does, so the writer also owns f:lastProbeTime as it does on a real cluster.
 */
export function goEncodedConditions(status: NonNullable<Pod['status']>): void {
  const conditions = status.conditions as unknown;
  if (!Array.isArray(conditions)) return;
  for (let i = 0; i < conditions.length; i++) {
    const c = conditions[i] as Record<string, unknown>;
    if (!isObj(c) || ('lastProbeTime' in c && 'lastTransitionTime' in c && inGoOrder(c))) continue;
    const encoded: Record<string, unknown> = {};
    for (const field of CONDITION_FIELDS) {
      if (field in c) encoded[field] = c[field];
      else if (field === 'lastProbeTime' || field === 'lastTransitionTime') encoded[field] = null;
    }
    for (const field of Object.keys(c)) if (!(field in encoded)) encoded[field] = c[field];
    conditions[i] = encoded;
  }
}

/** Whether the condition's keys already follow CONDITION_FIELDS (what the kubelet writes): no copy needed. */
function inGoOrder(condition: Record<string, unknown>): boolean {
  let at = 0;
  for (const key in condition) {
    const i = CONDITION_FIELDS.indexOf(key, at);
    if (i < 0) return false;
    at = i + 1;
  }
  return true;
}

type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** The pod's QoS class from its containers' cpu and memory requests and limits (qos.GetPodQOS). */
export function podQOSClass(spec: PodSpec): QOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const tracked = (name: string) => name === 'cpu' || name === 'memory';
  for (const c of containers) {
    for (const [name, text] of Object.entries(c.resources?.requests ?? {})) {
      const q = Quantity.tryParse(text);
      if (!tracked(name) || !q || q.isZero()) continue;
      requests.set(name, requests.has(name) ? requests.get(name)!.add(q) : q);
    }
    const found = new Set<string>();
    for (const [name, text] of Object.entries(c.resources?.limits ?? {})) {
      const q = Quantity.tryParse(text);
      if (!tracked(name) || !q || q.isZero()) continue;
      found.add(name);
      limits.set(name, limits.has(name) ? limits.get(name)!.add(q) : q);
    }
    if (!(found.has('cpu') && found.has('memory'))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, q] of requests) if (!limits.get(name)?.equals(q)) guaranteed = false;
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/**
 * The status a new pod starts with: Pending, its QoS class and, when it has scheduling gates,
 * PodScheduled=False with reason SchedulingGated.
 */
export function initialPodStatus(pod: Pod, nowIso: string): Pod['status'] {
  const status: NonNullable<Pod['status']> = { phase: 'Pending', qosClass: podQOSClass(pod.spec) };
  if (pod.spec.schedulingGates?.length) {
    status.conditions = [
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: nowIso,
        reason: 'SchedulingGated',
        message: 'Scheduling is blocked due to non-empty scheduling gates',
      },
    ];
  }
  return status;
}

/**
 * MatchLabelKeysInPodAffinity (beta, on in 1.32): on create, each pod (anti-)affinity term's
 * matchLabelKeys / mismatchLabelKeys become `key In (value)` / `key NotIn (value)` requirements of
 * its labelSelector, with the values taken from the pod's own labels.
 */
export function applyMatchLabelKeysToAffinity(pod: Pod): void {
  const affinity = pod.spec?.affinity;
  if (!isObj(affinity)) return;
  const labels = pod.metadata.labels ?? {};
  const merge = (term: unknown) => {
    if (!isObj(term) || !isObj(term.labelSelector)) return;
    const selector = term.labelSelector;
    const add = (keys: unknown, operator: string) => {
      if (!Array.isArray(keys)) return;
      for (const key of keys) {
        if (typeof key !== 'string' || !(key in labels)) continue;
        const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
        selector.matchExpressions = [...exprs, { key, operator, values: [labels[key]] }];
      }
    };
    add(term.matchLabelKeys, 'In');
    add(term.mismatchLabelKeys, 'NotIn');
  };
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pa = affinity[kind];
    if (!isObj(pa)) continue;
    for (const t of (pa.requiredDuringSchedulingIgnoredDuringExecution as unknown[] | undefined) ?? []) merge(t);
    for (const t of (pa.preferredDuringSchedulingIgnoredDuringExecution as Obj[] | undefined) ?? []) merge(isObj(t) ? t.podAffinityTerm : undefined);
  }
}
