/** Builders for scheduler tests: nodes, pods and NodeInfos in as few words as a table row needs. */
import type { Node, Pod, Taint, Toleration } from '../../../../src/cluster/api/types';
import type { Affinity, TopologySpreadConstraint } from '../../../../src/cluster/scheduler/framework/api';
import { CycleState } from '../../../../src/cluster/scheduler/framework/cycle-state';
import { NodeInfo } from '../../../../src/cluster/scheduler/framework/node-info';
import { PodInfo } from '../../../../src/cluster/scheduler/framework/pod-info';
import { Snapshot } from '../../../../src/cluster/scheduler/framework/snapshot';
import { Framework } from '../../../../src/cluster/scheduler/framework/runtime';
import { defaultPlugins } from '../../../../src/cluster/scheduler/plugins/registry';
import { seededRandom } from '../../../../src/cluster/scheduler/schedule-one';

export interface NodeSpec {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
  extra?: Record<string, string>;
}

export function node(name: string, spec: NodeSpec = {}): Node {
  const allocatable = { cpu: spec.cpu ?? '4', memory: spec.memory ?? '8Gi', pods: spec.pods ?? '110', 'ephemeral-storage': '100Gi', ...spec.extra };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...spec.labels } },
    spec: { ...(spec.taints ? { taints: spec.taints } : {}), ...(spec.unschedulable ? { unschedulable: true } : {}) },
    status: { capacity: allocatable, allocatable, ...(spec.images ? { images: spec.images } : {}) },
  };
}

export interface PodSpecLite {
  namespace?: string;
  cpu?: string;
  memory?: string;
  requests?: Record<string, string>;
  labels?: Record<string, string>;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  affinity?: Affinity;
  spread?: TopologySpreadConstraint[];
  hostPorts?: number[];
  priority?: number;
  image?: string;
  gates?: string[];
  owner?: string;
  nominatedNodeName?: string;
  preemptionPolicy?: 'Never' | 'PreemptLowerPriority';
}

let uid = 0;

export function pod(name: string, s: PodSpecLite = {}): Pod {
  const requests: Record<string, string> = { ...s.requests };
  if (s.cpu) requests.cpu = s.cpu;
  if (s.memory) requests.memory = s.memory;
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: s.namespace ?? 'default', uid: `uid-${name}-${++uid}`, creationTimestamp: '2026-01-01T00:00:00Z', ...(s.labels ? { labels: s.labels } : {}) },
    spec: {
      containers: [{
        name: 'c',
        image: s.image ?? 'nginx:1.27',
        ...(Object.keys(requests).length ? { resources: { requests } } : {}),
        ...(s.hostPorts ? { ports: s.hostPorts.map((h) => ({ containerPort: h, hostPort: h })) } : {}),
      }],
      schedulerName: 'default-scheduler',
    },
    status: { phase: 'Pending' },
  };
  if (s.nodeName) p.spec.nodeName = s.nodeName;
  if (s.nodeSelector) p.spec.nodeSelector = s.nodeSelector;
  if (s.tolerations) p.spec.tolerations = s.tolerations;
  if (s.affinity) p.spec.affinity = s.affinity as Record<string, unknown>;
  if (s.spread) p.spec.topologySpreadConstraints = s.spread;
  if (s.priority !== undefined) p.spec.priority = s.priority;
  if (s.gates) p.spec.schedulingGates = s.gates.map((g) => ({ name: g }));
  if (s.preemptionPolicy) p.spec.preemptionPolicy = s.preemptionPolicy;
  if (s.nominatedNodeName) p.status!.nominatedNodeName = s.nominatedNodeName;
  if (s.owner) p.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: s.owner, uid: `rs-${s.owner}`, controller: true }];
  return p;
}

/** A NodeInfo with the given pods already on it. */
export function nodeInfo(n: Node, pods: Pod[] = []): NodeInfo {
  const info = new NodeInfo(n);
  for (const p of pods) info.addPod(new PodInfo({ ...p, spec: { ...p.spec, nodeName: n.metadata.name! } }));
  return info;
}

export function snapshotOf(infos: NodeInfo[]): Snapshot {
  Snapshot.countImages(infos);
  return new Snapshot(infos);
}

/** A framework with the default plugins over the given snapshot. */
export function frameworkOver(snapshot: Snapshot): Framework {
  const fwk = new Framework((handle) => defaultPlugins(handle, { rand: seededRandom(1) }));
  fwk.setSnapshot(snapshot);
  return fwk;
}

export function newState(): CycleState {
  return new CycleState();
}

export const podInfo = (p: Pod): PodInfo => new PodInfo(p);
