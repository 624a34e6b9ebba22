/**
 * PodInfo: a pod with everything the plugins would otherwise recompute on every node: its
 * requests, its host ports, and its affinity terms compiled into predicates. Built once when a pod
 * enters the cache or the queue (kube-scheduler's framework.PodInfo).
 */
import type { Pod } from '../../api/types';
import type { Affinity, LabelSelector, PodAffinityTerm } from './api';
import { compileLabelSelector, type LabelPredicate, type Labels } from './selectors';
import { podRequests, Resource } from './resource';
import { StringPool } from '../../api/string-pool';
import { handleOf } from '../../apiserver/registry/handle';
import { flatText } from '../../apiserver/registry/codec';

export interface AffinityTerm {
  /** Namespaces listed in the term; empty together with no namespaceSelector means the pod's own. */
  namespaces: Set<string>;
  /** Compiled namespaceSelector; null when the term has none. */
  namespaceSelector: LabelPredicate | null;
  selector: LabelPredicate;
  topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

export interface HostPort {
  hostIP: string;
  protocol: string;
  port: number;
}

export type NamespaceLabels = (namespace: string) => Labels;

const NONE: readonly never[] = Object.freeze([]);

/**
 * What a pod asks of a node, derived from its spec: requests, host ports, affinity terms. Read-only
 * once made and shared: by the PodInfos of one pod (queued, assumed, bound, each status update of a
 * bound pod), and between pods that ask for the same without ports or affinity terms (a
 * Deployment's replicas), so that a cache of 150,000 pods holds a handful of these.
 */
class PodRequirements {
  constructor(
    readonly requests: Resource,
    readonly nonZeroRequests: Resource,
    readonly hostPorts: readonly HostPort[],
    readonly requiredAffinityTerms: readonly AffinityTerm[],
    readonly requiredAntiAffinityTerms: readonly AffinityTerm[],
    readonly preferredAffinityTerms: readonly WeightedAffinityTerm[],
    readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[],
  ) {}

