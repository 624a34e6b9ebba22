/**
 * SelfSubjectReview (authentication.k8s.io/v1): answers with the user the request was
 * authenticated as. The review carries no spec, so its body (JSON or kubectl's protobuf) is
 * not read beyond the media type; the status is the authenticator's word, never the caller's.
 */
import { statusFailure } from '../../api/errors';
import type { ApiRequest, ApiResponse, UserInfo } from '../types';
import { jsonResponse } from './responses';

export function selfSubjectReview(request: ApiRequest, user: UserInfo): ApiResponse {
  if (request.method !== 'POST') throw statusFailure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
  const userInfo: Record<string, unknown> = { username: user.name };
  if (user.uid) userInfo.uid = user.uid;
  if (user.groups.length > 0) userInfo.groups = [...user.groups];
  if (user.extra) userInfo.extra = structuredClone(user.extra);
  return jsonResponse(201, {
    kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1',
    metadata: { creationTimestamp: null }, status: { userInfo },
  });
}
