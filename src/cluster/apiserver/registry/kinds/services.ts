/**
 * services (core/v1). Defaults as SetDefaults_Service plus what the allocators add on create:
 * type ClusterIP, sessionAffinity None, TCP ports whose targetPort defaults to port, a cluster IP
 * from the service CIDR 10.96.0.0/12 (10.96.0.1 is `default/kubernetes`), SingleStack IPv4, and
 * node ports from 30000-32767 for NodePort and LoadBalancer services.
 */
import { FieldPath, duplicate, forbidden, invalid, notSupported, required } from '../../../api/field-errors';
import { invalidStringSlice } from '../../../api/validation/go-values';
import type { FieldError } from '../../../api/field-errors';
import type { KubeObject } from '../../../api/types';
import { validateLabels } from '../../../api/validation/meta';
import { isDNS1123Label, isValidPortName, isValidPortNum, nameIsDNS1035Label } from '../../../api/validation/names';
import { serviceTable } from '../../printers/services';
import type { AdmissionLookup } from '../../admission/types';
import type { ResourceDefinition, Strategy } from '../resource';
import { ALL_VERBS, kindStrategy, STATUS_VERBS } from './common';

export const SERVICE_CIDR = '10.96.0.0/12';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
const CIDR_BASE = (10 << 24) | (96 << 16);
const CIDR_SIZE = 1 << 20;
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;
const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

interface ServicePort { name?: string; port?: number; targetPort?: number | string; protocol?: string; nodePort?: number }
interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: ServicePort[];
  selector?: Record<string, string>;
  sessionAffinity?: string;
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  internalTrafficPolicy?: string;
  externalTrafficPolicy?: string;
  externalName?: string;
  [k: string]: unknown;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

const ipString = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

/**
 * Picks a free cluster IP: deterministic from the service's identity, probing past addresses in
 * `used`. The network and broadcast addresses and 10.96.0.1 are never handed out.
 */
export function allocateClusterIP(namespace: string, name: string, used: ReadonlySet<string> = new Set()): string {
  const start = hash(`${namespace}/${name}`) % (CIDR_SIZE - 3);
  for (let i = 0; i < CIDR_SIZE - 3; i++) {
    const ip = ipString(CIDR_BASE + 2 + ((start + i) % (CIDR_SIZE - 3)));
    if (!used.has(ip)) return ip;
  }
  throw new Error('range is full');
}

/** A node port for the i-th port of a service, deterministic like allocateClusterIP. */
export function allocateNodePort(namespace: string, name: string, index: number, used: ReadonlySet<number> = new Set()): number {
  const span = NODE_PORT_MAX - NODE_PORT_MIN + 1;
  const start = hash(`${namespace}/${name}#${index}`) % span;
  for (let i = 0; i < span; i++) {
    const port = NODE_PORT_MIN + ((start + i) % span);
    if (!used.has(port)) return port;
  }
  throw new Error('range is full');
}

function applyDefaults(object: KubeObject): void {
  const spec = ((object.spec as ServiceSpec | undefined) ?? {}) as ServiceSpec;
  object.spec = spec;
  if (!spec.type) spec.type = 'ClusterIP';
  if (spec.type === 'ExternalName') return;
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'ClientIP') {
    const config = (spec.sessionAffinityConfig ?? {}) as { clientIP?: { timeoutSeconds?: number } };
    config.clientIP = { ...(config.clientIP ?? {}) };
    config.clientIP.timeoutSeconds ??= 10800;
    spec.sessionAffinityConfig = config;
  }
  for (const port of spec.ports ?? []) {
    if (!port.protocol) port.protocol = 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (!spec.internalTrafficPolicy) spec.internalTrafficPolicy = 'Cluster';
  if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
}

function allocate(object: KubeObject): void {
  const spec = object.spec as ServiceSpec;
  if (spec.type === 'ExternalName') return;
  if (!spec.clusterIP && spec.clusterIPs?.length) spec.clusterIP = spec.clusterIPs[0];
  if (!spec.clusterIP) spec.clusterIP = allocateClusterIP(object.metadata.namespace ?? '', object.metadata.name ?? '');
  if (spec.clusterIP === 'None') spec.clusterIPs = ['None'];
  else spec.clusterIPs = [spec.clusterIP];
  if (!spec.ipFamilies) spec.ipFamilies = ['IPv4'];
  if (!spec.ipFamilyPolicy) spec.ipFamilyPolicy = 'SingleStack';
  if (spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)) {
    (spec.ports ?? []).forEach((p, i) => {
      if (!p.nodePort) p.nodePort = allocateNodePort(object.metadata.namespace ?? '', object.metadata.name ?? '', i);
    });
  }
  object.status = { loadBalancer: {} };
}

/**
 * Addresses handed out recently, per cluster (its lookup): a concurrent create that has not been
 * stored yet is not in the list, and like kube-apiserver's allocators we do not reuse an address
 * at once after its service goes.
 */
const recent = new WeakMap<AdmissionLookup, { ips: Set<string>; ports: Set<number> }>();
const RECENT_LIMIT = 4096;

function remember<T>(set: Set<T>, value: T): void {
  set.add(value);
  if (set.size > RECENT_LIMIT) set.delete(set.values().next().value as T);
}

/**
 * BeginCreate: the cluster IP and node ports a new service gets, free in the registry's view of the
 * services that exist (so two services never share an address, whatever their names hash to).
 */