  static of(pod: Pod): PodRequirements {
    const requests = podRequests(pod);
    const nonZeroRequests = podRequests(pod, true);
    const hostPorts = hostPortsOf(pod);
    const affinity = pod.spec.affinity as Affinity | undefined;
    if (hostPorts.length === 0 && !affinity?.podAffinity && !affinity?.podAntiAffinity) return plain(requests, nonZeroRequests);
    const ns = pod.metadata.namespace ?? 'default';
    return new PodRequirements(
      requests, nonZeroRequests, hostPorts.length > 0 ? hostPorts : NONE,
      terms(affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution, (t) => compileTerm(t, ns)),
      terms(affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution, (t) => compileTerm(t, ns)),
      terms(affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, (w) => ({ ...compileTerm(w.podAffinityTerm, ns), weight: w.weight })),
      terms(affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, (w) => ({ ...compileTerm(w.podAffinityTerm, ns), weight: w.weight })),
    );
  }
}

function terms<T, U>(list: T[] | undefined, compile: (t: T) => U): readonly U[] {
  return list && list.length > 0 ? list.map(compile) : NONE;
}

/** Requirements without ports or affinity terms, by their requests (see PodRequirements). */
const plainRequirements = new Map<string, PodRequirements>();
const MAX_PLAIN_REQUIREMENTS = 10_000;

function plain(requests: Resource, nonZeroRequests: Resource): PodRequirements {
  if (requests.scalar.size > 0) return new PodRequirements(requests, nonZeroRequests, NONE, NONE, NONE, NONE, NONE);
  const key = `${requests.milliCPU}/${requests.memory}/${requests.ephemeralStorage}/${requests.allowedPodNumber}/${nonZeroRequests.milliCPU}/${nonZeroRequests.memory}`;
  let r = plainRequirements.get(key);
  if (!r) {
    // Bounded: past that many different requests, start over (the ones in use stay where they are).
    if (plainRequirements.size >= MAX_PLAIN_REQUIREMENTS) plainRequirements.clear();
    r = new PodRequirements(requests, nonZeroRequests, NONE, NONE, NONE, NONE, NONE);
    plainRequirements.set(key, r);
  }
  return r;
}

/** `namespace/name`, as the queue and the informers key pods. */
function keyOf(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

const NOT_TERMINATING = 0;
const TERMINATING = 1;
/** Terminating because the scheduler preempted it (DisruptionTarget with PreemptionByScheduler). */
const TERMINATING_BY_PREEMPTION = 2;

/** The DisruptionTarget reason of preemption victims (default-preemption.ts re-exports it). */
export const PREEMPTION_REASON = 'PreemptionByScheduler';

/**
 * What the scheduler knows of a pod without holding its object: identity, labels, priority, node,
 * whether it is terminating, when it started, and its PodRequirements. The scheduler cache keeps
 * one of these per pod bound or assumed, and nothing else of the pod, so that a bound pod's
 * decoded object can be dropped once the informers let go of it (150,000 pods × ~5 KB).
 * Whatever needs the whole pod (preemption's writes and events) reads it from the pod informer by
 * `key` and checks `uid`.
 *
 * Every field is read-only and derived from fields a pod update replaces wholesale: a newer
 * version of the pod gets a new PodFacts (sharing `needs` and, when unchanged, `labels`).
 */
export class PodFacts {
  protected readonly needs: PodRequirements;
  /** metadata.namespace, 'default' when unset (the namespace affinity terms and spread count in). */
  readonly namespace: string;
  /**
   * `namespace/name`: the pod informers' own cache key string when the pod came from one (see
   * Informer's cacheKey: one string for every informer of the object), so that 150,000 facts keep
   * no name string of their own.
   */
  private readonly podKey: string;
  /** metadata.uid, or the key for objects without one (tests). */
  readonly uid: string;
  /** metadata.labels: read-only, shared by the pods that carry the same labels. */
  readonly labels: Labels;
  /** spec.priority, 0 when unset. */
  readonly priority: number;
  /** The node the pod is bound or assumed to ('' for a pod in the queue). */
  readonly nodeName: string;
  private readonly state: number;
  /**
   * status.startTime (metadata.creationTimestamp before it starts) in seconds: API timestamps are
   * whole seconds, which V8 keeps in the field itself, where milliseconds since 1970 (past 2^31)
   * would take a boxed number of 16 bytes more per pod.
   */
  private readonly startSeconds: number;

  /**
   * `computedFrom`: facts of the same pod whose derived figures still hold: the same pod assumed
   * onto a node (only spec.nodeName differs), or a newer version of a bound pod (the API server
   * lets no field they come from change once a pod is bound). `nodeName`: the node's name as the
   * cache already holds it, so that 150,000 pods do not keep 150,000 copies of a few node names.
   */
  constructor(pod: Pod, computedFrom?: PodFacts, nodeName?: string) {
    const m = pod.metadata;
    this.needs = computedFrom ? computedFrom.needs : PodRequirements.of(pod);
    this.namespace = namespaceOf(m.namespace);
    // A newer version of the pod keeps the strings of the first: the cache's maps hold those as
    // keys, and each decoded version brings copies of its own.
    const key = `${this.namespace}/${m.name ?? ''}`;
    const uid = m.uid ?? keyOf(m.namespace, m.name);
    this.podKey = computedFrom?.podKey === key ? computedFrom.podKey : (m.namespace ? informerKeyOf(pod, key) : flatText(key));
    this.uid = computedFrom?.uid === uid ? computedFrom.uid : uid;
    this.labels = computedFrom && sameLabels(computedFrom.labels, m.labels) ? computedFrom.labels : sharedLabels(m.labels);
    this.priority = pod.spec.priority ?? 0;
    this.nodeName = nodeName ?? pod.spec.nodeName ?? '';
    this.state = stateOf(pod);
    this.startSeconds = startSecondsOf(pod);
  }

  /**
   * Whether `pod`, a newer version of the pod these facts were made from (the same uid), gives the
   * same facts: a kubelet's status write changes none of them once the pod has started, and the
   * cache then keeps these rather than moving the pod off its node and back.
   */
  stillDescribes(pod: Pod): boolean {
    const m = pod.metadata;
    return m.uid === this.uid && (pod.spec.nodeName ?? '') === this.nodeName && (pod.spec.priority ?? 0) === this.priority
      && stateOf(pod) === this.state && startSecondsOf(pod) === this.startSeconds && sameLabels(this.labels, m.labels);
  }

  /** status.startTime (metadata.creationTimestamp before it starts) in ms; 0 without either. */
  get startTime(): number {
    return this.startSeconds * 1000;
  }

  /** The pod's requests (read-only: shared with other pods). */
  get requests(): Resource { return this.needs.requests; }
  /** Same, with the scoring defaults for containers that request no CPU or memory (read-only). */
  get nonZeroRequests(): Resource { return this.needs.nonZeroRequests; }
  get hostPorts(): readonly HostPort[] { return this.needs.hostPorts; }
  get requiredAffinityTerms(): readonly AffinityTerm[] { return this.needs.requiredAffinityTerms; }
  get requiredAntiAffinityTerms(): readonly AffinityTerm[] { return this.needs.requiredAntiAffinityTerms; }
  get preferredAffinityTerms(): readonly WeightedAffinityTerm[] { return this.needs.preferredAffinityTerms; }
  get preferredAntiAffinityTerms(): readonly WeightedAffinityTerm[] { return this.needs.preferredAntiAffinityTerms; }

  /** `namespace/name` (the pod informer's key). */
  get key(): string {
    return this.podKey;
  }

  /** metadata.name. */
  get name(): string {
    return this.podKey.slice(this.namespace.length + 1);
  }

  /** metadata.deletionTimestamp is set. */
  get terminating(): boolean {
    return this.state !== NOT_TERMINATING;
  }

  /** Terminating with the DisruptionTarget condition preemption writes on its victims. */
  get terminatingByPreemption(): boolean {
    return this.state === TERMINATING_BY_PREEMPTION;
  }

  hasAffinity(): boolean {
    const n = this.needs;
    return n.requiredAffinityTerms.length + n.requiredAntiAffinityTerms.length + n.preferredAffinityTerms.length + n.preferredAntiAffinityTerms.length > 0;
  }

  hasRequiredAntiAffinity(): boolean {
    return this.needs.requiredAntiAffinityTerms.length > 0;
  }
}

/**
 * A pod being scheduled (in the queue, nominated, or asked about in a dry run): its facts and the
 * pod itself, which the plugins read for what a bound pod's facts leave out (tolerations, node
 * affinity, spread constraints, images).
 */
export class PodInfo extends PodFacts {
  constructor(readonly pod: Pod, computedFrom?: PodFacts) {
    super(pod, computedFrom);
  }

  private cachedKey: string | undefined;

  /** `namespace/name`, built once: the queue's heaps index pods by it on every swap. */
  override get key(): string {
    return (this.cachedKey ??= keyOf(this.pod.metadata.namespace, this.pod.metadata.name));
  }
}

function stateOf(pod: Pod): number {
  if (!pod.metadata.deletionTimestamp) return NOT_TERMINATING;
  return (pod.status?.conditions ?? []).some((c) => c.type === 'DisruptionTarget' && c.reason === PREEMPTION_REASON) ? TERMINATING_BY_PREEMPTION : TERMINATING;
}

/** See PodFacts.startSeconds. */
function startSecondsOf(pod: Pod): number {
  const t = pod.status?.startTime ?? pod.metadata.creationTimestamp;
  return t ? Date.parse(t) / 1000 : 0;
}

/** `key` (`namespace/name`), as the pod's informers hold it when they do (equal text, else `key` itself). */
function informerKeyOf(pod: Pod, key: string): string {
  const held = handleOf(pod)?.cacheKey;
  return held === key ? held : flatText(key);
}

/** One string per namespace name for every fact of the cache. */
const namespaces = new StringPool(10_000);

function namespaceOf(namespace: string | undefined): string {
  return namespaces.intern(namespace ?? 'default');
}

const NO_LABELS: Labels = Object.freeze({}) as Labels;
/** Label sets by their text: a workload's pods carry the same labels (pod-template-hash included). */
const labelSets = new Map<string, Labels>();
const MAX_LABEL_SETS = 10_000;

function sharedLabels(labels: Labels): Labels {
  if (!labels) return undefined;
  const text = JSON.stringify(labels);
  if (text === '{}') return NO_LABELS;
  let shared = labelSets.get(text);
  if (shared === undefined) {
    // Bounded as plainRequirements: past that many sets start over; sets in use stay with their pods.
    if (labelSets.size >= MAX_LABEL_SETS) labelSets.clear();
    shared = { ...labels };
    labelSets.set(text, shared);
  }
  return shared;
}

function sameLabels(x: Labels, y: Labels): boolean {
  if (x === y) return true;
  if (x === undefined || y === undefined) return false;
  let n = 0;
  for (const k in y) {
    if (x[k] !== y[k]) return false;
    n++;
  }
  return n === Object.keys(x).length;
}

function compileTerm(term: PodAffinityTerm, podNamespace: string): AffinityTerm {
  const namespaces = new Set(term.namespaces ?? []);
  const namespaceSelector = term.namespaceSelector ? compileLabelSelector(term.namespaceSelector as LabelSelector) : null;
  if (namespaces.size === 0 && !namespaceSelector) namespaces.add(podNamespace);
  return { namespaces, namespaceSelector, selector: compileLabelSelector(term.labelSelector), topologyKey: term.topologyKey };
}

/** Whether `pod` is selected by the term (namespace and labels). */
export function termMatches(term: AffinityTerm, pod: PodFacts, namespaceLabels: NamespaceLabels): boolean {
  const ns = pod.namespace;
  if (!term.namespaces.has(ns) && !(term.namespaceSelector && term.namespaceSelector(namespaceLabels(ns)))) return false;
  return term.selector(pod.labels);
}

function hostPortsOf(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec.initContainers ?? []).filter((i) => i.restartPolicy === 'Always'), ...(pod.spec.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ hostIP: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}
