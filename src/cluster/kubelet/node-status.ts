/**
 * The Node a kubelet registers and the status it reports: labels, capacity and allocatable,
 * addresses, nodeInfo (a Kube Sim runtime), and the four conditions with the kubelet's reasons
 * and messages. `lastHeartbeatTime` moves on every report; `lastTransitionTime` only on change.
 */
import type { Node, NodeCondition, Taint } from '../api/types';
import { rfc3339 } from '../client/event-recorder';

export const KUBELET_VERSION = 'v1.32.4';
export const CONTAINER_RUNTIME_VERSION = 'kube-sim://0.1.0';

/** One simulated node as configured (settings, `--nodes`, the UI's "add node"). */
export interface NodeConfig {
  name: string;
  /** CPU cores (a quantity), default `4`. */
  cpu?: string;
  /** Memory (a quantity), default `8Gi`. */
  memory?: string;
  /** Pod capacity, default 110. */
  pods?: number;
  ephemeralStorage?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  /** topology.kubernetes.io/zone (and region, from the zone's prefix `eu-west-1a` → `eu-west-1`). */
  zone?: string;
  region?: string;
}

export const DEFAULT_NODE: Required<Pick<NodeConfig, 'cpu' | 'memory' | 'pods' | 'ephemeralStorage'>> = {
  cpu: '4',
  memory: '8Gi',
  pods: 110,
  ephemeralStorage: '61255492Ki',
};

const BINARY: Record<string, number> = { Ki: 1, Mi: 1024, Gi: 1024 ** 2, Ti: 1024 ** 3 };

/** Memory as the kubelet reports it: kibibytes (`8388608Ki`). */
export function memoryInKi(quantity: string): string {
  const m = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(quantity);
  if (m) return `${Number(m[1]) * BINARY[m[2]!]!}Ki`;
  const d = /^(\d+)(k|M|G|T)?$/.exec(quantity);
  if (d) return `${Math.floor((Number(d[1]) * { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[(d[2] ?? "") as "" | "k" | "M" | "G" | "T"]) / 1024)}Ki`;
  return quantity;
}

export function nodeLabels(config: NodeConfig): Record<string, string> {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': config.name,
    'kubernetes.io/os': 'linux',
  };
  if (config.zone) {
    labels['topology.kubernetes.io/zone'] = config.zone;
    labels['topology.kubernetes.io/region'] = config.region ?? config.zone.replace(/[a-z]$/, '');
  }
  return { ...labels, ...config.labels };
}

export function nodeResources(config: NodeConfig): Record<string, string> {
  return {
    cpu: config.cpu ?? DEFAULT_NODE.cpu,
    'ephemeral-storage': config.ephemeralStorage ?? DEFAULT_NODE.ephemeralStorage,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: memoryInKi(config.memory ?? DEFAULT_NODE.memory),
    pods: String(config.pods ?? DEFAULT_NODE.pods),
  };
}

/**
 * The object the kubelet POSTs when it registers: no pod CIDR and no TTL annotation, which
 * kube-controller-manager adds (NodeIpamController).
 */
export function nodeObject(config: NodeConfig): Node {
  const spec: NonNullable<Node['spec']> = {};
  if (config.taints?.length) spec.taints = config.taints.map((t) => ({ ...t }));
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: config.name,
      labels: nodeLabels(config),
      annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec,
  };
}

/**
 * The first three octets of a node's pod CIDR, with the trailing dot: node N (1-based) gets the
 * N-th /24 from 10.244.0.0, as kube-controller-manager's range allocator hands out /24s of kind's
 * 10.244.0.0/16 (node-1 10.244.1.0/24 ... node-255 10.244.255.0/24). Beyond 255 nodes a /16 has no
 * room left (a real cluster would give CIDRNotAvailable): Kube Sim goes on to 10.245.0.0, and past
 * 10.255.255.0 wraps to 10.0.0.0, so that every node's pods have addresses of their own up to 27,000
 * nodes, below the service range 10.96.0.0/12.
 */
export function podNetworkPrefix(index: number): string {
  const network = podNetwork(index);
  return `10.${(network >>> 16) & 255}.${(network >>> 8) & 255}.`;
}

/** The network address of the node's pod CIDR (host number 0), packed as a CompactIP (pod-ip.ts). */
export function podNetwork(index: number): number {
  const block = index + 244 * 256;
  return (10 << 24) | (((block >>> 8) & 255) << 16) | ((block & 255) << 8);
}

export function podCIDR(index: number): string {
  return `${podNetworkPrefix(index)}0/24`;
}

export function internalIP(index: number): string {
  return `172.18.${Math.floor((index + 1) / 254)}.${((index + 1) % 254) + 1}`;
}

export interface ConditionState {
  ready: boolean;
  memoryPressure: boolean;
  diskPressure: boolean;
  pidPressure: boolean;
}

const CONDITION_TEXT = {
  MemoryPressure: [['KubeletHasSufficientMemory', 'kubelet has sufficient memory available'], ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available']],
  DiskPressure: [['KubeletHasNoDiskPressure', 'kubelet has no disk pressure'], ['KubeletHasDiskPressure', 'kubelet has disk pressure']],
  PIDPressure: [['KubeletHasSufficientPID', 'kubelet has sufficient PID available'], ['KubeletHasInsufficientPID', 'kubelet has insufficient PID available']],
} as const;

/** The kubelet's conditions; `previous` supplies lastTransitionTime for unchanged ones. */
export function nodeConditions(state: ConditionState, previous: NodeCondition[] | undefined, now: number): NodeCondition[] {
  const time = rfc3339(now);
  const before = new Map((previous ?? []).map((c) => [c.type, c]));
  const make = (type: string, status: 'True' | 'False', reason: string, message: string): NodeCondition => {
    const old = before.get(type);
    const lastTransitionTime = old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : time;
    return { type, status, lastHeartbeatTime: time, lastTransitionTime, reason, message };
  };
  const pressure = (type: keyof typeof CONDITION_TEXT, on: boolean) => {
    const [reason, message] = CONDITION_TEXT[type][on ? 1 : 0];
    return make(type, on ? 'True' : 'False', reason, message);
  };
  return [
    pressure('MemoryPressure', state.memoryPressure),
    pressure('DiskPressure', state.diskPressure),
    pressure('PIDPressure', state.pidPressure),
    state.ready ? make('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status') : make('Ready', 'False', 'KubeletNotReady', 'container runtime is down'),
  ];
}

export function nodeInfo(bootID: string, machineID: string): Record<string, string> {
  return {
    machineID,
    systemUUID: machineID.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5'),
    bootID,
    kernelVersion: '6.8.0-kube-sim',
    osImage: 'Kube Sim Node (simulated)',
    containerRuntimeVersion: CONTAINER_RUNTIME_VERSION,
    kubeletVersion: KUBELET_VERSION,
    kubeProxyVersion: KUBELET_VERSION,
    operatingSystem: 'linux',
    architecture: 'amd64',
  };
}

