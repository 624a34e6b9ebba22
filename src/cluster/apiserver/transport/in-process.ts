/**
 * The in-process transport: components inside the extension call the pipeline directly, with no
 * sockets and no serialization of request bodies; the identity is the one the component was given
 * (`cluster.client(user)`), never read from a header. Responses the server kept as JSON text are
 * parsed here, so every caller gets its own objects.
 */
import { RawJson } from '../registry/codec';
import type { ApiServer } from '../server';
import type { Transport } from '../types';

export function inProcessTransport(server: ApiServer): Transport {
  return async (request) => {
    const response = await server.handle(request);
    if (response.body instanceof RawJson) response.body = response.body.parse();
    return response;
  };
}
