/**
 * kube-apiserver's connection to a node's kubelet (pkg/kubelet/client, the Location functions of
 * pkg/registry/core/pod): pods/log, pods/exec and friends are served by the kubelet of the pod's
 * node, which the API server finds from the Node object (its preferred address and the kubelet's
 * port) and then dials. A Node that is gone fails the request with NotFound before any dialing; a
 * kubelet that does not listen (stopped by the fault label) fails the dial with "connection
 * refused", which each subresource words its own way (the callers).
 */
import { statusFailure } from '../../api/errors';
import type { Node } from '../../api/types';
import type { ServerParts } from './context';

/** The kubelet's port when the node does not report one (kube-apiserver's --kubelet-port). */
const DEFAULT_KUBELET_PORT = 10250;

/**
 * The address types tried in order. kube-apiserver's own default puts Hostname first; kubeadm
 * (and so kind and most clusters people meet) passes InternalIP,ExternalIP,Hostname, which is
 * what the messages users search for show, so Kube Sim answers as a kubeadm cluster does.
 */
const PREFERRED_ADDRESS_TYPES = ['InternalIP', 'ExternalIP', 'Hostname'];

export interface KubeletLocation {
  /** `host:port` as a dial error names it. */
  hostPort: string;
  /** The kubelet URL of a request: `https://host:port/path?query` (query as url.Values.Encode). */
  url(path: string, params: [string, string][]): string;
  /** Whether the kubelet accepts the connection (a stopped kubelet does not). */
  listening: boolean;
}

/** The Node's kubelet: NotFound when the Node is gone, as GetConnectionInfo answers. */
export async function kubeletLocation(parts: ServerParts, nodeName: string): Promise<KubeletLocation> {
  const node = (await parts.registries.core('nodes').get('', nodeName)) as Node;
  const addresses = node.status?.addresses ?? [];
  const address = PREFERRED_ADDRESS_TYPES.map((type) => addresses.find((a) => a.type === type && a.address)).find(Boolean);
  if (!address) {
    const known = addresses.map((a) => `{${a.type} ${a.address}}`).join(' ');
    throw statusFailureWithoutReason(500, `no preferred addresses found; known addresses: [${known}]`);
  }
  const endpoint = (node.status?.daemonEndpoints as { kubeletEndpoint?: { Port?: number } } | undefined)?.kubeletEndpoint;
  const port = endpoint?.Port && endpoint.Port > 0 ? endpoint.Port : DEFAULT_KUBELET_PORT;
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  const hostPort = `${host}:${port}`;
  return {
    hostPort,
    url: (path, params) => {
      const query = goQueryEncode(params);
      return `https://${hostPort}${path}${query ? `?${query}` : ''}`;
    },
    listening: parts.kubeletListening?.(nodeName) ?? true,
  };
}

/** What Go's dialer says when nothing listens on the port. */
export function connectionRefused(location: KubeletLocation): string {
  return `dial tcp ${location.hostPort}: connect: connection refused`;
}

/**
 * A Status as kube-apiserver makes of an error that is not a Status (responsewriters
 * ErrorToAPIStatus): 500, no reason, the error's text. kubectl prints `Error from server: <text>`.
 */
export function statusFailureWithoutReason(code: number, message: string) {
  const err = statusFailure(code, '', message);
  delete (err.status as { reason?: string }).reason;
  return err;
}

/** Go's url.Values.Encode: keys sorted (values of one key in order), QueryEscape'd, `+` for spaces. */
export function goQueryEncode(params: [string, string][]): string {
  const escape = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
  return params
    .map((p, i) => [p, i] as const)
    .sort(([a, i], [b, j]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : i - j))
    .map(([[k, v]]) => `${escape(k)}=${escape(v)}`)
    .join('&');
}
