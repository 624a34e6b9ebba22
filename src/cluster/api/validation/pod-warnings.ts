/**
 * The warnings kube-apiserver returns when a pod is created (pod strategy WarningsOnCreate and
 * pkg/api/pod/warnings.go): kubectl prints each as `Warning: <text>`. Creation only: kube-apiserver
 * skips pod warnings on update.
 */
import { Quantity } from '../quantity';
import type { Container, Pod } from '../types';
import { isDNS1123Label } from './names';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const DEPRECATED_NODE_LABELS: Record<string, string> = {
  'beta.kubernetes.io/arch': 'deprecated since v1.14; use "kubernetes.io/arch" instead',
  'beta.kubernetes.io/os': 'deprecated since v1.14; use "kubernetes.io/os" instead',
  'failure-domain.beta.kubernetes.io/region': 'deprecated since v1.17; use "topology.kubernetes.io/region" instead',
  'failure-domain.beta.kubernetes.io/zone': 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
  'beta.kubernetes.io/instance-type': 'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
};

const DEPRECATED_ANNOTATIONS: Record<string, string> = {
  'scheduler.alpha.kubernetes.io/critical-pod': 'non-functional in v1.16+; use the "priorityClassName" field instead',
  'security.alpha.kubernetes.io/sysctls': 'non-functional in v1.11+; use the "sysctls" field instead',
  'security.alpha.kubernetes.io/unsafe-sysctls': 'non-functional in v1.11+; use the "sysctls" field instead',
};

/** [v1 field, field name in the warning (the Go field's path name), message] */
const DEPRECATED_VOLUMES: [string, string, string][] = [
  ['photonPersistentDisk', 'photonPersistentDisk', 'deprecated in v1.11, non-functional in v1.16+'],
  ['gitRepo', 'gitRepo', 'deprecated in v1.11'],
  ['scaleIO', 'scaleIO', 'deprecated in v1.16, non-functional in v1.22+'],
  ['flocker', 'flocker', 'deprecated in v1.22, non-functional in v1.25+'],
  ['storageos', 'storageOS', 'deprecated in v1.22, non-functional in v1.25+'],
  ['quobyte', 'quobyte', 'deprecated in v1.22, non-functional in v1.25+'],
  ['glusterfs', 'glusterfs', 'deprecated in v1.25, non-functional in v1.26+'],
  ['cephfs', 'cephfs', 'deprecated in v1.28, non-functional in v1.31+'],
  ['rbd', 'rbd', 'deprecated in v1.28, non-functional in v1.31+'],
];

function nodeSelectorTermWarnings(term: unknown, path: string): string[] {
  if (!isObj(term) || !Array.isArray(term.matchExpressions)) return [];
  const out: string[] = [];
  term.matchExpressions.forEach((e: Obj, i) => {
    const key = String(e?.key ?? '');
    const msg = DEPRECATED_NODE_LABELS[key];
    if (msg) out.push(`${path}.matchExpressions[${i}].key: ${key} is ${msg}`);
  });
  return out;
}

function fractional(resources: Container['resources'], path: string): string[] {
  const out: string[] = [];
  for (const kind of ['limits', 'requests'] as const) {
    for (const name of ['memory', 'ephemeral-storage']) {
      const text = resources?.[kind]?.[name];
      const q = text === undefined ? undefined : Quantity.tryParse(text);
      if (q && q.milliValue() % 1000 !== 0) out.push(`${path}.resources.${kind}[${name}]: fractional byte value ${JSON.stringify(q.toString())} is invalid, must be an integer`);
    }
  }
  return out;
}

function envWarnings(c: Container, path: string): string[] {
  const env = (c.env as { name?: string; value?: string; valueFrom?: unknown }[] | undefined) ?? [];
  const out: string[] = [];
  const seen = new Set<string>();
  env.forEach((item, i) => {
    const name = item.name ?? '';
    if (!seen.has(name)) {
      seen.add(name);
      return;
    }
    const ref = `$(${name})`;
    const value = item.value ?? '';
    if (item.valueFrom || value === ref || !value.includes(ref)) {
      out.push(`${path}.env[${i}]: hides previous definition of ${JSON.stringify(name)}, which may be dropped when using apply`);
    }
  });
  return out;
}

interface PortBlock { path: string; hostIP: string; hostPort: number }

