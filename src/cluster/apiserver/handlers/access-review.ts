/**
 * SelfSubjectAccessReview (authorization.k8s.io/v1): "may I do this?", answered by the same
 * authorizer that guards every request. `kubectl auth can-i` posts one (as protobuf), so the
 * viewer can see for themselves that they may read but not write.
 */
import { badRequest, statusFailure } from '../../api/errors';
import type { KubeObject } from '../../api/types';
import { authorize } from '../auth/authorizer';
import { mediaType, PROTOBUF_TYPE } from '../body';
import { decodeSelfSubjectAccessReview } from '../protobuf';
import type { RequestInfo } from '../request-info';
import type { ApiRequest, ApiResponse, UserInfo } from '../types';
import { isPlainObject, readBody } from './params';
import { jsonResponse } from './responses';

interface ResourceAttributes { namespace?: string; verb?: string; group?: string; version?: string; resource?: string; subresource?: string; name?: string }
interface NonResourceAttributes { path?: string; verb?: string }

export function selfSubjectAccessReview(request: ApiRequest, user: UserInfo): ApiResponse {
  if (request.method !== 'POST') throw statusFailure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
  let review: KubeObject;
  if (request.rawBody !== undefined && mediaType(request.headers['content-type']) === PROTOBUF_TYPE) review = decodeSelfSubjectAccessReview(request.rawBody);
  else {
    const body = readBody(request);
    if (!isPlainObject(body)) throw badRequest('the body of the request could not be decoded as a SelfSubjectAccessReview');
    review = body as KubeObject;
  }
  const spec = (isPlainObject(review.spec) ? review.spec : {}) as { resourceAttributes?: ResourceAttributes; nonResourceAttributes?: NonResourceAttributes };
  let info: RequestInfo;
  if (spec.resourceAttributes) {
    const a = spec.resourceAttributes;
    info = {
      isResourceRequest: true, path: '', verb: a.verb ?? '', apiPrefix: a.group ? 'apis' : 'api', apiGroup: a.group ?? '', apiVersion: a.version ?? '',
      namespace: a.namespace ?? '', resource: a.resource ?? '', subresource: a.subresource ?? '', name: a.name ?? '', parts: [],
    };
  } else if (spec.nonResourceAttributes) {
    const a = spec.nonResourceAttributes;
    info = { isResourceRequest: false, path: a.path ?? '', verb: a.verb ?? '', apiPrefix: '', apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '', parts: [] };
  } else {
    throw statusFailure(422, 'Invalid', 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified', {});
  }
  const denied = authorize(user, info);
  // RBAC gives no reason for a plain "no": kubectl prints just that.
  const status: Record<string, unknown> = { allowed: !denied };
  return jsonResponse(201, {
    kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null }, spec, status,
  });
}
