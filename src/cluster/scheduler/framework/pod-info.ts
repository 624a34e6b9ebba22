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

export class PodInfo {
  readonly requests: Resource;
  readonly nonZeroRequests: Resource;
  readonly hostPorts: HostPort[];
  readonly requiredAffinityTerms: AffinityTerm[];
  readonly requiredAntiAffinityTerms: AffinityTerm[];
  readonly preferredAffinityTerms: WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: WeightedAffinityTerm[];

  /**
   * `computedFrom`: a PodInfo of the same pod whose derived figures still hold (the same pod
   * assumed onto a node: only spec.nodeName differs).
   */
  constructor(readonly pod: Pod, computedFrom?: PodInfo) {
    if (computedFrom) {
      this.requests = computedFrom.requests;
      this.nonZeroRequests = computedFrom.nonZeroRequests;
      this.hostPorts = computedFrom.hostPorts;
      this.requiredAffinityTerms = computedFrom.requiredAffinityTerms;
      this.requiredAntiAffinityTerms = computedFrom.requiredAntiAffinityTerms;
      this.preferredAffinityTerms = computedFrom.preferredAffinityTerms;
      this.preferredAntiAffinityTerms = computedFrom.preferredAntiAffinityTerms;
      return;
    }
    this.requests = podRequests(pod);
    this.nonZeroRequests = podRequests(pod, true);
    this.hostPorts = hostPortsOf(pod);
    const affinity = pod.spec.affinity as Affinity | undefined;
    const ns = pod.metadata.namespace ?? 'default';
    this.requiredAffinityTerms = (affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(t, ns));
    this.requiredAntiAffinityTerms = (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(t, ns));
    this.preferredAffinityTerms = (affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => ({ ...compileTerm(w.podAffinityTerm, ns), weight: w.weight }));
    this.preferredAntiAffinityTerms = (affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => ({ ...compileTerm(w.podAffinityTerm, ns), weight: w.weight }));
  }

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
    return this.requiredAffinityTerms.length + this.requiredAntiAffinityTerms.length + this.preferredAffinityTerms.length + this.preferredAntiAffinityTerms.length > 0;
  }

  hasRequiredAntiAffinity(): boolean {
    return this.requiredAntiAffinityTerms.length > 0;
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
