/**
 * The in-process transport: components inside the extension call the pipeline directly, with no
 * sockets and no serialization of request bodies; the identity is the one the component was given
 * (`cluster.client(user)`), never read from a header. Responses the server kept as JSON text are
 * parsed when the body is first read, so every caller gets its own objects, and a caller that never
 * reads it (a kubelet's status write, an event) costs no parse. At most `maxInFlight` requests are
 * handled at once, the others wait in arrival order (in-flight.ts). A request is done when the server
 * answered: a watch or a log stream holds no place while it streams.
 */
import { RawJson } from '../registry/codec';
import type { ApiServer } from '../server';
import type { ApiResponse, Transport } from '../types';
import { InFlightLimit } from './in-flight';

/**
 * In-process requests handled at once (see in-flight.ts). Measured in a 4,000-pod bring-up: 4 cut
 * the bytes scavenges copy a little more than 32 (18% against 13-15%), but a durable store's group
 * commit gathers the writes in flight into one fsync, and 32 leaves it room.
 */
export const MAX_IN_PROCESS_IN_FLIGHT = 32;

export function inProcessTransport(server: ApiServer, maxInFlight = MAX_IN_PROCESS_IN_FLIGHT): Transport {
  const inFlight = new InFlightLimit(maxInFlight);
  return async (request) => {
    if (!inFlight.tryEnter()) await inFlight.enter();
    let response: ApiResponse;
    try {
      response = await server.handle(request);
    } finally {
      inFlight.leave();
    }
    if (!(response.body instanceof RawJson)) return response;
    const answer = new ParsedOnRead(response, response.body);
    if (response.body.shared) sharedBodies.set(answer, response.body.shared);
    return answer;
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

/**
 * A response whose JSON text is parsed when its body is first read (or replaced when assigned).
 * A class with `body` an accessor of its prototype: defining an accessor on each response object
 * instead turned every in-process answer into a slow dictionary-mode object with two closures.
 */
class ParsedOnRead implements ApiResponse {
  status: number;
  headers: Record<string, string | string[]>;
  stream?: ApiResponse['stream'];
  upgrade?: ApiResponse['upgrade'];
  private raw: RawJson | undefined;
  private parsed: unknown;

  constructor(response: ApiResponse, raw: RawJson) {
    this.status = response.status;
    this.headers = response.headers;
    if (response.stream !== undefined) this.stream = response.stream;
    if (response.upgrade !== undefined) this.upgrade = response.upgrade;
    this.raw = raw;
  }

  get body(): unknown {
    if (this.raw !== undefined) {
      this.parsed = this.raw.parse();
      this.raw = undefined;
    }
    return this.parsed;
  }

  set body(value: unknown) {
    this.parsed = value;
    this.raw = undefined;
  }
}
