/**
 * The pipeline as the HTTPS transport calls it: JSON the server kept as text (RawJson: stored
 * objects, lists, Tables) stays text all the way to the socket, never parsed and re-serialized (for
 * a 10,000-pod Table that was most of the response time). Only dry-run creates come back parsed,
 * because transport wrappers (the scheduler's placement explanations) edit those objects.
 */
import { RawJson } from '../registry/codec';
import type { ApiServer } from '../server';
import type { Transport } from '../types';

export function servedTransport(server: ApiServer): Transport {
  const create: Transport = async (request) => {
    const response = await server.handle(request);
    if (request.query.get('dryRun') !== null && response.body instanceof RawJson) response.body = response.body.parse();
    return response;
  };
  // Other methods go straight through: no promise of this wrapper's own per request.
  return (request) => (request.method === 'POST' ? create(request) : server.handle(request));
}
