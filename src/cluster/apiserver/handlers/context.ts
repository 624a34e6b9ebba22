/** What every handler gets: the server's parts and the parsed request. */
import type { Clock } from '../../clock';
import type { ExecProvider } from './exec';
import type { LogProvider } from './pods';
import type { KVStore } from '../../store/types';
import type { AuditLog } from '../audit';
import type { ServiceAccountTokens } from '../auth/service-account-tokens';
import type { Registries } from '../registries';
import type { RegistryStore } from '../registry/store';
import type { RequestInfo } from '../request-info';
import type { ApiRequest, UserInfo } from '../types';

export interface ServerParts {
  clock: Clock;
  kv: KVStore;
  audit: AuditLog;
  registries: Registries;
  /** Who serves container logs for pods/log: the cluster's kubelets, once they run. */
  logProvider?: LogProvider;
  /** Who runs pods/exec commands: the cluster's kubelets, once they run. */
  execProvider?: ExecProvider;
  /**
   * Whether a node's kubelet accepts connections (its server listens while it runs; a kubelet
   * stopped by the fault label does not). Absent: every kubelet listens.
   */
  kubeletListening?: (nodeName: string) => boolean;
  /** Signs and checks service account tokens (serviceaccounts/token); absent, no tokens are issued. */
  serviceAccountTokens?: ServiceAccountTokens;
}

export interface ResourceRequest {
  request: ApiRequest;
  info: RequestInfo;
  user: UserInfo;
  registry: RegistryStore;
  /** The namespace the request is scoped to ('' for cluster-scoped resources and all-namespace lists). */
  namespace: string;
  /** Set by handlers so that the audit record names the object (e.g. a create's generated name). */
  auditName?: string;
}
