/**
 * What a container is started with: its environment (env, envFrom, fieldRef, Kubernetes' service
 * variables, `$(VAR)` references) and the files of its ConfigMap and Secret volumes, read from
 * the API. A missing object gives the kubelet's errors: for env, CreateContainerConfigError with
 * `configmap "x" not found`; for a volume, a FailedMount and the pod staying ContainerCreating.
 */
import type { Container, KubeObject, Pod } from '../api/types';
import { ContainerFiles } from './runtime/files';
import { sharedEnv } from './runtime/env';

export interface ConfigSource {
  configMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  secret(namespace: string, name: string): Promise<KubeObject | undefined>;
}

export type ContainerConfig =
  | { ok: true; env: Readonly<Record<string, string>>; files: Map<string, string> }
  | { ok: false; kind: 'env'; message: string }
  | { ok: false; kind: 'mount'; volume: string; message: string };

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string; optional?: boolean };
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    fieldRef?: { fieldPath: string };
    resourceFieldRef?: { resource: string; containerName?: string };
  };
}

interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

interface KeyToPath { key: string; path: string }

interface Volume {
  name: string;
  configMap?: { name: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { secretName: string; items?: KeyToPath[]; optional?: boolean };
  projected?: { sources?: { configMap?: { name: string; items?: KeyToPath[]; optional?: boolean }; secret?: { name: string; items?: KeyToPath[]; optional?: boolean } }[] };
}

/** What every container sees for the `kubernetes` Service in `default`. */
const SERVICE_ENV: Record<string, string> = {
  KUBERNETES_SERVICE_HOST: '10.96.0.1',
  KUBERNETES_SERVICE_PORT: '443',
  KUBERNETES_SERVICE_PORT_HTTPS: '443',
  KUBERNETES_PORT: 'tcp://10.96.0.1:443',
  KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
  KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
  KUBERNETES_PORT_443_TCP_PORT: '443',
  KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
};

/**
 * The data of a ConfigMap or Secret, decoded; once per object (the kubelet's cache hands the same
 * object to every container that reads it for a minute, and a Secret is base64 to decode). Only read.
 */
function dataOf(object: KubeObject, secret: boolean): Record<string, string> {
  const cache = secret ? secretData : configMapData;
  let data = cache.get(object);
  if (!data) {
    data = decodeData(object, secret);
    cache.set(object, data);
  }
  return data;
}

const configMapData = new WeakMap<KubeObject, Record<string, string>>();
const secretData = new WeakMap<KubeObject, Record<string, string>>();

function decodeData(object: KubeObject, secret: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((object.data as Record<string, string> | undefined) ?? {})) out[k] = secret ? Buffer.from(v, 'base64').toString('utf8') : v;
  if (!secret) for (const [k, v] of Object.entries((object.binaryData as Record<string, string> | undefined) ?? {})) out[k] = Buffer.from(v, 'base64').toString('latin1');
  if (secret) for (const [k, v] of Object.entries((object.stringData as Record<string, string> | undefined) ?? {})) out[k] = v;
  return out;
}

/** What every container's environment starts with, in this order. */
function baseEnv(imageEnv: Record<string, string>, hostname: string): Record<string, string> {
  return { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...imageEnv, HOSTNAME: hostname, ...SERVICE_ENV };
}

/** The shared environment of the image's containers that have none of their own (HOSTNAME: see runtime/env.ts). */
function defaultEnv(imageEnv: Record<string, string>): Readonly<Record<string, string>> {
  const key = Object.keys(imageEnv).length > 0 ? imageEnv : NO_IMAGE_ENV;
  let env = defaultEnvs.get(key);
  if (!env) {
    env = sharedEnv(baseEnv(imageEnv, ''));
    defaultEnvs.set(key, env);
  }
  return env;
}

const NO_IMAGE_ENV: Record<string, string> = {};
const defaultEnvs = new WeakMap<Record<string, string>, Readonly<Record<string, string>>>();

/** `$(VAR)` references in env values, command and args; `$$(VAR)` escapes. */
export function expandReferences(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && name in env ? env[name]! : match;
  });
}

function fieldValue(pod: Pod, path: string): string {
  const meta = pod.metadata;
  const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (label) return (label[1] === 'labels' ? meta.labels : meta.annotations)?.[label[2]!] ?? '';
  switch (path) {
    case 'metadata.name': return meta.name ?? '';
    case 'metadata.namespace': return meta.namespace ?? '';
    case 'metadata.uid': return meta.uid ?? '';
    case 'spec.nodeName': return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName': return String(pod.spec.serviceAccountName ?? 'default');
    case 'status.podIP': return pod.status?.podIP ?? '';
    case 'status.hostIP': return pod.status?.hostIP ?? '';
    default: return '';
  }
}

/**
 * `hostname`: the pod's name, as the caller keeps it (the container's files keep that string rather
 * than one more of the same text).
 */
