/**
 * PodInfo: a pod with everything the plugins would otherwise recompute on every node: its
 * requests, its host ports, and its affinity terms compiled into predicates. Built once when a pod
 * enters the cache or the queue (kube-scheduler's framework.PodInfo).
 */
import type { Pod } from '../../api/types';
import type { Affinity, LabelSelector, PodAffinityTerm } from './api';
import { compileLabelSelector, type LabelPredicate, type Labels } from './selectors';
import { podRequests, Resource } from './resource';

export interface AffinityTerm {
  /** Namespaces listed in the term; empty together with no namespaceSelector means the pod's own. */
  namespaces: Set<string>;
  /** Compiled namespaceSelector; null when the term has none. */
  namespaceSelector: LabelPredicate | null;
  selector: LabelPredicate;
  topologyKey: string;
  /** The term as written, for explanations. */
  source: PodAffinityTerm;
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

export class PodInfo {
  private readonly needs: PodRequirements;

  /**
   * `computedFrom`: a PodInfo of the same pod whose derived figures still hold: the same pod
   * assumed onto a node (only spec.nodeName differs), or a newer version of a bound pod (the API
   * server lets no field they come from change once a pod is bound).
   */
  constructor(readonly pod: Pod, computedFrom?: PodInfo) {
    this.needs = computedFrom ? computedFrom.needs : PodRequirements.of(pod);
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

  private cachedKey: string | undefined;

  /** `namespace/name`, built once: the queue's heaps index pods by it on every swap. */
  get key(): string {
    return (this.cachedKey ??= `${this.pod.metadata.namespace ?? ''}/${this.pod.metadata.name ?? ''}`);
  }

  get uid(): string {
    return this.pod.metadata.uid ?? this.key;
  }

  get priority(): number {
    return this.pod.spec.priority ?? 0;
  }

  hasAffinity(): boolean {
    const n = this.needs;
    return n.requiredAffinityTerms.length + n.requiredAntiAffinityTerms.length + n.preferredAffinityTerms.length + n.preferredAntiAffinityTerms.length > 0;
  }

  hasRequiredAntiAffinity(): boolean {
    return this.needs.requiredAntiAffinityTerms.length > 0;
  }
}

function compileTerm(term: PodAffinityTerm, podNamespace: string): AffinityTerm {
  const namespaces = new Set(term.namespaces ?? []);
  const namespaceSelector = term.namespaceSelector ? compileLabelSelector(term.namespaceSelector as LabelSelector) : null;
  if (namespaces.size === 0 && !namespaceSelector) namespaces.add(podNamespace);
  return { namespaces, namespaceSelector, selector: compileLabelSelector(term.labelSelector), topologyKey: term.topologyKey, source: term };
}

/** Whether `pod` is selected by the term (namespace and labels). */
export function termMatches(term: AffinityTerm, pod: Pod, namespaceLabels: NamespaceLabels): boolean {
  const ns = pod.metadata.namespace ?? 'default';
  if (!term.namespaces.has(ns) && !(term.namespaceSelector && term.namespaceSelector(namespaceLabels(ns)))) return false;
  return term.selector(pod.metadata.labels);
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
