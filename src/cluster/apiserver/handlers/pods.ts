/**
 * The pod subresources with behaviour of their own (kube-apiserver pkg/registry/core/pod/storage):
 * binding (and the legacy `bindings` collection), eviction, and log.
 */
import { badRequest, statusFailure, statusSuccess } from '../../api/errors';
import { waitingToStart } from '../../api/container-log-errors';
import type { Pod } from '../../api/types';
import { bindPod } from '../registry/kinds';
import type { Binding } from '../registry/kinds/bindings';
import { rfc3339 } from '../registry/codec';
import type { ApiResponse, ResponseStream } from '../types';
import type { ResourceRequest, ServerParts } from './context';
import { dryRunOf, isPlainObject, readBody, readObject } from './params';
import { connectionRefused, kubeletLocation, statusFailureWithoutReason } from './kubelet-connection';
import { jsonResponse, textResponse } from './responses';

/** POST pods/{name}/binding: sets spec.nodeName and PodScheduled=True, answers 201 Success. */
export async function bindingSubresource(parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  if (r.info.verb !== 'create') throw statusFailure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
  const binding = readObject(r.request, 'Binding') as Binding;
  // As kube-apiserver: a Binding without a name does not match the URL either.
  if (binding.metadata.name !== r.info.name) {
    throw badRequest(`name in URL does not match name in Binding object`);
  }
  return bind(parts, r, r.info.name, binding);
}

/** POST bindings (the legacy collection): the pod is named by the Binding's metadata.name. */
export async function legacyBindingsCreate(parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  const binding = readObject(r.request, 'Binding') as Binding;
  const name = binding.metadata.name ?? '';
  if (!name) throw badRequest('name is required for a Binding');
  r.auditName = name;
  return bind(parts, r, name, binding);
}

async function bind(parts: ServerParts, r: ResourceRequest, name: string, binding: Binding): Promise<ApiResponse> {
  const pods = parts.registries.core('pods');
  const dryRun = dryRunOf(r.request.query);
  await pods.guaranteedUpdate(r.namespace, name, { user: r.user, dryRun, subresource: 'binding', bypassStrategy: true }, (current) =>
    bindPod(current as Pod, binding, rfc3339(parts.clock.now()), true),
  );
  return jsonResponse(201, statusSuccess(201));
}

/**
 * POST pods/{name}/eviction (policy/v1 Eviction): with no PodDisruptionBudgets in Kube Sim an
 * eviction is always allowed and deletes the pod as a DELETE would (gracefully), answering 201.
 */
export async function evictionSubresource(parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  if (r.info.verb !== 'create') throw statusFailure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
  const body = readBody(r.request);
  if (!isPlainObject(body)) throw badRequest('the body of the request could not be decoded as an Eviction');
  const meta = isPlainObject(body.metadata) ? body.metadata : {};
  // As kube-apiserver: an Eviction without a name does not match the URL either (so `{}` evicts nothing).
  if (meta.name !== r.info.name) throw badRequest('name in URL does not match name in Eviction object');
  const options = isPlainObject(body.deleteOptions) ? body.deleteOptions : {};
  const params: { gracePeriodSeconds?: number; preconditions?: { uid?: string; resourceVersion?: string } } = {};
  if (typeof options.gracePeriodSeconds === 'number') params.gracePeriodSeconds = options.gracePeriodSeconds;
  if (isPlainObject(options.preconditions)) {
    params.preconditions = {};
    if (typeof options.preconditions.uid === 'string') params.preconditions.uid = options.preconditions.uid;
    if (typeof options.preconditions.resourceVersion === 'string') params.preconditions.resourceVersion = options.preconditions.resourceVersion;
  }
  const dryRun = dryRunOf(r.request.query) || (Array.isArray(options.dryRun) && options.dryRun.includes('All'));
  const pods = parts.registries.core('pods');
  await pods.delete(r.namespace, r.info.name, params, { user: r.user, dryRun, subresource: 'eviction' });
  return jsonResponse(201, statusSuccess(201));
}

