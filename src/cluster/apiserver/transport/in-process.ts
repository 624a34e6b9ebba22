/**
 * The in-process transport: components inside the extension call the pipeline directly, with no
 * sockets and no serialization of request bodies; the identity is the one the component was given
 * (`cluster.client(user)`), never read from a header. Responses the server kept as JSON text are
 * parsed when the body is first read, so every caller gets its own objects, and a caller that never
 * reads it (a kubelet's status write, an event) costs no parse.
 */
import { RawJson } from '../registry/codec';
import type { ApiServer } from '../server';
import type { ApiResponse, Transport } from '../types';

export function inProcessTransport(server: ApiServer): Transport {
  return async (request) => {
    const response = await server.handle(request);
    if (response.body instanceof RawJson) {
      if (response.body.shared) sharedBodies.set(response, response.body.shared);
      parseOnRead(response, response.body);
    }
    return response;
  };
}

/** Responses whose body the server can also give as its shared, read-only objects (RawJson.shared). */
const sharedBodies = new WeakMap<ApiResponse, () => unknown>();

/**
 * The body of an in-process response as the registry's shared objects, read-only, instead of a
 * parse of its own (an informer's list: its objects then have handles, as watch objects do);
 * undefined when the server offered none (or over HTTPS).
 */
export function sharedBodyOf(response: ApiResponse): unknown {
  return sharedBodies.get(response)?.();
}

function parseOnRead(response: ApiResponse, raw: RawJson): void {
  let body: unknown;
  let parsed = false;
  Object.defineProperty(response, 'body', {
    enumerable: true,
    configurable: true,
    get() {
      if (!parsed) {
        body = raw.parse();
        parsed = true;
      }
      return body;
    },
    set(value: unknown) {
      body = value;
      parsed = true;
    },
  });
}
