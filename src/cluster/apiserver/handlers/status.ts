/**
 * Subresources of the object's own kind: status (pods/status, nodes/status, …), pods/ephemeralcontainers,
 * namespaces/finalize. They read the whole object; on writes the strategy, told the subresource, keeps
 * what that subresource may not change.
 */
import { statusFailure } from '../../api/errors';
import type { ApiResponse } from '../types';
import type { ResourceRequest, ServerParts } from './context';
import { getObject } from './read';
import { updateObject } from './write';
import { patchObject } from './patch';

export async function statusSubresource(parts: ServerParts, r: ResourceRequest): Promise<ApiResponse> {
  switch (r.info.verb) {
    case 'get': return getObject(parts, r);
    case 'update': return updateObject(parts, r);
    case 'patch': return patchObject(parts, r);
    default: throw statusFailure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
  }
}
