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
import type { ApiRequest, ApiResponse } from './types';

export class Pipeline {
  constructor(private readonly clock: Clock, private readonly audit: AuditLog, private readonly router: Router) {}

  readonly handle = async (request: ApiRequest): Promise<ApiResponse> => {
    const received = this.clock.now();
    let response: ApiResponse;
    let info;
    let resource: ResourceRequest | undefined;
    try {
      info = requestInfo(request.method, request.path, request.query);
      if (!request.user) {
        response = statusResponse(unauthorized().status);
      } else {
        const denied = authorize(request.user, info);
        response = denied
          ? statusResponse(denied.status)
          : await this.router.route(request, info, request.user, (r) => { resource = r; });
      }
    } catch (err) {
      response = errorResponse(err);
    }
    try {
      const user = request.user;
      const q = request.query.toString();
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