export async function resolveContainerConfig(pod: Pod, container: Container, imageEnv: Record<string, string>, source: ConfigSource, hostname = pod.metadata.name ?? ''): Promise<ContainerConfig> {
  const namespace = pod.metadata.namespace ?? 'default';
  let cache: Map<string, Promise<KubeObject | undefined>> | undefined;
  const get = (kind: 'configmap' | 'secret', name: string) => {
    const key = `${kind}/${name}`;
    cache ??= new Map();
    let found = cache.get(key);
    if (!found) {
      found = kind === 'configmap' ? source.configMap(namespace, name) : source.secret(namespace, name);
      cache.set(key, found);
    }
    return found;
  };

  const envFrom = (container.envFrom as EnvFromSource[] | undefined) ?? [];
  const envVars = (container.env as EnvVar[] | undefined) ?? [];
  // Nothing of its own: the image's environment, one object for all its containers (runtime/env.ts).
  const own = envFrom.length > 0 || envVars.length > 0;
  const env: Record<string, string> = own ? baseEnv(imageEnv, pod.metadata.name ?? '') : {};
  for (const from of envFrom) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const kind = from.configMapRef ? 'configmap' : 'secret';
    const object = await get(kind, ref.name);
    if (!object) {
      if (ref.optional) continue;
      return { ok: false, kind: 'env', message: `${kind} "${ref.name}" not found` };
    }
    for (const [k, v] of Object.entries(dataOf(object, kind === 'secret'))) env[`${from.prefix ?? ''}${k}`] = v;
  }
  for (const variable of envVars) {
    const from = variable.valueFrom;
    if (!from) { env[variable.name] = expandReferences(variable.value ?? '', env); continue; }
    if (from.fieldRef) { env[variable.name] = fieldValue(pod, from.fieldRef.fieldPath); continue; }
    if (from.resourceFieldRef) {
      const [kind, resource] = from.resourceFieldRef.resource.split('.') as [string, string];
      const value = (container.resources as Record<string, Record<string, string>> | undefined)?.[kind]?.[resource];
      env[variable.name] = value ?? '0';
      continue;
    }
    const ref = from.configMapKeyRef ?? from.secretKeyRef;
    if (!ref) continue;
    const kind = from.configMapKeyRef ? 'configmap' : 'secret';
    const object = await get(kind, ref.name);
    if (!object) {
      if (ref.optional) continue;
      return { ok: false, kind: 'env', message: `${kind} "${ref.name}" not found` };
    }
    const data = dataOf(object, kind === 'secret');
    if (!(ref.key in data)) {
      if (ref.optional) continue;
      return { ok: false, kind: 'env', message: `couldn't find key ${ref.key} in ${kind === 'configmap' ? 'ConfigMap' : 'Secret'} ${namespace}/${ref.name}` };
    }
    env[variable.name] = data[ref.key]!;
  }

  const files: [string, string][] = [];
  const volumes = (pod.spec.volumes as Volume[] | undefined) ?? [];
  for (const mount of (container.volumeMounts as { name: string; mountPath: string; subPath?: string }[] | undefined) ?? []) {
    const volume = volumeNamed(volumes, mount.name);
    if (!volume) continue;
    const sources: { kind: 'configmap' | 'secret'; name: string; items?: KeyToPath[]; optional?: boolean }[] = [];
    if (volume.configMap) sources.push({ kind: 'configmap', ...volume.configMap });
    if (volume.secret) sources.push({ kind: 'secret', name: volume.secret.secretName, ...(volume.secret.items ? { items: volume.secret.items } : {}), ...(volume.secret.optional ? { optional: true } : {}) });
    for (const s of volume.projected?.sources ?? []) {
      if (s.configMap) sources.push({ kind: 'configmap', ...s.configMap });
      if (s.secret) sources.push({ kind: 'secret', ...s.secret });
    }
    for (const s of sources) {
      const object = await get(s.kind, s.name);
      if (!object) {
        if (s.optional) continue;
        return { ok: false, kind: 'mount', volume: mount.name, message: `MountVolume.SetUp failed for volume "${mount.name}" : ${s.kind} "${s.name}" not found` };
      }
      const data = dataOf(object, s.kind === 'secret');
      const entries: [string, string][] = s.items ? s.items.filter((i) => i.key in data).map((i) => [i.path, data[i.key]!]) : Object.entries(data);
      for (const [path, content] of entries) {
        if (mount.subPath) { if (path === mount.subPath) files.push([mount.mountPath, content]); }
        else files.push([mountedPath(mount.mountPath, path), content]);
      }
    }
  }
  return { ok: true, env: own ? env : defaultEnv(imageEnv), files: ContainerFiles.forHost(hostname, files) };
}

/** The last volume of the name, as a map of them by name would give (a pod has few: no map is made). */
function volumeNamed(volumes: Volume[], name: string): Volume | undefined {
  for (let i = volumes.length - 1; i >= 0; i--) if (volumes[i]!.name === name) return volumes[i];
  return undefined;
}

/**
 * `<mountPath>/<path>`, one string per distinct path: every pod mounts its service account's
 * ca.crt at the same place, and each container keeps its paths for as long as it runs.
 */
function mountedPath(mountPath: string, path: string): string {
  const full = `${mountPath.replace(/\/$/, '')}/${path}`;
  let interned = mountedPaths.get(full);
  if (interned === undefined) {
    if (mountedPaths.size >= MAX_MOUNTED_PATHS) mountedPaths.clear();
    interned = full;
    mountedPaths.set(full, full);
  }
  return interned;
}

const mountedPaths = new Map<string, string>();
const MAX_MOUNTED_PATHS = 1024;