async function allocateFromRegistry(object: KubeObject, lookup: AdmissionLookup | undefined): Promise<void> {
  const spec = object.spec as ServiceSpec | undefined;
  if (!lookup || !spec || typeof spec !== 'object' || spec.type === 'ExternalName') return;
  const type = spec.type || 'ClusterIP';
  const wantsIP = !spec.clusterIP && !spec.clusterIPs?.length;
  const wantsPorts = (type === 'NodePort' || (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)) && Array.isArray(spec.ports) && spec.ports.some((p) => !p?.nodePort);
  if (!wantsIP && !wantsPorts) return;
  let mine = recent.get(lookup);
  if (!mine) recent.set(lookup, (mine = { ips: new Set(), ports: new Set() }));
  const ips = new Set<string>([KUBERNETES_SERVICE_IP, ...mine.ips]);
  const ports = new Set<number>(mine.ports);
  for (const svc of await lookup.list('', 'services')) {
    const s = (svc.spec ?? {}) as ServiceSpec;
    for (const ip of s.clusterIPs ?? (s.clusterIP ? [s.clusterIP] : [])) ips.add(ip);
    for (const p of s.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
  }
  const namespace = object.metadata.namespace ?? '';
  const name = object.metadata.name || object.metadata.generateName || '';
  if (wantsIP) {
    spec.clusterIP = allocateClusterIP(namespace, name, ips);
    remember(mine.ips, spec.clusterIP);
  }
  if (wantsPorts) {
    for (const p of spec.ports!) if (p?.nodePort) ports.add(p.nodePort);
    spec.ports!.forEach((p, i) => {
      if (!p || typeof p !== 'object' || p.nodePort) return;
      p.nodePort = allocateNodePort(namespace, name, i, ports);
      ports.add(p.nodePort);
      remember(mine.ports, p.nodePort);
    });
  }
}

function validateService(object: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = (object.spec as ServiceSpec | undefined) ?? {};
  const path = FieldPath.root('spec');
  if (spec.type && !TYPES.includes(spec.type)) errs.push(notSupported(path.child('type').toString(), spec.type, TYPES));
  if (spec.sessionAffinity && !['ClientIP', 'None'].includes(spec.sessionAffinity)) {
    errs.push(notSupported(path.child('sessionAffinity').toString(), spec.sessionAffinity, ['ClientIP', 'None']));
  }
  const ports = spec.ports ?? [];
  if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None' && ports.length === 0) errs.push(required(path.child('ports').toString()));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pp = path.child('ports').index(i);
    if (ports.length > 1 && !p.name) errs.push(required(pp.child('name').toString()));
    if (p.name) {
      for (const m of isDNS1123Label(p.name)) errs.push(invalid(pp.child('name').toString(), p.name, m));
      if (names.has(p.name)) errs.push(duplicate(pp.child('name').toString(), p.name));
      names.add(p.name);
    }
    for (const m of isValidPortNum(p.port ?? 0)) errs.push(invalid(pp.child('port').toString(), p.port ?? 0, m));
    if (p.protocol && !PROTOCOLS.includes(p.protocol)) errs.push(notSupported(pp.child('protocol').toString(), p.protocol, PROTOCOLS));
    if (typeof p.targetPort === 'number') for (const m of isValidPortNum(p.targetPort)) errs.push(invalid(pp.child('targetPort').toString(), p.targetPort, m));
    else if (typeof p.targetPort === 'string') for (const m of isValidPortName(p.targetPort)) errs.push(invalid(pp.child('targetPort').toString(), p.targetPort, m));
    if (p.nodePort && (spec.type === 'ClusterIP' || spec.type === undefined)) errs.push(forbidden(pp.child('nodePort').toString(), "may not be used when `type` is 'ClusterIP'"));
  });
  errs.push(...validateLabels(spec.selector, path.child('selector')));
  if (spec.type === 'ExternalName' && !spec.externalName) errs.push(required(path.child('externalName').toString()));
  return errs;
}

export const services: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Service',
  listKind: 'ServiceList',
  resource: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  verbs: ALL_VERBS,
  subresources: [{ name: 'status', kind: 'Service', verbs: STATUS_VERBS }],
  strategy: withBeginCreate(kindStrategy({
    namespaced: true,
    nameFn: nameIsDNS1035Label,
    hasStatus: true,
    defaults: applyDefaults,
    prepareForCreate: allocate,
    prepareForUpdate(object, old, ctx) {
      if (ctx.subresource !== '') return;
      // The allocated addresses stay with the service unless the client changes them explicitly.
      const spec = object.spec as ServiceSpec;
      const oldSpec = (old.spec as ServiceSpec | undefined) ?? {};
      if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
      // Copies: `old` is the decoded object watchers share, never to be written through.
      if (!spec.clusterIPs && oldSpec.clusterIPs) spec.clusterIPs = [...oldSpec.clusterIPs];
      if (!spec.ipFamilies && oldSpec.ipFamilies) spec.ipFamilies = [...oldSpec.ipFamilies];
      if (!spec.ipFamilyPolicy && oldSpec.ipFamilyPolicy) spec.ipFamilyPolicy = oldSpec.ipFamilyPolicy;
    },
    validate: validateService,
    validateUpdate(object, old) {
      const errs = validateService(object);
      const spec = (object.spec as ServiceSpec | undefined) ?? {};
      const oldSpec = (old.spec as ServiceSpec | undefined) ?? {};
      if (oldSpec.clusterIP && spec.type !== 'ExternalName' && oldSpec.type !== 'ExternalName' && spec.clusterIP !== oldSpec.clusterIP) {
        errs.push(invalidStringSlice('spec.clusterIPs[0]', spec.clusterIP ? [spec.clusterIP] : (spec.clusterIPs ?? []), 'may not change once set'));
      }
      return errs;
    },
  })),
  table: serviceTable,
};

function withBeginCreate(strategy: Strategy): Strategy {
  strategy.beginCreate = (object, _ctx, lookup) => allocateFromRegistry(object, lookup);
  return strategy;
}
