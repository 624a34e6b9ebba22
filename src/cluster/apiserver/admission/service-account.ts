/**
 * ServiceAccount: every pod runs as a service account (`default` unless it names one), which must
 * exist (403 `error looking up service account ns/name: serviceaccount "name" not found`), and,
 * unless automounting is turned off, gets the projected `kube-api-access-xxxxx` volume (token,
 * kube-root-ca.crt, namespace) mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount
 * in every container, and the account's imagePullSecrets.
 */
import { forbidden } from '../../api/errors';
import type { Container, KubeObject, Pod } from '../../api/types';
import { isMainResource, type AdmissionAttributes, type AdmissionLookup, type AdmissionPlugin } from './types';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const API_ACCESS_VOLUME_PREFIX = 'kube-api-access-';
/** utilrand.String's alphabet: no vowels, no confusable digits. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(random: () => number, length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMS[Math.floor(random() * ALPHANUMS.length)];
  return out;
}

/** The projected volume kube-apiserver adds for the service account token (BoundServiceAccountTokenVolume). */
export function apiAccessVolume(name: string): Record<string, unknown> {
  return {
    name,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: 420,
    },
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function mountInto(containers: Container[] | undefined, volumeName: string): void {
  // Bodies are not type-checked before admission yet: leave malformed shapes to validation.
  if (!Array.isArray(containers)) return;
  for (const c of containers) {
    if (!isPlainObject(c)) continue;
    const mounts = Array.isArray(c.volumeMounts) ? (c.volumeMounts as { mountPath?: string }[]) : [];
    if (mounts.some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) continue;
    c.volumeMounts = [...mounts, { name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH }];
  }
}

function shouldAutomount(sa: KubeObject, pod: Pod): boolean {
  if (typeof pod.spec.automountServiceAccountToken === 'boolean') return pod.spec.automountServiceAccountToken;
  if (typeof sa.automountServiceAccountToken === 'boolean') return sa.automountServiceAccountToken;
  return true;
}

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/**
 * Waits between lookups of a namespace's `default` ServiceAccount. Real time, not the cluster clock:
 * like kube-apiserver's retry (10 attempts, 100–200 ms apart) it waits for the service account
 * controller to catch up with a namespace created a moment ago (`kubectl apply` of a file with a
 * Namespace and its Pods), which is I/O, not simulated time.
 */
export type RetryWait = (attempt: number) => Promise<void>;
// Not unref'd: a request waiting here is work in flight and keeps the process alive.
const realTimeWait: RetryWait = () => new Promise((resolve) => setTimeout(resolve, 100 + Math.floor(Math.random() * 100)));

async function lookupServiceAccount(lookup: AdmissionLookup, namespace: string, name: string, wait: RetryWait): Promise<KubeObject | undefined> {
  const attempts = name === DEFAULT_SERVICE_ACCOUNT ? 10 : 1;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await wait(attempt);
    const sa = await lookup.get('', 'serviceaccounts', namespace, name);
    if (sa) return sa;
  }
  return undefined;
}

export function serviceAccountAdmission(random: () => number = Math.random, wait: RetryWait = realTimeWait): AdmissionPlugin {
  return {
    name: 'ServiceAccount',
    admit(attrs, lookup) {
      if (!isMainResource(attrs, '', 'pods', 'CREATE') || !attrs.object) return;
      return admitPod(attrs, lookup, random, wait);
    },
  };
}

/**
 * A pod create: its service account, and that account's token volume and pull secrets.
 * Synchronous when the lookup keeps service accounts in memory and has the pod's (`peek`); else
 * the account is read, and waited for as kube-apiserver does.
 */
function admitPod(attrs: AdmissionAttributes, lookup: AdmissionLookup, random: () => number, wait: RetryWait): Promise<void> | undefined {
  const pod = attrs.object as Pod;
  const name = podServiceAccount(pod);
  if (name === undefined) return undefined;
  const known = lookup.peek?.('', 'serviceaccounts', attrs.namespace, name);
  if (known) return applyServiceAccount(attrs, pod, name, known, random);
  return lookupServiceAccount(lookup, attrs.namespace, name, wait).then((sa) => applyServiceAccount(attrs, pod, name, sa, random));
}

/** The pod's service account name, set on its spec; undefined when the plugin leaves the pod alone. */
function podServiceAccount(pod: Pod): string | undefined {
  // A missing or null spec decodes to an empty one in kube-apiserver; any other non-object is
  // a malformed body that validation refuses (bodies are not type-checked before admission yet).
  if (pod.spec === undefined || pod.spec === null) pod.spec = {} as Pod['spec'];
  if (!isPlainObject(pod.spec)) return;
  const malformed = (v: unknown) => v !== undefined && v !== null && !Array.isArray(v);
  if (malformed(pod.spec.volumes) || malformed(pod.spec.containers) || malformed(pod.spec.initContainers)) return;
  if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
  const name = (pod.spec.serviceAccountName as string | undefined) || (pod.spec.serviceAccount as string | undefined) || DEFAULT_SERVICE_ACCOUNT;
  pod.spec.serviceAccountName = name;
  pod.spec.serviceAccount = name;
  return name;
}

function applyServiceAccount(attrs: AdmissionAttributes, pod: Pod, name: string, sa: KubeObject | undefined, random: () => number): undefined {
  if (!sa) {
    throw forbidden(
      { group: '', resource: 'pods' },
      attrs.name,
      `error looking up service account ${attrs.namespace}/${name}: serviceaccount "${name}" not found`,
    );
  }
  if (shouldAutomount(sa, pod)) {
    const volumes = Array.isArray(pod.spec.volumes) ? (pod.spec.volumes as { name: string }[]) : [];
    const existing = volumes.find((v) => typeof v?.name === 'string' && v.name.startsWith(API_ACCESS_VOLUME_PREFIX));
    const volumeName = existing?.name ?? `${API_ACCESS_VOLUME_PREFIX}${randomSuffix(random)}`;
    if (!existing) pod.spec.volumes = [...volumes, apiAccessVolume(volumeName)];
    mountInto(pod.spec.initContainers, volumeName);
    mountInto(pod.spec.containers, volumeName);
  }
  const pullSecrets = sa.imagePullSecrets as { name: string }[] | undefined;
  if (!(pod.spec.imagePullSecrets as unknown[] | undefined)?.length && pullSecrets?.length) {
    pod.spec.imagePullSecrets = pullSecrets.map((s) => ({ name: s.name }));
  }
  return undefined;
}
