/**
 * The API server: the registries for every resource, the router, and the pipeline, behind one
 * `handle(request)` that both transports call.
 */
import type { Clock } from '../clock';
import type { KVStore } from '../store/types';
import { AuditLog } from './audit';
import type { ServerParts } from './handlers/context';
import { Pipeline } from './pipeline';
import { defaultAdmissionPlugins, type AdmissionPlugin } from './admission';
import { bindingSubresource, evictionSubresource, legacyBindingsCreate, logSubresource } from './handlers/pods';
import { execSubresource } from './handlers/exec';
import { scaleSubresource } from './handlers/scale';
import { Registries } from './registries';
import type { ServiceAccountTokens } from './auth/service-account-tokens';
import { tokenRequestSubresource } from './handlers/token-request';
import type { ResourceDefinition } from './registry/resource';
import { Router, type SubresourceHandler } from './router';
import type { ApiRequest, ApiResponse } from './types';

export interface ApiServerOptions {
  kv: KVStore;
  clock: Clock;
  resources: ResourceDefinition[];
  audit?: AuditLog;
  /** The admission chain; default kube-apiserver's (admission/index.ts). */
  admission?: AdmissionPlugin[];
  /** `host:port` clients reach the server at (for /api's serverAddressByClientCIDRs). */
  serverAddress?: () => string;
  /** Issues the tokens of serviceaccounts/token; the HTTPS transport must accept the same ones. */
  serviceAccountTokens?: ServiceAccountTokens;
}

export class ApiServer {
  readonly parts: ServerParts;
  readonly router: Router;
  readonly pipeline: Pipeline;

  constructor(options: ApiServerOptions) {
    const audit = options.audit ?? new AuditLog();
    this.parts = { clock: options.clock, kv: options.kv, audit, registries: new Registries(options.resources, options.kv, options.clock), serviceAccountTokens: options.serviceAccountTokens };
    this.parts.registries.setAdmission(options.admission ?? defaultAdmissionPlugins());
    this.router = new Router(this.parts, options.serverAddress ?? (() => '127.0.0.1:443'));
    this.pipeline = new Pipeline(options.clock, audit, this.router);
    this.router.addSubresource('', 'pods', 'binding', bindingSubresource);
    this.router.addSubresource('', 'pods', 'eviction', evictionSubresource);
    this.router.addSubresource('', 'pods', 'log', logSubresource);
    this.router.addSubresource('', 'pods', 'exec', execSubresource);
    this.router.addSubresource('', 'serviceaccounts', 'token', tokenRequestSubresource);
    this.router.addVerb('', 'bindings', 'create', legacyBindingsCreate);
    this.router.addSubresource('apps', 'deployments', 'scale', scaleSubresource);
    this.router.addSubresource('apps', 'replicasets', 'scale', scaleSubresource);
  }

  get audit(): AuditLog {
    return this.parts.audit;
  }

  /** Registers the handler of a subresource (`pods/binding`), or `('*', 'patch')` for PATCH. */
  addSubresource(group: string, resource: string, subresource: string, handler: SubresourceHandler): void {
    this.router.addSubresource(group, resource, subresource, handler);
  }

  handle(request: ApiRequest): Promise<ApiResponse> {
    return this.pipeline.handle(request);
  }

  /**
   * Cancels the registries' timers and admission's watches. A stopped cluster's clock may go on
   * (one a caller passed in): at unlimited speed a timer that sets itself again would spin it.
   */
  stop(): void {
    this.parts.registries.stop();
  }
}
