/**
 * The one request pipeline both transports call (DESIGN.md): authentication (done by the
 * transport, checked here) → audit → authorization → routing to the handler, whose registry runs
 * admission (defaulting, validation) and storage. Nothing thrown escapes: every failure becomes a
 * Status response, and the audit log records every request with the code it got.
 */
import { unauthorized } from '../api/errors';
import type { Clock } from '../clock';
import type { AuditLog } from './audit';
import { authorize } from './auth/authorizer';
import { errorResponse, statusResponse } from './handlers/responses';
import type { ResourceRequest } from './handlers/context';
import { rfc3339Micro } from './registry/codec';
import { requestInfo } from './request-info';
import type { Router } from './router';
import type { ApiRequest, ApiResponse, UserInfo } from './types';

const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };
const PUBLIC_INFO = /^\/(healthz|livez|readyz|version)(\/.*)?$/;

/**
 * A request with no credentials at all may read the health and version endpoints, as kube-apiserver's
 * anonymous authentication with the system:public-info-viewer role allows (load balancers and
 * `curl -k https://…/readyz` probe them so). Everything else needs credentials: 401. A request with
 * wrong credentials is never anonymous.
 */
function anonymousPublicInfo(request: ApiRequest): UserInfo | undefined {
  const method = request.method.toUpperCase();
  if (request.headers['authorization'] !== undefined || (method !== 'GET' && method !== 'HEAD')) return undefined;
  return PUBLIC_INFO.test(request.path) ? ANONYMOUS : undefined;
}

/** The answer to an announced read (ApiRequest.announced): allowed, nothing served. */
const ANNOUNCED: ApiResponse = Object.freeze({ status: 200, headers: Object.freeze({}) }) as ApiResponse;

export class Pipeline {
  constructor(private readonly clock: Clock, private readonly audit: AuditLog, private readonly router: Router) {}

  readonly handle = async (request: ApiRequest): Promise<ApiResponse> => {
    const received = this.clock.now();
    let response: ApiResponse;
    let info;
    let resource: ResourceRequest | undefined;
    try {
      info = requestInfo(request.method, request.path, request.query);
      const user = request.user ?? anonymousPublicInfo(request);
      if (!user) {
        response = statusResponse(unauthorized().status);
      } else {
        const denied = authorize(user, info);
        if (denied) response = statusResponse(denied.status);
        else if (request.announced === true) response = ANNOUNCED;
        else response = await this.router.route(request, info, user, (r) => { resource = r; });
      }
    } catch (err) {
      response = errorResponse(err);
    }
    try {
      const user = request.user;
      const q = request.query.size === 0 ? '' : request.query.toString();
      this.audit.add({
        time: rfc3339Micro(received),
        user: user?.name ?? 'system:anonymous',
        groups: user?.groups ?? ['system:unauthenticated'],
        userAgent: request.headers['user-agent'] ?? '',
        verb: info?.verb ?? request.method.toLowerCase(),
        method: request.method,
        requestURI: q ? `${request.path}?${q}` : request.path,
        apiGroup: info?.apiGroup ?? '',
        apiVersion: info?.apiVersion ?? '',
        resource: info?.resource ?? '',
        subresource: info?.subresource ?? '',
        namespace: resource?.namespace ?? info?.namespace ?? '',
        name: resource?.auditName ?? info?.name ?? '',
        code: response.status,
      });
    } catch {
      // Auditing never fails a request.
    }
    return response;
  };
}