export interface LogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  timestamps: boolean;
  limitBytes?: number;
}

/** Who serves container logs (the kubelet): text, or a stream for `follow`. */
export type LogProvider = (pod: Pod, options: LogOptions, signal?: AbortSignal) => Promise<string | ResponseStream>;

function containerNames(pod: Pod): string[] {
  return [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => c.name);
}

/** The kubelet's containerLogs query as LogLocation builds it. */
function kubeletLogParams(options: LogOptions): [string, string][] {
  const params: [string, string][] = [];
  if (options.follow) params.push(['follow', 'true']);
  if (options.previous) params.push(['previous', 'true']);
  if (options.timestamps) params.push(['timestamps', 'true']);
  if (options.sinceSeconds !== undefined) params.push(['sinceSeconds', String(options.sinceSeconds)]);
  if (options.tailLines !== undefined) params.push(['tailLines', String(options.tailLines)]);
  if (options.limitBytes !== undefined) params.push(['limitBytes', String(options.limitBytes)]);
  return params;
}

/** GET pods/{name}/log */
export async function logSubresource(parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  if (r.info.verb !== 'get') throw statusFailure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
  const q = r.request.query;
  const pod = (await parts.registries.core('pods').get(r.namespace, r.info.name)) as Pod;
  const names = containerNames(pod);
  let container = q.get('container') ?? '';
  if (!container) {
    if (pod.spec.containers.length === 1) container = pod.spec.containers[0]!.name;
    else {
      throw badRequest(`a container name must be specified for pod ${r.info.name}, choose one of: [${pod.spec.containers.map((c) => c.name).join(' ')}]`);
    }
  }
  if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${r.info.name}`);
  const int = (name: string): number | undefined => {
    const v = q.get(name);
    if (v === null) return undefined;
    if (!/^-?\d+$/.test(v)) throw badRequest(`invalid ${name}: ${v}`);
    return Number(v);
  };
  const options: LogOptions = { container, follow: q.get('follow') === 'true', previous: q.get('previous') === 'true', timestamps: q.get('timestamps') === 'true' };
  const tail = int('tailLines');
  if (tail !== undefined) options.tailLines = tail;
  const since = int('sinceSeconds');
  if (since !== undefined) options.sinceSeconds = since;
  const limit = int('limitBytes');
  if (limit !== undefined) options.limitBytes = limit;

  // LogLocation gives no location for a pod without a node, and the LocationStreamer answers an
  // empty 200 for that: `kubectl logs` of an unscheduled pod prints nothing (exec refuses instead).
  if (!pod.spec.nodeName) return textResponse(200, '');
  // Then the dial (genericrest.LocationStreamer): the Node must exist and its kubelet listen
  // before anything about the container is known.
  const kubelet = await kubeletLocation(parts, pod.spec.nodeName);
  if (!kubelet.listening) {
    const url = kubelet.url(`/containerLogs/${r.namespace}/${r.info.name}/${container}`, kubeletLogParams(options));
    throw statusFailureWithoutReason(500, `Get ${JSON.stringify(url)}: ${connectionRefused(kubelet)}`);
  }
  const status = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find((s) => s.name === container);
  if (!status || (!status.state?.running && !status.state?.terminated && !status.lastState?.terminated)) {
    throw waitingToStart(container, r.info.name, status?.state?.waiting?.reason ?? 'ContainerCreating');
  }
  const logProvider = parts.logProvider;
  if (!logProvider) {
    throw statusFailure(501, 'NotImplemented', `logs of container "${container}" in pod "${r.info.name}" are not available: no kubelet in this cluster serves container logs yet`, {});
  }
  const result = await logProvider(pod, options, r.request.signal);
  if (typeof result === 'string') return textResponse(200, result);
  return { status: 200, headers: { 'Content-Type': 'text/plain' }, stream: result };
}