export function podWarningsOnCreate(pod: Pod): string[] {
  const warnings: string[] = [];
  const name = pod.metadata.name ?? '';
  const nameMsgs = isDNS1123Label(name);
  if (nameMsgs.length) {
    warnings.push(`metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [${nameMsgs.join(' ')}]`);
  }
  const spec = pod.spec ?? ({} as Pod['spec']);
  for (const key of Object.keys(spec.nodeSelector ?? {})) {
    const msg = DEPRECATED_NODE_LABELS[key];
    if (msg) warnings.push(`spec.nodeSelector[${key}]: ${msg}`);
  }
  const affinity = isObj(spec.affinity) ? spec.affinity : {};
  const na = isObj(affinity.nodeAffinity) ? affinity.nodeAffinity : undefined;
  if (na) {
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (isObj(req) && Array.isArray(req.nodeSelectorTerms)) {
      req.nodeSelectorTerms.forEach((t, i) =>
        warnings.push(...nodeSelectorTermWarnings(t, `spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`)),
      );
    }
    const preferred = na.preferredDuringSchedulingIgnoredDuringExecution;
    if (Array.isArray(preferred)) {
      preferred.forEach((t: Obj, i) =>
        warnings.push(...nodeSelectorTermWarnings(t?.preference, `spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}].preference`)),
      );
    }
  }
  const tsc = Array.isArray(spec.topologySpreadConstraints) ? (spec.topologySpreadConstraints as Obj[]) : [];
  tsc.forEach((t, i) => {
    const key = String(t?.topologyKey ?? '');
    const msg = DEPRECATED_NODE_LABELS[key];
    if (msg) warnings.push(`spec.topologySpreadConstraints[${i}].topologyKey: ${key} is ${msg}`);
    if (t?.labelSelector === undefined || t?.labelSelector === null) {
      warnings.push(`spec.topologySpreadConstraints[${i}].labelSelector: a null labelSelector results in matching no pod`);
    }
  });
  for (const [key, msg] of Object.entries(DEPRECATED_ANNOTATIONS)) {
    if (pod.metadata.annotations?.[key] !== undefined) warnings.push(`metadata.annotations[${key}]: ${msg}`);
  }
  const volumes = Array.isArray(spec.volumes) ? (spec.volumes as Obj[]) : [];
  volumes.forEach((v, i) => {
    for (const [source, shown, msg] of DEPRECATED_VOLUMES) if (v?.[source]) warnings.push(`spec.volumes[${i}].${shown}: ${msg}`);
  });
  const pullSecrets = Array.isArray(spec.imagePullSecrets) ? (spec.imagePullSecrets as { name?: string }[]) : [];
  const secretNames = new Set<string>();
  pullSecrets.forEach((s, i) => {
    const n = s?.name ?? '';
    if (pullSecrets.length > 1) {
      if (secretNames.has(n)) warnings.push(`spec.imagePullSecrets[${i}].name: duplicate name ${JSON.stringify(n)}`);
      else secretNames.add(n);
    }
  });
  pullSecrets.forEach((s, i) => {
    if (!s?.name) warnings.push(`spec.imagePullSecrets[${i}].name: invalid empty name ""`);
  });
  const groups: [string, Container[]][] = [
    ['spec.initContainers', spec.initContainers ?? []],
    ['spec.containers', spec.containers ?? []],
    ['spec.ephemeralContainers', (spec.ephemeralContainers as Container[] | undefined) ?? []],
  ];
  for (const [base, containers] of groups) {
    containers.forEach((c, i) => {
      const path = `${base}[${i}]`;
      warnings.push(...fractional(c.resources, path), ...envWarnings(c, path));
    });
  }
  const ports = new Map<string, PortBlock[]>();
  for (const [base, containers] of groups) {
    containers.forEach((c, ci) => {
      (c.ports ?? []).forEach((port, pi) => {
        const path = `${base}[${ci}].ports[${pi}]`;
        const hostIP = port.hostIP ?? '';
        const hostPort = port.hostPort ?? 0;
        const key = `${port.containerPort}/${port.protocol ?? ''}`;
        for (const other of ports.get(key) ?? []) {
          if (hostIP === other.hostIP && hostPort === other.hostPort) warnings.push(`${path}: duplicate port definition with ${other.path}`);
          else if (hostPort === 0 || other.hostPort === 0) warnings.push(`${path}: overlapping port definition with ${other.path}`);
          else if (hostPort === other.hostPort && (hostIP === '') !== (other.hostIP === '')) warnings.push(`${path}: dangerously ambiguous port definition with ${other.path}`);
        }
        ports.set(key, [...(ports.get(key) ?? []), { path, hostIP, hostPort }]);
      });
    });
  }
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    warnings.push('spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1');
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pa = affinity[kind];
    if (!isObj(pa)) continue;
    const base = `spec.affinity.${kind}`;
    const required = Array.isArray(pa.requiredDuringSchedulingIgnoredDuringExecution) ? (pa.requiredDuringSchedulingIgnoredDuringExecution as Obj[]) : [];
    required.forEach((t, i) => {
      if (t?.labelSelector === undefined || t?.labelSelector === null) {
        warnings.push(`${base}.requiredDuringSchedulingIgnoredDuringExecution[${i}].labelSelector: a null labelSelector results in matching no pod`);
      }
    });
    const preferred = Array.isArray(pa.preferredDuringSchedulingIgnoredDuringExecution) ? (pa.preferredDuringSchedulingIgnoredDuringExecution as Obj[]) : [];
    preferred.forEach((t, i) => {
      const term = isObj(t?.podAffinityTerm) ? t.podAffinityTerm : {};
      if (term.labelSelector === undefined || term.labelSelector === null) {
        warnings.push(`${base}.preferredDuringSchedulingIgnoredDuringExecution[${i}].podAffinityTerm.labelSelector: a null labelSelector results in matching no pod`);
      }
    });
  }
  return warnings;
}
