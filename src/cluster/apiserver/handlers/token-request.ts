/**
 * POST serviceaccounts/{name}/token (authentication.k8s.io/v1 TokenRequest): what
 * `kubectl create token` sends, as protobuf. The account must exist; the answer is the request
 * with its defaults and a status carrying the token and its expiry. Nothing is stored.
 */
import { badRequest, invalid } from '../../api/errors';
import { invalid as invalidField } from '../../api/field-errors';
import { rfc3339 } from '../registry/codec';
import { API_AUDIENCE } from '../auth/service-account-tokens';
import type { ResourceRequest, ServerParts } from './context';
import { isPlainObject, readObject } from './params';
import { jsonResponse } from './responses';
import type { ApiResponse } from '../types';

const MIN_EXPIRATION_SECONDS = 10 * 60;
const MAX_EXPIRATION_SECONDS = 2 ** 32;
const DEFAULT_EXPIRATION_SECONDS = 60 * 60;

export async function tokenRequestSubresource(parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  const tokens = parts.serviceAccountTokens;
  if (!tokens) throw badRequest('this server issues no service account tokens');
  const request = readObject(r.request, 'TokenRequest', { apiVersion: 'authentication.k8s.io/v1' });
  const spec = isPlainObject(request.spec) ? request.spec : {};
  const audiences = Array.isArray(spec.audiences) && spec.audiences.length > 0 ? spec.audiences.filter((a): a is string => typeof a === 'string') : [API_AUDIENCE];
  const expirationSeconds = typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : DEFAULT_EXPIRATION_SECONDS;
  const name = request.metadata.name ?? '';
  const errs = [];
  if (expirationSeconds < MIN_EXPIRATION_SECONDS) errs.push(invalidField('spec.expirationSeconds', expirationSeconds, 'may not specify a duration less than 10 minutes'));
  if (expirationSeconds > MAX_EXPIRATION_SECONDS) errs.push(invalidField('spec.expirationSeconds', expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
  if (errs.length > 0) throw invalid({ group: 'authentication.k8s.io', kind: 'TokenRequest' }, name, errs);
  if (spec.boundObjectRef !== undefined && spec.boundObjectRef !== null) {
    throw invalid({ group: 'authentication.k8s.io', kind: 'TokenRequest' }, name, [invalidField('spec.boundObjectRef', 'object', 'Kube Sim issues tokens bound to the service account only')]);
  }
  const account = await r.registry.get(r.namespace, r.info.name);
  const issued = tokens.issue({ namespace: r.namespace, name: r.info.name, uid: account.metadata.uid ?? '' }, audiences, expirationSeconds);
  return jsonResponse(201, {
    kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: r.info.name, namespace: r.namespace, creationTimestamp: null },
    spec: { audiences, expirationSeconds, boundObjectRef: null },
    status: { token: issued.token, expirationTimestamp: rfc3339(issued.expiresAt) },
  });
}
